"""The results of a workshop's live session outside the room: the API for coordinators, the
CSV export, and the documentation page (with charts, their data tables, and without what
the moderator hid for the invitees). The entries are made through the live services, as
the sockets make them."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import WorkshopFactory
from tests.live_support import invite
from workshops import services as workshop_services
from workshops.live import services
from workshops.live.models import ActivityKind

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def api(workshop, path=""):
    return f"/api/v1/workshops/{workshop.pk}/activities/{path}"


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def person(live_session, name):
    return services.join_with_code({}, live_session.join_code, name)


def opened(live_session, coordinator, kind, title, config=None):
    activity = services.create_activity(
        live_session, actor=coordinator, kind=kind, title=title, config=config
    )
    return services.open_activity(activity, actor=coordinator)


@pytest.fixture
def people(live_session):
    return {name: person(live_session, name) for name in ("Anna", "Ben", "Carla")}


@pytest.fixture
def session_results(live_session, coordinator, people):
    """One activity of each kind (two mood rounds), with entries of three participants;
    a card and a question hidden by the moderator, and one activity never opened."""
    anna, ben, carla = people["Anna"], people["Ben"], people["Carla"]
    made = {}

    cards = opened(
        live_session, coordinator, ActivityKind.CARDS, "Ideen", {"categories": ["Kita", "Schule"]}
    )
    kita = services.add_card(cards, participant=anna, text="Mehr Kitaplätze", category="Kita")
    ganztag = services.add_card(cards, participant=ben, text="Ganztag ausbauen", category="Schule")
    bus = services.add_card(
        cards, participant=carla, text="Busverbindung am Abend", category="Schule"
    )
    spam = services.add_card(
        cards, participant=carla, text="Werbung für meinen Laden", category="Kita"
    )
    services.hide_card(spam, actor=coordinator, hidden=True)
    care = services.create_cluster(
        cards, actor=coordinator, title="Betreuung", card_ids=[kita.pk, ganztag.pk]
    )
    transport = services.create_cluster(
        cards, actor=coordinator, title="Mobilität", card_ids=[bus.pk]
    )
    made |= {"cards": cards, "care": care, "transport": transport, "spam": spam}

    dots = opened(
        live_session,
        coordinator,
        ActivityKind.DOTS,
        "Was zuerst?",
        {"source": cards.pk, "dots": 3, "max_per_option": 2},
    )
    services.set_dots(dots, participant=anna, allocation={str(care.pk): 2, str(transport.pk): 1})
    services.set_dots(dots, participant=ben, allocation={str(care.pk): 1})
    made["dots"] = dots

    poll = opened(
        live_session,
        coordinator,
        ActivityKind.POLL,
        "Einverstanden?",
        {"options": ["Ja", "Nein", "Enthaltung"]},
    )
    services.answer_poll(poll, participant=anna, options=["1"])
    services.answer_poll(poll, participant=ben, options=["1"])
    services.answer_poll(poll, participant=carla, options=["2"])
    made["poll"] = poll

    questions = opened(live_session, coordinator, ActivityKind.QUESTIONS, "Fragen")
    report = services.ask_question(questions, participant=anna, text="Wann kommt der Bericht?")
    money = services.ask_question(
        questions, participant=ben, text="Wer bezahlt das?", anonymous=True
    )
    off = services.ask_question(questions, participant=carla, text="Gibt es Kuchen?")
    services.upvote_question(report, participant=ben)
    services.upvote_question(report, participant=carla)
    services.upvote_question(money, participant=anna)
    services.mark_question(report, actor=coordinator, answered=True)
    services.mark_question(money, actor=coordinator, pinned=True)
    services.mark_question(off, actor=coordinator, hidden=True)
    made |= {"questions": questions, "report": report, "money": money, "off": off}

    mood = opened(live_session, coordinator, ActivityKind.MOOD, "Stimmung")
    for participant, value in ((anna, 4), (ben, 4), (carla, 2)):
        services.set_mood(mood, participant=participant, value=value)
    services.close_activity(mood, actor=coordinator)
    made["mood"] = mood

    words = opened(live_session, coordinator, ActivityKind.MOOD, "Ein Wort", {"mode": "word"})
    for participant, word in ((anna, "Müde"), (ben, "müde"), (carla, "motiviert")):
        services.set_mood(words, participant=participant, value=word)
    made["words"] = words

    made["draft"] = services.create_activity(
        live_session,
        actor=coordinator,
        kind=ActivityKind.POLL,
        title="Später",
        config={"options": ["A", "B"]},
    )
    return made


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_activities_with_exact_results(coordinator, live_workshop, session_results):
    made = session_results
    response = client_for(coordinator).get(api(live_workshop))
    assert response.status_code == 200
    data = {item["title"]: item for item in response.json()}
    assert list(data) == [
        "Ideen",
        "Was zuerst?",
        "Einverstanden?",
        "Fragen",
        "Stimmung",
        "Ein Wort",
        "Später",
    ]

    cards = data["Ideen"]
    assert (cards["kind"], cards["status"], cards["revealed"]) == ("cards", "open", True)
    assert cards["config"] == {"categories": ["Kita", "Schule"], "max_length": 140}
    assert cards["results"]["participants"] == 3
    clusters = [
        (c["id"], c["title"], [(k["text"], k["category"], k["hidden"]) for k in c["cards"]])
        for c in cards["results"]["clusters"]
    ]
    assert clusters == [
        (
            made["care"].pk,
            "Betreuung",
            [("Mehr Kitaplätze", "Kita", False), ("Ganztag ausbauen", "Schule", False)],
        ),
        (made["transport"].pk, "Mobilität", [("Busverbindung am Abend", "Schule", False)]),
        (None, "Keinem Cluster zugeordnet", [("Werbung für meinen Laden", "Kita", True)]),
    ]

    dots = data["Was zuerst?"]["results"]
    assert dots["participants"] == 2
    assert dots["options"] == [
        {"key": str(made["care"].pk), "label": "Betreuung", "count": 3, "cluster": made["care"].pk},
        {
            "key": str(made["transport"].pk),
            "label": "Mobilität",
            "count": 1,
            "cluster": made["transport"].pk,
        },
    ]

    poll = data["Einverstanden?"]["results"]
    assert poll["participants"] == 3
    assert [(o["label"], o["count"]) for o in poll["options"]] == [
        ("Ja", 2),
        ("Nein", 1),
        ("Enthaltung", 0),
    ]

    questions = data["Fragen"]["results"]["questions"]
    assert [
        (q["text"], q["author"], q["upvotes"], q["answered"], q["pinned"], q["hidden"])
        for q in questions
    ] == [
        ("Wer bezahlt das?", None, 1, False, True, False),
        ("Wann kommt der Bericht?", "Anna", 2, True, False, False),
        ("Gibt es Kuchen?", "Carla", 0, False, False, True),
    ]

    mood = data["Stimmung"]
    assert mood["status"] == "closed"
    assert [(o["key"], o["count"]) for o in mood["results"]["options"]] == [
        ("1", 0),
        ("2", 1),
        ("3", 0),
        ("4", 2),
        ("5", 0),
    ]
    assert mood["results"]["participants"] == 3

    words = data["Ein Wort"]["results"]
    assert [(w["word"].lower(), w["count"]) for w in words["words"]] == [
        ("müde", 2),
        ("motiviert", 1),
    ]
    assert words["options"] == []

    draft = data["Später"]
    assert draft["status"] == "draft"
    assert [o["count"] for o in draft["results"]["options"]] == [0, 0]


def test_api_shows_one_activity(coordinator, live_workshop, session_results):
    poll = session_results["poll"]
    response = client_for(coordinator).get(api(live_workshop, f"{poll.pk}/"))
    assert response.status_code == 200
    assert response.json()["id"] == poll.pk
    assert response.json()["results"]["options"][0] == {
        "key": "1",
        "label": "Ja",
        "count": 2,
        "cluster": None,
    }

    other = client_for(coordinator).get(
        f"/api/v1/workshops/{live_workshop.pk + 1000}/activities/{poll.pk}/"
    )
    assert other.status_code == 404
    assert client_for(coordinator).get(api(live_workshop, "999999/")).status_code == 404


def test_api_without_live_session_lists_nothing(coordinator):
    assert client_for(coordinator).get(api(WorkshopFactory())).json() == []


def test_api_activities_are_for_coordinators_only(member, outsider, live_workshop, session_results):
    # The member is even invited: the workshop itself is visible to them, its results are not.
    invite(live_workshop, person=member.person)
    assert client_for(member).get(f"/api/v1/workshops/{live_workshop.pk}/").status_code == 200
    poll = session_results["poll"]
    for user in (member, outsider):
        client = client_for(user)
        assert client.get(api(live_workshop)).status_code == 404
        assert client.get(api(live_workshop, f"{poll.pk}/")).status_code == 404
        response = client.get(api(live_workshop, "export/"))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    assert APIClient().get(api(live_workshop)).status_code == 401


def test_api_list_queries_do_not_grow_with_activities(
    coordinator, live_session, people, django_assert_num_queries
):
    client = client_for(coordinator)
    workshop = live_session.workshop

    def add_poll(title):
        poll = opened(
            live_session, coordinator, ActivityKind.POLL, title, {"options": ["Ja", "Nein"]}
        )
        for participant in people.values():
            services.answer_poll(poll, participant=participant, options=["1"])

    def add_cards(title):
        cards = opened(live_session, coordinator, ActivityKind.CARDS, title)
        card = services.add_card(cards, participant=people["Anna"], text="Eine Idee")
        services.create_cluster(cards, actor=coordinator, title="Gruppe", card_ids=[card.pk])

    add_poll("Erste Frage")
    client.get(api(workshop))  # warm up caches that are filled once per process
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(api(workshop)).json()) == 1
    add_cards("Ideen")
    questions = opened(live_session, coordinator, ActivityKind.QUESTIONS, "Fragen")
    services.ask_question(questions, participant=people["Ben"], text="Warum?")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(api(workshop)).json()) == 3


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


EXPECTED_CSV = [
    [
        "Activity",
        "Kind",
        "Entry",
        "Option or cluster",
        "Text",
        "Category",
        "Count",
        "Hidden",
        "Answered",
        "Pinned",
    ],
    ["Ideen", "Card collection", "Card", "Betreuung", "Mehr Kitaplätze", "Kita", "", "no", "", ""],
    [
        "Ideen",
        "Card collection",
        "Card",
        "Betreuung",
        "Ganztag ausbauen",
        "Schule",
        "",
        "no",
        "",
        "",
    ],
    [
        "Ideen",
        "Card collection",
        "Card",
        "Mobilität",
        "Busverbindung am Abend",
        "Schule",
        "",
        "no",
        "",
        "",
    ],
    [
        "Ideen",
        "Card collection",
        "Card",
        "Not clustered",
        "Werbung für meinen Laden",
        "Kita",
        "",
        "yes",
        "",
        "",
    ],
    ["Was zuerst?", "Dot voting", "Option", "Betreuung", "", "", "3", "", "", ""],
    ["Was zuerst?", "Dot voting", "Option", "Mobilität", "", "", "1", "", "", ""],
    ["Einverstanden?", "Poll", "Option", "Ja", "", "", "2", "", "", ""],
    ["Einverstanden?", "Poll", "Option", "Nein", "", "", "1", "", "", ""],
    ["Einverstanden?", "Poll", "Option", "Enthaltung", "", "", "0", "", "", ""],
    ["Fragen", "Questions", "Question", "", "Wer bezahlt das?", "", "1", "no", "no", "yes"],
    ["Fragen", "Questions", "Question", "", "Wann kommt der Bericht?", "", "2", "no", "yes", "no"],
    ["Fragen", "Questions", "Question", "", "Gibt es Kuchen?", "", "0", "yes", "no", "no"],
    ["Stimmung", "Mood round", "Value", "1", "", "", "0", "", "", ""],
    ["Stimmung", "Mood round", "Value", "2", "", "", "1", "", "", ""],
    ["Stimmung", "Mood round", "Value", "3", "", "", "0", "", "", ""],
    ["Stimmung", "Mood round", "Value", "4", "", "", "2", "", "", ""],
    ["Stimmung", "Mood round", "Value", "5", "", "", "0", "", "", ""],
    ["Ein Wort", "Mood round", "Word", "", "müde", "", "2", "", "", ""],
    ["Ein Wort", "Mood round", "Word", "", "motiviert", "", "1", "", "", ""],
]


def normalised(table):
    # Which spelling of a word is shown depends on the database's collation.
    return [
        [cell.lower() if row[2] == "Word" and i == 4 else cell for i, cell in enumerate(row)]
        for row in table
    ]


def test_csv_has_one_row_per_entry(client, coordinator, live_workshop, session_results):
    client.force_login(coordinator)
    response = client.get(
        reverse("workshops:export_live_results", args=[live_workshop.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert (
        disposition.startswith("attachment;") and "sozialraumkonferenz-live-results-" in disposition
    )
    assert "no-store" in response["Cache-Control"]
    assert normalised(read_csv(response.content)) == EXPECTED_CSV


def test_csv_over_the_api_is_the_same_file(client, coordinator, live_workshop, session_results):
    client.force_login(coordinator)
    page = client.get(reverse("workshops:export_live_results", args=[live_workshop.pk]))
    response = client_for(coordinator).get(api(live_workshop, "export/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content == page.content
    # Asking for CSV by the Accept header works too.
    accepted = client_for(coordinator).get(api(live_workshop, "export/"), HTTP_ACCEPT="text/csv")
    assert accepted.status_code == 200


def test_csv_is_for_coordinators_only(client, member, live_workshop, session_results):
    url = reverse("workshops:export_live_results", args=[live_workshop.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(member)
    assert client.get(url).status_code == 404


def test_csv_defuses_formulas(client, coordinator, live_session, people):
    cards = opened(live_session, coordinator, ActivityKind.CARDS, "=Ideen")
    services.add_card(cards, participant=people["Anna"], text='=HYPERLINK("http://x")')
    client.force_login(coordinator)
    table = read_csv(
        client.get(
            reverse("workshops:export_live_results", args=[live_session.workshop.pk])
        ).content
    )
    assert table[1][0] == "'=Ideen"
    assert table[1][4] == '\'=HYPERLINK("http://x")'


# --- documentation page --------------------------------------------------------------------------


def chart(page, chart_id):
    """The SVG chart's labels and counts, its accessible name, and its data table's rows."""
    start = page.index(f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}"')
    svg = ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert svg.get("aria-labelledby").split()[0] == title.get("id")
    texts = svg.findall(f"{SVG}text")
    drawn = [
        (label.text, int(count.text)) for label, count in zip(texts[::2], texts[1::2], strict=True)
    ]
    start = page.index(f'<table id="{chart_id}-data">')
    table = ET.fromstring(page[start : page.index("</table>", start) + len("</table>")])
    rows = [(row.find("th").text, int(row.find("td").text)) for row in table.find("tbody")]
    return title.text, drawn, rows


def documentation(client, workshop):
    response = client.get(
        reverse("workshops:documentation", args=[workshop.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html):
    """What a reader sees of a piece of the page: its text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_documentation_shows_the_live_results_to_coordinators(
    client, coordinator, live_workshop, session_results
):
    client.force_login(coordinator)
    page = documentation(client, live_workshop)
    made = session_results
    assert re.search(r'<h2 id="live-results-title"[^>]*>Live session</h2>', page)
    assert reverse("workshops:export_live_results", args=[live_workshop.pk]) in page

    # Cards by cluster, the hidden one marked.
    betreuung = page.index(">Betreuung <span")
    mobility = page.index(">Mobilität <span")
    assert betreuung < page.index("Mehr Kitaplätze") < page.index("Ganztag ausbauen") < mobility
    assert mobility < page.index("Busverbindung am Abend") < page.index(">Not clustered <span")
    assert "Werbung für meinen Laden Kita hidden from the invitees" in visible_text(page)

    title, drawn, rows = chart(page, f"activity-{made['dots'].pk}-chart")
    assert title == "Dots per option in “Was zuerst?”"
    assert drawn == rows == [("Betreuung", 3), ("Mobilität", 1)]
    title, drawn, rows = chart(page, f"activity-{made['poll'].pk}-chart")
    assert title == "Answers per option in “Einverstanden?”"
    assert drawn == rows == [("Ja", 2), ("Nein", 1), ("Enthaltung", 0)]
    _title, drawn, rows = chart(page, f"activity-{made['mood'].pk}-chart")
    assert drawn == rows == [("1", 0), ("2", 1), ("3", 0), ("4", 2), ("5", 0)]

    questions = page[page.index(f'id="activity-{made["questions"].pk}-questions"') :]
    questions = questions[: questions.index("</table>")]
    assert questions.index("Wer bezahlt das?") < questions.index("Wann kommt der Bericht?")
    assert re.search(r"<td[^>]*>anonymous</td>", questions)
    assert re.search(r"<td[^>]*>Anna</td>", questions)
    assert "Gibt es Kuchen?" in questions

    words = page[page.index(f'id="activity-{made["words"].pk}-words"') :]
    assert re.search(r'<td class="[^"]*chart-count">2</td>', words[: words.index("</table>")])
    assert "Später" not in page  # never opened: no results


