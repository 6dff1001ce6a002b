"""A whole delivery round as its people go through it: the coordinator opens it for a
municipality and the Jobcenter; the municipality's member fills the grid (a figure out of
range refused on the way), the Jobcenter's member is late, finds the delivery locked with the
reason, is given more time and uploads the filled-in template (a wrong row refusing the whole
file first); both submit, the coordinator approves, and the KomMonitor file read back holds
exactly the approved figures, the small count suppressed."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from monitoring.models import Delivery, Review, Round
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def csv_rows(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def as_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_a_round_from_opening_to_the_kommonitor_file(
    coordinator, member, own_org, social_space, neighbourhood, indicator_set
):
    jobcenter = OrganisationFactory(name="Jobcenter Rhein-Sieg", kind="jobcenter", ags=None)
    jobcenter_member = member_of(jobcenter)
    today = timezone.localdate()
    closes = today + datetime.timedelta(days=10)

    opened = signed_in(coordinator).post(
        "/monitoring/rounds/new/",
        {
            "name": "Quartiersprofil 2026",
            "indicator_set": indicator_set.pk,
            "reference_date": "2026-06-30",
            "opens_on": today.isoformat(),
            "closes_on": closes.isoformat(),
            "change_threshold": "0.25",
            "remind_days_before": "3",
            "suppliers": [own_org.pk, jobcenter.pk],
        },
    )
    round_ = Round.objects.get()
    assert opened.url == round_.get_absolute_url()
    municipal = Delivery.objects.get(round=round_, organisation=own_org)
    late = Delivery.objects.get(round=round_, organisation=jobcenter)
    residents = indicator_set.indicators.get(code="EW")
    minors = indicator_set.indicators.get(code="U18")
    children = indicator_set.indicators.get(code="SGB2-U15")

    # The municipality fills its grid cell by cell.
    grid_client = signed_in(member)

    def cell(indicator, space, number):
        key = f"{indicator.pk}-s{space.pk}"
        return grid_client.post(
            f"/monitoring/deliveries/{municipal.pk}/cells/{key}/",
            {f"q-{key}-number": number, f"q-{key}-revision": "0"},
            HTTP_HX_REQUEST="true",
        )

    refused = cell(residents, neighbourhood, "-5")
    assert refused.status_code == 400
    assert "Eine Anzahl ist eine ganze Zahl ab 0." in refused.content.decode()
    assert cell(residents, neighbourhood, "2.480").status_code == 200
    assert cell(minors, social_space, "18,2").status_code == 200
    assert grid_client.post(f"/monitoring/deliveries/{municipal.pk}/submit/").status_code == 302

    # The Jobcenter misses the window: locked, with the reason named.
    job_client = signed_in(jobcenter_member)
    template = csv_rows(job_client.get(f"/monitoring/deliveries/{late.pk}/template.csv").content)
    header, rows = template[0], template[1:]
    value = header.index("Wert")
    place = next(row for row in rows if row[header.index("Raumschlüssel")] == neighbourhood.key)
    place[value] = "2"
    after_window = closes + datetime.timedelta(days=2)
    with time_machine.travel(datetime.datetime.combine(after_window, datetime.time(9))):
        upload = SimpleUploadedFile("lieferung.csv", as_csv([header, *rows]))
        locked = job_client.post(f"/monitoring/deliveries/{late.pk}/upload/", {"file": upload})
        assert locked.status_code == 400
        assert "Das Lieferfenster endete am" in locked.content.decode()

        signed_in(coordinator).post(
            f"/monitoring/deliveries/{late.pk}/extend/",
            {"until": (after_window + datetime.timedelta(days=5)).isoformat()},
        )
        place[value] = "zwei"
        upload = SimpleUploadedFile("lieferung.csv", as_csv([header, *rows]))
        wrong = job_client.post(f"/monitoring/deliveries/{late.pk}/upload/", {"file": upload})
        assert wrong.status_code == 400
        page = wrong.content.decode()
        assert "„zwei“ ist keine Zahl." in page and "Wert" in page
        assert not late.answers.exists()

        place[value] = "2"
        upload = SimpleUploadedFile("lieferung.csv", as_csv([header, *rows]))
        imported = job_client.post(f"/monitoring/deliveries/{late.pk}/upload/", {"file": upload})
        assert imported.status_code == 302
        assert job_client.post(f"/monitoring/deliveries/{late.pk}/submit/").status_code == 302

        matrix = signed_in(coordinator).get(round_.get_absolute_url()).content.decode()
        assert "Jobcenter Rhein-Sieg" in matrix and "abgegeben, wartet auf Prüfung" in matrix
        for delivery in (municipal, late):
            signed_in(coordinator).post(f"/monitoring/deliveries/{delivery.pk}/approve/")
    assert set(Delivery.objects.values_list("review", flat=True)) == {Review.APPROVED}

    exported = signed_in(coordinator).get(
        f"/monitoring/indicators/{residents.pk}/export/kommonitor.csv"
    )
    by_unit = {
        row["ID"]: row
        for row in csv.DictReader(
            io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    }
    assert by_unit[neighbourhood.key]["DATE_2026-06-30"] == "2480"

    suppressed = signed_in(coordinator).get(
        f"/monitoring/indicators/{children.pk}/export/kommonitor.csv"
    )
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(suppressed.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    unit = next(row for row in rows if row["ID"] == neighbourhood.key)
    assert unit["DATE_2026-06-30"] == ""  # 2 is below the threshold of 3: never published
    assert "2026-06-30" in unit["SUPPRESSED"]
