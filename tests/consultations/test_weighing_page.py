"""The weighing table's page: the points read as text; one point's form (or the form for a
new point) opens in its row through htmx, which gets the row back after saving, with a
refusal or a conflict shown in place above what the coordinator typed; without JavaScript
the same forms open on the page (`?edit=`, `?add=`) and saving comes back to it. A section
at a time on request (`?section=`)."""

import pytest
from django.urls import reverse

from consultations import weighing
from consultations.models import Reply
from tests.factories import OrganisationFactory, member_of

from .conftest import own_answer

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def point(cycle, coordinator, own_org):
    return weighing.add_point(own_answer(cycle, own_org, 1), actor=coordinator, text="Feiner")


def urls(cycle, point):
    return (
        reverse("consultations:weighing", args=[cycle.pk]),
        reverse("consultations:answer_row", args=[cycle.pk, point.answer_id]),
        reverse("consultations:save_point", args=[cycle.pk, point.pk]),
    )


def test_the_points_read_as_text_and_one_form_opens_without_javascript(
    client, cycle, coordinator, point
):
    client.force_login(coordinator)
    table, row, save = urls(cycle, point)
    page = client.get(table).content.decode()
    assert "<textarea" not in page and f'action="{save}"' not in page
    assert "1. Feiner" in page
    assert f'href="?page=1&amp;edit={point.pk}#point-{point.pk}"' in page
    assert f'hx-get="{row}?edit={point.pk}"' in page
    assert 'Bearbeiten<span class="visually-hidden"> – Punkt 1 von Stadt Siegburg</span>' in page

    opened = client.get(table, {"page": 1, "edit": point.pk}).content.decode()
    assert opened.count(f'action="{save}"') == 1 and opened.count("<textarea") == 2
    assert f'id="point-{point.pk}-text" name="text" rows="3" autofocus>Feiner</textarea>' in opened
    # The row's address without htmx (a link opened in a new tab) leads to that page.
    assert client.get(row, {"edit": point.pk})["Location"] == (
        f"{table}?page=1&edit={point.pk}#point-{point.pk}"
    )

    saved = client.post(save, {"text": "Feiner", "reply": Reply.NOTED, "revision": 1})
    assert saved["Location"] == f"{table}#point-{point.pk}"
    page = client.get(saved["Location"]).content.decode()
    assert "Punkt 1 ist gespeichert." in page and "<strong>Zur Kenntnis genommen</strong>" in page


