"""Download my data: a signed-in person asks on their account's page and gets, once the
worker has built it, a plain ZIP with a JSON file and a CSV per kind of record holding
every declared kind of record about them (the completeness test), never a secret; only
they can fetch it (another member and a coordinator get 404); it expires (410 with a clear
message, then purged to 404); an invitee without an account does the same through the
invitation whose personal link they opened; the API does all of it."""

import csv
import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.cache import cache
from django.urls import resolve, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from participation.events import invitations
from participation.models import DataExport, SecurityEvent, SecurityEventKind
from participation.privacy import exports, inventory, subjects
from tests.factories import member_of
from tests.participation.data_export_support import a_record_of_every_kind, an_event_invitation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def open_zip(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def kinds_in(archive):
    document = json.loads(archive.read(exports.JSON_NAME))
    return {kind["kind"]: kind["records"] for kind in document["kinds"]}


def request_and_build(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participation:my_data"))
    assert response.status_code == 302
    return DataExport.objects.get(pk=resolve(response.url).kwargs["pk"])


@pytest.fixture
def owner(own_org):
    user = member_of(own_org, email="anna.beispiel@example.org")
    user.person.first_name, user.person.last_name = "Anna", "Beispiel"
    user.person.save()
    return user


def test_the_download_holds_every_declared_kind_of_record(
    owner, client, django_capture_on_commit_callbacks
):
    an_event_invitation(owner.person, owner.email)
    a_record_of_every_kind(subjects.of_user(owner))
    # The earlier downloads made above are finished ones, so the request below is new.
    DataExport.objects.update(status=DataExport.Status.DONE)
    client.force_login(owner)

    export = request_and_build(client, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == DataExport.Status.DONE
    assert export.progress == 100
    response = client.get(reverse("participation:my_data_download", args=[export.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = open_zip(response.content)
    found = kinds_in(archive)
    findable = [d for d in inventory.declarations() if d.findable]
    missing = [d.key for d in findable if not found.get(d.key)]
    assert missing == [], f"The download misses these kinds of record: {missing}"
    assert {f"csv/{d.key}.csv" for d in findable} <= set(archive.namelist())


def test_the_download_names_the_person_and_their_notes_but_no_secret(
    owner, client, django_capture_on_commit_callbacks
):
    an_event_invitation(owner.person, owner.email)
    client.force_login(owner)
    export = request_and_build(client, django_capture_on_commit_callbacks)
    data = client.get(reverse("participation:my_data_download", args=[export.pk])).content
    archive = open_zip(data)

    found = kinds_in(archive)
    assert found["person"][0]["last_name"] == "Beispiel"
    assert found["invitation_needs"][0]["dietary_wishes"] == "vegetarisch"
    assert found["session"], "the session signed in for this request"
    rows = list(
        csv.reader(io.StringIO(archive.read("csv/person.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][:4] == ["id", "title", "first_name", "last_name"]
    assert rows[1][3] == "Beispiel"
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8-sig")
    owner.refresh_from_db()
    assert owner.password not in everything
    assert client.session.session_key not in everything


def test_the_page_shows_progress_then_the_link(owner, client):
    client.force_login(owner)
    client.post(reverse("participation:my_data"))  # outside a commit hook: not built yet
    export = DataExport.objects.get(user=owner)
    page = client.get(reverse("participation:my_data_export", args=[export.pk]))
    assert b'role="status"' in page.content
    assert b"<progress" in page.content

    exports.build(export.pk)
    fragment = client.get(
        reverse("participation:my_data_export", args=[export.pk]), HTTP_HX_REQUEST="true"
    )
    assert (
        b"Download your data" in fragment.content or b"Ihre Daten herunterladen" in fragment.content
    )
    assert b"hx-trigger" not in fragment.content


def test_asking_twice_while_it_is_built_builds_once(owner):
    first = exports.request_for_user(owner)
    assert exports.request_for_user(owner) == first


def test_nobody_but_the_owner_reaches_a_download(
    owner, member, coordinator, client, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    export = request_and_build(client, django_capture_on_commit_callbacks)
    for other in (member, coordinator):
        client.force_login(other)
        for name in ("my_data_export", "my_data_download"):
            assert client.get(reverse(f"participation:{name}", args=[export.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("participation:my_data_download", args=[export.pk]))
    assert response.status_code == 302  # to the sign-in page
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.DATA_DOWNLOADED).exists()


def test_a_download_is_logged_in_the_security_log(
    owner, client, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    export = request_and_build(client, django_capture_on_commit_callbacks)
    client.get(reverse("participation:my_data_download", args=[export.pk]))
    event = SecurityEvent.objects.get(kind=SecurityEventKind.DATA_DOWNLOADED)
    assert event.user == owner
    assert event.detail["export"] == str(export.pk)


def test_a_download_expires_and_is_purged(owner, client, django_capture_on_commit_callbacks):
    client.force_login(owner)
    export = request_and_build(client, django_capture_on_commit_callbacks)
    assert export.expires_at - export.created_at == datetime.timedelta(days=7)
    url = reverse("participation:my_data_download", args=[export.pk])

    with time_machine.travel(export.expires_at + datetime.timedelta(minutes=1)):
        response = client.get(url)
        assert response.status_code == 410
        assert "Dieser Download ist abgelaufen" in response.content.decode()
        detail = client.get(reverse("participation:my_data_export", args=[export.pk]))
        assert b"data-download" not in detail.content
        assert exports.purge_expired() == 1
        assert client.get(url).status_code == 404
    assert not DataExport.objects.exists()


def test_a_request_whose_task_was_lost_is_built_by_the_sweep(owner):
    export = exports.request_for_user(owner)  # no commit here: its task is never queued
    assert exports.build_waiting() == 0  # too fresh: its task may still be on its way
    later = timezone.now() + datetime.timedelta(minutes=3)
    assert exports.build_waiting(now=later) == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.DONE


def test_a_shorter_period_set_for_the_installation_is_used(owner, settings):
    settings.RETENTION_DAYS = {"data_exports": 2}
    export = exports.request_for_user(owner)
    assert export.expires_at - export.created_at == datetime.timedelta(days=2)


# --- an invitee through their personal link --------------------------------------------------


@pytest.fixture
def invited(mailoutbox, django_capture_on_commit_callbacks):
    """An invitee without an account and the token of their personal link."""
    from tests.factories import WorkshopFactory  # noqa: PLC0415 - only this fixture needs it

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite_person(
            WorkshopFactory(), email="gast@example.org", name="Erika Gast"
        )
    invitation.dietary_wishes = "ohne Nüsse"
    invitation.save()
    body = [m for m in mailoutbox if m.to == ["gast@example.org"]][-1].body
    token = body.split("/invitation/")[1].split("/")[0]
    return invitation, token


def test_an_invitee_downloads_their_data_through_their_link(
    invited, client, django_capture_on_commit_callbacks
):
    invitation, token = invited
    client.get(reverse("participation:invitation_link", args=[token]))
    reply_page = client.get(reverse("participation:invitation_reply", args=[invitation.pk]))
    assert (
        reverse("participation:invitation_data", args=[invitation.pk]).encode()
        in reply_page.content
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participation:invitation_data", args=[invitation.pk]))
    export = DataExport.objects.get(invitation=invitation)
    assert response.url == reverse(
        "participation:invitation_data_export", args=[invitation.pk, export.pk]
    )
    data = client.get(
        reverse("participation:invitation_data_download", args=[invitation.pk, export.pk])
    ).content
    found = kinds_in(open_zip(data))
    assert found["invitation"][0]["email"] == "gast@example.org"
    assert found["invitation_needs"][0]["dietary_wishes"] == "ohne Nüsse"
    assert found["mail"], "the invitation mail sent to them"


def test_without_the_link_an_invitees_download_is_unreachable(
    invited, member, client, django_capture_on_commit_callbacks
):
    invitation, _token = invited
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_for_invitation(invitation)
    client.force_login(member)
    for name, args in (
        ("invitation_data", [invitation.pk]),
        ("invitation_data_export", [invitation.pk, export.pk]),
        ("invitation_data_download", [invitation.pk, export.pk]),
    ):
        assert client.get(reverse(f"participation:{name}", args=args)).status_code == 404
    assert (
        client.get(reverse("participation:my_data_download", args=[export.pk])).status_code == 404
    )


# --- the API -----------------------------------------------------------------------------------


def test_the_api_requests_reports_and_hands_out_the_download(
    owner, member, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(owner)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/my-data/")
    assert created.status_code == 202
    export_id = created.json()["id"]

    status = api.get(f"/api/v1/my-data/{export_id}/").json()
    assert status["status"] == "done"
    assert status["download"].endswith(f"/api/v1/my-data/{export_id}/download/")
    download = api.get(f"/api/v1/my-data/{export_id}/download/")
    assert download.status_code == 200
    assert "person" in kinds_in(open_zip(download.content))
    assert [row["id"] for row in api.get("/api/v1/my-data/").json()] == [export_id]

    other = APIClient()
    other.force_authenticate(member)
    assert other.get(f"/api/v1/my-data/{export_id}/").status_code == 404
    assert other.get(f"/api/v1/my-data/{export_id}/download/").status_code == 404
    assert APIClient().get("/api/v1/my-data/").status_code == 401

    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=8)):
        expired = api.get(f"/api/v1/my-data/{export_id}/download/")
        assert expired.status_code == 410
        assert expired.json()["detail"] == (
            "Dieser Download ist abgelaufen und seine Datei wurde gelöscht."
        )


def test_the_api_serves_an_invitee_by_their_token(invited, django_capture_on_commit_callbacks):
    invitation, token = invited
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Invitation {token}")
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/my-data/")
    assert created.status_code == 202
    download = api.get(f"/api/v1/my-data/{created.json()['id']}/download/")
    assert kinds_in(open_zip(download.content))["invitation"][0]["email"] == "gast@example.org"
    assert DataExport.objects.get().invitation == invitation
