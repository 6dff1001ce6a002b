"""The weighing table after the deadline: a full cycle with three organisations from opening
to the published result (one never answers and is "no statement received", with its
reminder dates in the participation record), the points and their responses under the
conflict rule, the revised draft with its diff, publishing as versions, and who reads
what."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from consultations import weighing
from consultations.models import Publication, Reply, WeighingPoint
from tests.factories import OrganisationFactory, member_of

from .conftest import own_answer

pytestmark = pytest.mark.django_db


def test_the_full_cycle_from_opening_to_the_published_result(
    client,
    cycle,
    coordinator,
    member,
    outsider,
    own_org,
    other_org,
    third_org,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    page = client.get(reverse("consultations:weighing", args=[cycle.pk])).content.decode()
    assert "Altersgruppen feiner." in page and "0–3, 3–6 Jahre" in page and "Zu grob." in page
    assert page.count("keine Stellungnahme eingegangen") == 2  # third_org, both sections

    answer = own_answer(cycle, own_org, 1)
    client.post(
        reverse("consultations:add_point", args=[cycle.pk, answer.pk]),
        {"text": "Altersgruppen 0–3 und 3–6 getrennt ausweisen"},
    )
    point = WeighingPoint.objects.get(answer=answer)
    saved = client.post(
        reverse("consultations:save_point", args=[cycle.pk, point.pk]),
        {
            "text": point.text,
            "reply": Reply.ADOPTED,
            "reasons": "Wird in Abschnitt 1 übernommen.",
            "revision": point.revision,
        },
    )
    assert saved.status_code == 302
    theirs = own_answer(cycle, other_org, 1)
    their_point = weighing.add_point(theirs, actor=coordinator, text="Zu grob")
    weighing.save_point(
        their_point,
        actor=coordinator,
        base_revision=1,
        text="Zu grob",
        reply=Reply.NOT_ADOPTED,
        reasons="Kleinräumige Daten fehlen.",
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(
            reverse("consultations:publish", args=[cycle.pk]),
            {"public_table": Publication.PublicTable.NUMBERED},
            follow=True,
        )
    assert "Version 1" in published.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kontakt@caritas.example",
        "kontakt@much.example",
        "kontakt@siegburg.example",
    ]
    notice = mailoutbox[0]
    assert "Ergebnis der Beteiligung" in notice.subject
    assert f"/consultations/{cycle.pk}/result/" in notice.body
    # Publishing is told once per contact: a retry of the notices sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert weighing.send_notices(cycle.publications.get()) == 0
    assert len(mailoutbox) == 3

    client.force_login(member)
    result = client.get(reverse("consultations:result", args=[cycle.pk])).content.decode()
    assert "Altersgruppen feiner." in result and "Wird in Abschnitt 1 übernommen." in result
    assert "Übernommen" in result
    assert "Zu grob." not in result and "Gemeinde Much" not in result
    assert "Kleinräumige Daten fehlen." not in result

    client.logout()
    public = client.get(reverse("consultations:public_result", args=[cycle.pk])).content.decode()
    assert "Stellungnahme 1" in public and "Zu grob." in public
    for name in ("Stadt Siegburg", "Gemeinde Much", "Caritasverband"):
        assert name not in public

    client.force_login(coordinator)
    record = client.get(reverse("consultations:record", args=[cycle.pk])).content.decode()
    row = record.split("Caritasverband Rhein-Sieg")[1].split("</tr>")[0]
    assert "06.03.2027" in row and "11.03.2027" in row and "nie geantwortet" in row


def test_organisations_see_only_their_own_statement_before_and_after_publication(
    client, cycle, coordinator, member, outsider, other_org
):
    client.force_login(member)
    assert client.get(reverse("consultations:weighing", args=[cycle.pk])).status_code == 404
    assert client.get(reverse("consultations:result", args=[cycle.pk])).status_code == 404
    theirs = cycle.statements.get(organisation=other_org)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    # A table published without a public part is not public.
    weighing.publish(cycle, actor=coordinator, notify=False)
    client.logout()
    assert client.get(reverse("consultations:public_result", args=[cycle.pk])).status_code == 404
    client.force_login(outsider)
    result = client.get(reverse("consultations:result", args=[cycle.pk])).content.decode()
    assert "Zu grob." in result and "Altersgruppen feiner." not in result
    assert "Stadt Siegburg" not in result


def test_a_response_to_a_point_by_a_non_coordinator_is_404(
    client, cycle, coordinator, member, own_org
):
    answer = own_answer(cycle, own_org, 1)
    point = weighing.add_point(answer, actor=coordinator, text="Feiner")
    client.force_login(member)
    response = client.post(
        reverse("consultations:save_point", args=[cycle.pk, point.pk]),
        {"text": "Feiner", "reply": Reply.ADOPTED, "reasons": "", "revision": 1},
    )
    assert response.status_code == 404
    added = client.post(
        reverse("consultations:add_point", args=[cycle.pk, answer.pk]), {"text": "Noch was"}
    )
    assert added.status_code == 404
    point.refresh_from_db()
    assert point.reply == "" and answer.points.count() == 1
    for name in ("record", "revised"):
        assert client.get(reverse(f"consultations:{name}", args=[cycle.pk])).status_code == 404
    for name in ("start_revised", "publish"):
        assert client.post(reverse(f"consultations:{name}", args=[cycle.pk])).status_code == 404
    assert not cycle.publications.exists() and not cycle.revised_sections.exists()


def test_two_coordinators_saving_one_point_conflict_and_the_input_is_kept(
    client, cycle, coordinator, own_org
):
    colleague = member_of(OrganisationFactory(), is_coordinator=True)
    answer = own_answer(cycle, own_org, 1)
    point = weighing.add_point(answer, actor=coordinator, text="Feiner")
    weighing.save_point(
        point, actor=colleague, base_revision=1, text="Feiner", reply=Reply.NOTED, reasons="a"
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("consultations:save_point", args=[cycle.pk, point.pk]),
        {"text": "Feiner", "reply": Reply.ADOPTED, "reasons": "Meine Begründung", "revision": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Meine Begründung" in page and "zwischenzeitlich" in page
    point.refresh_from_db()
    assert (point.reply, point.reasons, point.revision) == (Reply.NOTED, "a", 2)


def test_a_point_needs_text_and_nothing_is_saved(cycle, coordinator, own_org):
    answer = own_answer(cycle, own_org, 1)
    with pytest.raises(weighing.ValidationError):
        weighing.add_point(answer, actor=coordinator, text="  ")
    assert not answer.points.exists()


def test_an_edit_after_publication_makes_a_new_version(client, cycle, coordinator, own_org):
    answer = own_answer(cycle, own_org, 1)
    point = weighing.add_point(answer, actor=coordinator, text="Feiner")
    weighing.save_point(
        point, actor=coordinator, base_revision=1, text="Feiner", reply=Reply.NOTED, reasons="x"
    )
    first = weighing.publish(cycle, actor=coordinator, notify=False)
    assert weighing.current_version(cycle) == 2
    point = weighing.save_point(
        point,
        actor=coordinator,
        base_revision=2,
        text="Feiner",
        reply=Reply.ADOPTED,
        reasons="Doch übernommen.",
    )
    assert point.version == 2
    first.refresh_from_db()
    assert first.content["sections"][0]["entries"][2]["points"][0]["reply"] == Reply.NOTED
    assert weighing.changed_since_publication(cycle)
    client.force_login(coordinator)
    page = client.get(reverse("consultations:weighing", args=[cycle.pk])).content.decode()
    assert "neue Version" in page
    second = weighing.publish(cycle, actor=coordinator, notify=False)
    assert second.version == 2
    with pytest.raises(weighing.ValidationError, match="Seit Version 2"):
        weighing.publish(cycle, actor=coordinator, notify=False)
    old = client.get(reverse("consultations:result", args=[cycle.pk]) + "?version=1")
    assert "Doch übernommen." not in old.content.decode()
    new = client.get(reverse("consultations:result", args=[cycle.pk]) + "?version=2")
    assert "Doch übernommen." in new.content.decode()


def test_the_revised_draft_is_a_copy_of_the_sections_with_a_marked_diff(client, cycle, coordinator):
    client.force_login(coordinator)
    client.post(reverse("consultations:start_revised", args=[cycle.pk]))
    revised = cycle.revised_sections.get(number=1)
    assert revised.text == "- Altersgruppen"
    client.post(
        reverse("consultations:revised_section_edit", args=[cycle.pk, revised.pk]),
        {"title": "Demografie", "text": "- Altersgruppen 0–3 und 3–6"},
    )
    page = client.get(reverse("consultations:revised", args=[cycle.pk])).content.decode()
    assert '<ins><span class="visually-hidden">[eingefügt: </span>0–3 und 3–6' in page
    assert "Unverändert." in page  # section 2
    weighing.publish(cycle, actor=coordinator, notify=False)
    result = client.get(reverse("consultations:result", args=[cycle.pk])).content.decode()
    assert "Altersgruppen 0–3 und 3–6" in result


def test_the_weighing_table_waits_for_the_consultation_to_close(client, consultation, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("consultations:weighing", args=[consultation.pk]))
    assert (
        "sobald die Beteiligung geschlossen ist" in page.content.decode() or page.status_code == 200
    )
    with pytest.raises(weighing.ValidationError):
        weighing.publish(consultation, actor=coordinator, notify=False)


def test_each_change_of_a_point_keeps_its_history_with_the_actor(
    client, cycle, coordinator, own_org
):
    answer = own_answer(cycle, own_org, 1)
    point = weighing.add_point(answer, actor=coordinator, text="Feiner")
    weighing.save_point(
        point, actor=coordinator, base_revision=1, text="Feiner", reply=Reply.NOTED, reasons="a"
    )
    entries = LogEntry.objects.get_for_object(point).order_by("timestamp", "pk")
    assert [e.actor_id for e in entries] == [coordinator.pk, coordinator.pk]
    assert entries.last().changes_dict["reply"] == ["", Reply.NOTED]
    client.force_login(coordinator)
    removed = client.post(reverse("consultations:delete_point", args=[cycle.pk, point.pk]))
    assert removed.status_code == 302 and not answer.points.exists()
    assert LogEntry.objects.filter(
        object_pk=str(point.pk), action=LogEntry.Action.DELETE, actor=coordinator
    ).exists()


def test_the_table_knows_whether_it_changed_since_its_publication(cycle, coordinator, own_org):
    """Without reading the publication's content nor counting the points: a point added,
    saved or deleted since (the consultation counts their changes), or a change of the
    revised draft."""
    answer = own_answer(cycle, own_org, 1)
    kept = weighing.add_point(answer, actor=coordinator, text="Bleibt")
    gone = weighing.add_point(answer, actor=coordinator, text="Entfällt")
    weighing.publish(cycle, actor=coordinator, notify=False)
    assert not weighing.changed_since_publication(cycle)
    weighing.delete_point(gone, actor=coordinator)
    assert weighing.changed_since_publication(cycle)
    weighing.publish(cycle, actor=coordinator, notify=False)
    assert not weighing.changed_since_publication(cycle)
    weighing.save_point(
        kept, actor=coordinator, base_revision=1, text="Bleibt", reply=Reply.NOTED, reasons=""
    )
    assert weighing.changed_since_publication(cycle)
    weighing.publish(cycle, actor=coordinator, notify=False)
    (section, *_rest) = weighing.start_revised_draft(cycle, actor=coordinator)
    assert weighing.changed_since_publication(cycle)  # the draft is new
    weighing.publish(cycle, actor=coordinator, notify=False)
    section.text = "Neu gefasst."
    weighing.save_revised_section(section, actor=coordinator)
    assert weighing.changed_since_publication(cycle)


def test_a_publication_from_before_the_changes_were_counted_compares_the_points(
    cycle, coordinator, own_org
):
    answer = own_answer(cycle, own_org, 1)
    weighing.add_point(answer, actor=coordinator, text="Bleibt")
    gone = weighing.add_point(answer, actor=coordinator, text="Entfällt")
    publication = weighing.publish(cycle, actor=coordinator, notify=False)
    del publication.summary["changes"]
    publication.save()
    assert not weighing.changed_since_publication(cycle)
    weighing.delete_point(gone, actor=coordinator)
    assert weighing.changed_since_publication(cycle)
    weighing.add_point(answer, actor=coordinator, text="Ersatz")
    assert weighing.changed_since_publication(cycle)