def test_without_javascript_a_refused_point_shows_its_form_again_with_the_input(
    client, cycle, coordinator, point
):
    client.force_login(coordinator)
    table, _row, save = urls(cycle, point)
    refused = client.post(
        save, {"text": "  ", "reply": Reply.ADOPTED, "reasons": "Weil", "revision": 1}
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Zitieren oder umschreiben Sie den Punkt." in page
    assert 'name="reasons" rows="3">Weil</textarea>' in page
    assert f'<option value="{Reply.ADOPTED}" selected>' in page
    point.refresh_from_db()
    assert (point.text, point.reply, point.revision) == ("Feiner", "", 1)

    answer = point.answer
    add = reverse("consultations:add_point", args=[cycle.pk, answer.pk])
    assert client.get(table, {"add": answer.pk}).content.decode().count(f'action="{add}"') == 1
    empty = client.post(add, {"text": " "})
    assert empty.status_code == 400 and "Zitieren oder umschreiben Sie den Punkt." in (
        empty.content.decode()
    )
    added = client.post(add, {"text": "Noch einer"})
    new = answer.points.get(number=2)
    assert added["Location"] == f"{table}#point-{new.pk}"


def test_a_point_is_edited_in_its_row_with_htmx(client, cycle, coordinator, point):
    client.force_login(coordinator)
    _table, row, save = urls(cycle, point)
    opened = client.get(row, {"edit": point.pk}, **HTMX)
    html = opened.content.decode()
    assert opened.status_code == 200 and html.lstrip().startswith("<tr")
    assert html.count(f'action="{save}"') == 1 and 'name="revision" value="1"' in html

    refused = client.post(
        save, {"text": "", "reply": Reply.ADOPTED, "reasons": "Meine Gründe", "revision": 1}, **HTMX
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and html.lstrip().startswith("<tr")
    assert 'role="alert"' in html and "Zitieren oder umschreiben Sie den Punkt." in html
    assert ">Meine Gründe</textarea>" in html

    posted = {"text": "Feiner", "reply": Reply.ADOPTED, "reasons": "Meine Gründe", "revision": 1}
    saved = client.post(save, posted, **HTMX)
    html = saved.content.decode()
    assert saved.status_code == 200 and "<form" not in html
    assert (
        "Punkt 1 ist gespeichert." in html and "<strong>Übernommen</strong>: Meine Gründe" in html
    )
    point.refresh_from_db()
    assert (point.reply, point.revision) == (Reply.ADOPTED, 2)

    # A colleague saved since: refused as before (409), the input kept above their text.
    colleague = member_of(OrganisationFactory(), is_coordinator=True)
    weighing.save_point(
        point, actor=colleague, base_revision=2, text="Feiner", reply=Reply.NOTED, reasons="a"
    )
    conflict = client.post(save, {**posted, "reasons": "Meine neuen Gründe", "revision": 2}, **HTMX)
    html = conflict.content.decode()
    assert conflict.status_code == 409 and "zwischenzeitlich" in html
    assert ">Meine neuen Gründe</textarea>" in html and 'name="revision" value="3"' in html
    point.refresh_from_db()
    assert (point.reply, point.reasons) == (Reply.NOTED, "a")

    closed = client.get(row, **HTMX).content.decode()
    assert "<form" not in closed and "<strong>Zur Kenntnis genommen</strong>: a" in closed


def test_a_point_is_added_and_removed_in_its_row_with_htmx(client, cycle, coordinator, point):
    client.force_login(coordinator)
    answer = point.answer
    _table, row, _save = urls(cycle, point)
    add = reverse("consultations:add_point", args=[cycle.pk, answer.pk])
    form = client.get(row, {"add": ""}, **HTMX).content.decode()
    assert f'action="{add}"' in form and ">Neuer Punkt von Stadt Siegburg</label>" in form

    empty = client.post(add, {"text": "  "}, **HTMX)
    assert empty.status_code == 400 and "Zitieren oder umschreiben Sie den Punkt." in (
        empty.content.decode()
    )
    added = client.post(add, {"text": "Quote fehlt"}, **HTMX)
    html = added.content.decode()
    assert added.status_code == 200 and "Der Punkt ist hinzugefügt." in html
    assert "2. Quote fehlt" in html and "<form" not in html

    delete = reverse("consultations:delete_point", args=[cycle.pk, point.pk])
    removed = client.post(delete, **HTMX)
    html = removed.content.decode()
    assert removed.status_code == 200 and "Der Punkt ist entfernt." in html
    assert "1. Feiner" not in html and "2. Quote fehlt" in html
    assert list(answer.points.values_list("number", flat=True)) == [2]


def test_the_row_of_an_answer_is_for_coordinators_and_its_own_points(
    client, cycle, consultation, coordinator, member, point, other_org
):
    theirs = weighing.add_point(own_answer(cycle, other_org, 1), actor=coordinator, text="Nein")
    _table, row, _save = urls(cycle, point)
    client.force_login(coordinator)
    assert client.get(row, {"edit": theirs.pk}, **HTMX).status_code == 404
    assert client.get(row, {"edit": "eins"}, **HTMX).status_code == 404
    assert client.get(row, {"section": "9"}, **HTMX).status_code == 404
    elsewhere = reverse("consultations:answer_row", args=[consultation.pk, point.answer_id])
    assert client.get(elsewhere, **HTMX).status_code == 404
    assert client.post(row, **HTMX).status_code == 405
    client.force_login(member)
    assert client.get(row, {"edit": point.pk}, **HTMX).status_code == 404
    assert client.get(row).status_code == 404


def test_the_table_shows_one_section_on_request(client, cycle, coordinator, point):
    client.force_login(coordinator)
    table, row, save = urls(cycle, point)
    everything = client.get(table).content.decode()
    assert everything.count('<th scope="row"') == 6  # three organisations, two sections
    one = client.get(table, {"section": 2}).content.decode()
    assert one.count('<th scope="row"') == 3 and "2. Armut" in one and "1. Feiner" not in one
    assert client.get(table, {"section": 3}).status_code == 404
    # The section stays chosen through the forms.
    first = client.get(table, {"section": 1, "edit": point.pk}).content.decode()
    assert '<input type="hidden" name="section" value="1">' in first
    assert f'hx-get="{row}?section=1"' in first  # cancel
    saved = client.post(save, {"text": "Feiner", "revision": 1, "section": 1})
    assert saved["Location"] == f"{table}?page=1&section=1#point-{point.pk}"


HOSTILE = "<script>alert('x')</script> & \"Zitat\""
SHOWN = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Zitat&quot;"


def test_hostile_text_reads_as_text_in_the_table_its_row_and_its_forms(
    client, cycle, coordinator, own_org
):
    """The page makes its rows' strings, and a point's whole text, itself (escaped once):
    a name, a comment, a point and its reasons read as typed, never as markup."""
    own_org.name = HOSTILE
    own_org.save()
    answer = own_answer(cycle, own_org, 1)
    answer.value = {**answer.value, "comment": HOSTILE, "wording": HOSTILE}
    answer.save()
    point = weighing.add_point(answer, actor=coordinator, text=HOSTILE)
    weighing.save_point(
        point, actor=coordinator, base_revision=1, text=HOSTILE, reply=Reply.NOTED, reasons=HOSTILE
    )
    client.force_login(coordinator)
    table, row, save = urls(cycle, point)

    page = client.get(table).content.decode()
    assert "<script>alert" not in page and '"Zitat"' not in page
    assert f'<th scope="row" class="kern-table__cell">{SHOWN}</th>' in page
    assert f'<td class="kern-table__cell weighing-text">{SHOWN}</td>' in page  # comment
    assert f"1. {SHOWN}</p>" in page
    assert f"<strong>Zur Kenntnis genommen</strong>: {SHOWN}</p>" in page
    assert f'<span class="visually-hidden"> – Punkt 1 von {SHOWN}</span>' in page
    assert f">Neuer Punkt von {SHOWN}</a>" in page

    opened = client.get(table, {"edit": point.pk}).content.decode()
    assert "<script>alert" not in opened
    assert f'<legend class="kern-label">Punkt 1 von {SHOWN}</legend>' in opened
    assert f'name="text" rows="3" autofocus>{SHOWN}</textarea>' in opened

    posted = {"text": HOSTILE, "reply": Reply.ADOPTED, "reasons": HOSTILE, "revision": 2}
    saved = client.post(save, posted, HTTP_HX_REQUEST="true").content.decode()
    assert "<script>alert" not in saved and f"<strong>Übernommen</strong>: {SHOWN}</p>" in saved
    refused = client.post(save, {**posted, "text": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert (
        "<script>alert" not in refused and f'name="reasons" rows="3">{SHOWN}</textarea>' in refused
    )
    adding = client.get(row, {"add": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "<script>alert" not in adding and f">Neuer Punkt von {SHOWN}</label>" in adding