def test_documentation_hides_hidden_entries_from_invitees(
    client, coordinator, member, live_workshop, session_results
):
    invite(live_workshop, person=member.person)
    client.force_login(member)
    url = reverse("workshops:documentation", args=[live_workshop.pk])
    assert client.get(url).status_code == 404  # not shared yet

    workshop_services.share_documentation(live_workshop, actor=coordinator, shared=True)
    # The dot vote's results were shown in the room, the poll's never.
    services.reveal_activity(session_results["dots"], actor=coordinator, revealed=True)
    page = documentation(client, live_workshop)
    assert "Einverstanden?" not in page
    assert "Mehr Kitaplätze" in page and "Busverbindung am Abend" in page
    assert "Werbung für meinen Laden" not in page and "Not clustered" not in page
    assert "Wann kommt der Bericht?" in page and "Gibt es Kuchen?" not in page
    assert "hidden from the invitees" not in page
    assert reverse("workshops:export_live_results", args=[live_workshop.pk]) not in page
    _title, drawn, rows = chart(page, f"activity-{session_results['dots'].pk}-chart")
    assert drawn == rows == [("Betreuung", 3), ("Mobilität", 1)]


def test_documentation_without_live_session_has_no_live_section(client, coordinator):
    client.force_login(coordinator)
    assert "live-results-title" not in documentation(client, WorkshopFactory(status="done"))


# --- schema ------------------------------------------------------------------------------------


def test_schema_describes_the_live_results(tmp_path):
    path = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", path
    )
    schema = path.read_text()
    for endpoint in [
        "/api/v1/workshops/{id}/activities/",
        "/api/v1/workshops/{id}/activities/{activity_id}/",
        "/api/v1/workshops/{id}/activities/export/",
    ]:
        assert f'"{endpoint}"' in schema
    assert '"LiveActivity"' in schema and '"LiveResults"' in schema


def test_documentation_queries_do_not_grow_with_activities(
    client, coordinator, live_session, people, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("workshops:documentation", args=[live_session.workshop.pk])
    poll = opened(
        live_session, coordinator, ActivityKind.POLL, "Erste", {"options": ["Ja", "Nein"]}
    )
    services.answer_poll(poll, participant=people["Anna"], options=["2"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    cards = opened(live_session, coordinator, ActivityKind.CARDS, "Ideen")
    services.add_card(cards, participant=people["Ben"], text="Eine Idee")
    mood = opened(live_session, coordinator, ActivityKind.MOOD, "Stimmung")
    services.set_mood(mood, participant=people["Carla"], value=5)
    with django_assert_num_queries(len(one.captured_queries)):
        assert "Stimmung" in client.get(url).content.decode()


def test_coordinators_are_told_which_results_the_invitees_do_not_see(
    client, coordinator, live_workshop, session_results
):
    services.reveal_activity(session_results["dots"], actor=coordinator, revealed=True)
    client.force_login(coordinator)
    page = documentation(client, live_workshop)
    note = "Not shown to the invitees"
    poll = page[page.index("Einverstanden?") :]
    assert note in poll[: poll.index("</section>")]
    dots = page[page.index("Was zuerst?") :]
    assert note not in dots[: dots.index("</section>")]
