"""Live workshop sessions end to end: real uvicorn processes serving config.asgi, the Redis
channel layer, PostgreSQL with committed data, and `websockets` clients with session
cookies (docs/live-protocol.md)."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participation.models import EventStatus
from tests.factories import PersonFactory, UserFactory
from tests.live_support import (
    LiveClient,
    connect_all,
    create,
    invite,
    joined,
    ok,
    refused,
    run,
    session_cookie,
    signed_in_cookie,
)
from workshops.live import handlers, services
from workshops.live.errors import AccessDenied
from workshops.live.models import DotVote, LiveParticipant, LiveSession
from workshops.models import Workshop

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


# --- connecting -------------------------------------------------------------------------------


def test_live_moderator_gets_snapshot_and_opens_session(asgi_server, live_workshop, coordinator):
    cookie = signed_in_cookie(coordinator)

    async def scenario():
        moderator = await LiveClient.connect(asgi_server, live_workshop, cookie)
        snapshot = await moderator.expect("snapshot")
        await moderator.close()
        return snapshot

    snapshot = run(scenario())
    live_session = LiveSession.objects.get(workshop=live_workshop)
    assert snapshot["role"] == "moderator"
    assert snapshot["session"]["join_code"] == live_session.join_code
    assert snapshot["seq"] == live_session.seq
    assert snapshot["me"] is None
    assert snapshot["activities"] == []


def test_live_refuses_strangers_and_foreign_origins(
    asgi_server, live_session, live_workshop, outsider
):
    async def scenario():
        anonymous = await LiveClient.connect(asgi_server, live_workshop)
        stranger = await LiveClient.connect(asgi_server, live_workshop, signed_in_cookie(outsider))
        codes = [await anonymous.closed(), await stranger.closed()]
        with pytest.raises(Exception) as refused:
            await LiveClient.connect(asgi_server, live_workshop, origin="http://evil.example")
        return codes, refused.value

    codes, refused = run(scenario())
    assert codes == [4401, 4401]
    assert "403" in str(refused)


def test_live_invitees_join_by_account_or_link(asgi_server, live_session, live_workshop):
    signed_in = UserFactory()
    invite(live_workshop, PersonFactory(user=signed_in, first_name="Ada", last_name="Lovelace"))
    by_link = invite(live_workshop, name="Grace Hopper")
    account_cookie = signed_in_cookie(signed_in)
    link_cookie = session_cookie(invitations=[by_link.pk])

    async def scenario():
        first = await LiveClient.connect(asgi_server, live_workshop, account_cookie)
        second = await LiveClient.connect(asgi_server, live_workshop, link_cookie)
        snapshots = [await first.expect("snapshot"), await second.expect("snapshot")]
        await first.close()
        await second.close()
        return snapshots

    first, second = run(scenario())
    assert first["role"] == second["role"] == "participant"
    assert first["me"]["display_name"] == "Ada Lovelace"
    assert second["me"]["display_name"] == "Grace Hopper"
    assert LiveParticipant.objects.filter(session=live_session).count() == 2


def test_live_join_code_needs_anonymous_joining(live_session, coordinator):
    services.update_live_session(live_session, actor=coordinator, allow_anonymous=False)
    with pytest.raises(services.LiveError) as refused:
        services.join_with_code({}, live_session.join_code, "Gast")
    assert refused.value.code == "forbidden"
    with pytest.raises(services.LiveError) as unknown:
        services.join_with_code({}, "XXXXXX", "Gast")
    assert unknown.value.code == "not_found"
    services.update_live_session(live_session, actor=coordinator, allow_anonymous=True)
    store = {}
    participant = services.join_with_code(store, live_session.join_code.lower(), "  Gast  ")
    assert participant.display_name == "Gast"
    assert store == {"live_participants": {str(live_session.pk): participant.pk}}


def test_live_join_code_participant_connects_with_one_statement(
    live_session, live_workshop, coordinator, django_assert_num_queries
):
    """Who a socket is, for someone who joined with the code: one statement (a room of them
    connects at once), and the same refusals as for everyone else."""
    anna_store, ben_store, elsewhere_store = {}, {}, {}
    anna = services.join_with_code(anna_store, live_session.join_code, "Anna")
    ben = services.join_with_code(ben_store, live_session.join_code, "Ben")
    now = timezone.now()
    times = {"start": now, "end": now + timezone.timedelta(hours=2), "venue_name": "Hall"}
    elsewhere = Workshop.objects.create(title="Elsewhere", status=EventStatus.PUBLISHED, **times)
    other_session = services.ensure_live_session(elsewhere, actor=coordinator)
    stranger = services.join_with_code(elsewhere_store, other_session.join_code, "Cleo")
    no_live_session = Workshop.objects.create(title="Quiet", status=EventStatus.PUBLISHED, **times)

    def connect(store, workshop=live_workshop, joined=None):
        return handlers.connect(
            workshop.pk, user=AnonymousUser(), session_store=store, joined=joined
        )

    def refusal(store, workshop=live_workshop):
        with pytest.raises(AccessDenied) as refused:
            connect(store, workshop)
        return refused.value.close_code

    with django_assert_num_queries(1):
        access, snapshot = connect(anna_store)
    assert (access.role, access.session_id, access.participant_id, access.display_name) == (
        "participant",
        live_session.pk,
        anna.pk,
        "Anna",
    )
    assert snapshot is None
    _access, snapshot = connect(anna_store, joined=(live_session.pk, "pub"))
    assert json.loads(snapshot)["me"] == {"participant": anna.pk, "display_name": "Anna"}
    assert connect(elsewhere_store, elsewhere)[0].participant_id == stranger.pk

    foreign = {"live_participants": {str(live_session.pk): stranger.pk}}
    assert refusal(elsewhere_store) == refusal(foreign) == refusal({}) == 4401
    assert refusal(anna_store, no_live_session) == 4404
    services.remove_participant(ben, actor=coordinator)
    assert refusal(ben_store) == 4403
    services.end_for_workshop(live_workshop, actor=coordinator)
    assert refusal(anna_store) == 4410


# --- every activity type -------------------------------------------------------------------------


def test_live_card_collection_with_clusters(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        cards = await create(
            moderator, "cards", "Was fällt auf?", {"categories": ["Stärken", "Lücken"]}
        )
        await anna.until(
            lambda c: cards in c.activities and c.activities[cards]["status"] == "open"
        )
        first = (
            await ok(
                anna,
                {
                    "type": "card.add",
                    "activity": cards,
                    "text": "Viele Vereine",
                    "category": "Stärken",
                },
            )
        )["id"]
        second = (
            await ok(
                ben,
                {
                    "type": "card.add",
                    "activity": cards,
                    "text": "Wenig Busse",
                    "category": "Lücken",
                },
            )
        )["id"]
        third = (
            await ok(
                ben,
                {
                    "type": "card.add",
                    "activity": cards,
                    "text": "Kein Jugendtreff",
                    "category": "Lücken",
                },
            )
        )["id"]
        await refused(
            anna, {"type": "card.add", "activity": cards, "text": "x", "category": "?"}, "invalid"
        )
        await refused(
            anna,
            {"type": "card.add", "activity": cards, "text": "y" * 141, "category": "Lücken"},
            "invalid",
        )
        for client in (moderator, anna, ben):
            await client.until(lambda c: len(c.items(cards, "cards")) == 3)

        cluster = (
            await ok(
                moderator,
                {
                    "type": "cluster.create",
                    "activity": cards,
                    "title": "Mobilität",
                    "cards": [second, third],
                },
            )
        )["id"]
        await ok(moderator, {"type": "cluster.rename", "cluster": cluster, "title": "Angebote"})
        await ok(moderator, {"type": "card.move", "card": third, "cluster": None})
        await ok(moderator, {"type": "card.hide", "card": first, "hidden": True})

        def settled(c):
            items = {card["id"]: card for card in c.items(cards, "cards")}
            clusters = c.items(cards, "clusters")
            return (
                [cl["title"] for cl in clusters] == ["Angebote"]
                and items.get(second, {}).get("cluster") == cluster
                and items.get(third, {}).get("cluster") is None
                and (first not in items if c.role == "participant" else items[first]["hidden"])
            )

        for client in (moderator, anna, ben):
            await client.until(settled)
        # Anna's own hidden card is still hers.
        await anna.send({"type": "resync"})
        snapshot = await anna.expect("snapshot")
        mine = snapshot["activities"][0]["mine"]["cards"]
        for client in (moderator, anna, ben):
            await client.close()
        return mine

    mine = run(scenario())
    assert [card["text"] for card in mine] == ["Viele Vereine"]


def test_live_dot_voting_limits_and_reveal(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        dots = await create(
            moderator,
            "dots",
            "Was zuerst?",
            {"dots": 3, "max_per_option": 2, "options": ["Spielplätze", "Busse", "Kitas"]},
        )
        await ben.until(lambda c: dots in c.activities and c.activities[dots]["status"] == "open")
        mine = await ok(
            anna, {"type": "dots.set", "activity": dots, "allocation": {"1": 2, "2": 1}}
        )
        assert mine["mine"] == {"allocation": {"1": 2, "2": 1}}
        await refused(
            ben, {"type": "dots.set", "activity": dots, "allocation": {"1": 3}}, "conflict"
        )
        await refused(
            ben, {"type": "dots.set", "activity": dots, "allocation": {"1": 2, "2": 2}}, "conflict"
        )
        await refused(
            ben, {"type": "dots.set", "activity": dots, "allocation": {"9": 1}}, "invalid"
        )
        await ok(ben, {"type": "dots.set", "activity": dots, "allocation": {"1": 1, "3": 2}})
        # Moving a dot: the new allocation replaces the old one.
        await ok(ben, {"type": "dots.set", "activity": dots, "allocation": {"2": 1, "3": 2}})

        final = {"1": 2, "2": 2, "3": 2}
        await moderator.until(lambda c: (c.results(dots) or {}).get("tally") == final)
        assert moderator.results(dots)["voters"] == 2
        assert anna.activities[dots]["results"] is None  # not revealed yet

        await ok(moderator, {"type": "activity.reveal", "activity": dots, "revealed": True})
        for client in (anna, ben):
            await client.until(lambda c: (c.results(dots) or {}).get("tally") == final)
        await ok(moderator, {"type": "activity.close", "activity": dots})
        await anna.until(lambda c: c.activities[dots]["status"] == "closed")
        await refused(anna, {"type": "dots.set", "activity": dots, "allocation": {}}, "closed")
        for client in (moderator, anna, ben):
            await client.close()

    run(scenario())
    assert sum(DotVote.objects.values_list("count", flat=True)) == 6


def test_live_dot_voting_on_clusters(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        cards = await create(moderator, "cards", "Ideen")
        await anna.until(lambda c: cards in c.activities)
        card = (await ok(anna, {"type": "card.add", "activity": cards, "text": "Radwege"}))["id"]
        cluster = (
            await ok(
                moderator,
                {"type": "cluster.create", "activity": cards, "title": "Verkehr", "cards": [card]},
            )
        )["id"]
        dots = await create(moderator, "dots", "Priorität", {"dots": 2, "source": cards})
        await ben.until(lambda c: dots in c.activities)
        assert ben.items(dots, "options") == [{"key": str(cluster), "label": "Verkehr"}]
        await ok(ben, {"type": "dots.set", "activity": dots, "allocation": {str(cluster): 2}})
        # Renaming the cluster renames the option.
        await ok(moderator, {"type": "cluster.rename", "cluster": cluster, "title": "Mobilität"})
        await ben.until(lambda c: c.items(dots, "options")[0]["label"] == "Mobilität")
        await moderator.until(lambda c: (c.results(dots) or {}).get("tally") == {str(cluster): 2})
        for client in (moderator, anna, ben):
            await client.close()

    run(scenario())


def test_live_poll_results_hidden_until_revealed(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        single = await create(moderator, "poll", "Termin?", {"options": ["Mai", "Juni"]})
        multiple = await create(
            moderator, "poll", "Themen?", {"options": ["A", "B", "C"], "multiple": True}
        )
        await anna.until(lambda c: single in c.activities and multiple in c.activities)
        await ok(anna, {"type": "poll.answer", "activity": single, "options": ["1"]})
        await refused(
            ben, {"type": "poll.answer", "activity": single, "options": ["1", "2"]}, "invalid"
        )
        await ok(ben, {"type": "poll.answer", "activity": single, "options": ["2"]})
        await ok(ben, {"type": "poll.answer", "activity": multiple, "options": ["1", "3"]})
        await ok(anna, {"type": "poll.answer", "activity": multiple, "options": ["3"]})
        await moderator.until(
            lambda c: (
                (c.results(multiple) or {}).get("counts") == {"1": 1, "3": 2}
                and (c.results(single) or {}).get("counts") == {"1": 1, "2": 1}
            )
        )
        assert anna.activities[single]["results"] is None
        await ok(moderator, {"type": "activity.reveal", "activity": single, "revealed": True})
        await anna.until(
            lambda c: c.results(single) == {"counts": {"1": 1, "2": 1}, "respondents": 2}
        )
        assert anna.activities[multiple]["results"] is None
        # Withdrawing an answer.
        await ok(anna, {"type": "poll.answer", "activity": single, "options": []})
        await ben.until(lambda c: (c.results(single) or {}).get("respondents") == 1)
        for client in (moderator, anna, ben):
            await client.close()

    run(scenario())


def test_live_questions_upvotes_and_moderation(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        questions = await create(moderator, "questions", "Fragen", {"anonymous": True})
        await anna.until(lambda c: questions in c.activities)
        asked = (
            await ok(
                anna,
                {
                    "type": "question.ask",
                    "activity": questions,
                    "text": "Wer zahlt das?",
                    "anonymous": True,
                },
            )
        )["id"]
        named = (
            await ok(
                ben, {"type": "question.ask", "activity": questions, "text": "Wann geht es los?"}
            )
        )["id"]
        await ok(ben, {"type": "question.upvote", "question": asked})
        await refused(ben, {"type": "question.upvote", "question": asked}, "conflict")
        await refused(anna, {"type": "question.upvote", "question": asked}, "conflict")
        await ok(
            moderator,
            {"type": "question.mark", "question": asked, "answered": True, "pinned": True},
        )
        await ok(moderator, {"type": "question.mark", "question": named, "hidden": True})

        def settled(c):
            shown = {q["id"]: q for q in c.items(questions, "questions")}
            return (
                asked in shown
                and shown[asked]["answered"]
                and shown[asked]["pinned"]
                and (c.results(questions) or {}).get("votes") == {str(asked): 1}
                and (named not in shown if c.role == "participant" else shown[named]["hidden"])
            )

        for client in (moderator, anna, ben):
            await client.until(settled)
        authors = {q["id"]: q["author"] for q in moderator.items(questions, "questions")}
        # Named-only questions: anonymity is refused.
        strict = await create(moderator, "questions", "Mit Namen", {"anonymous": False})
        await anna.until(lambda c: strict in c.activities)
        await refused(
            anna,
            {"type": "question.ask", "activity": strict, "text": "?", "anonymous": True},
            "forbidden",
        )
        for client in (moderator, anna, ben):
            await client.close()
        return authors, asked, named

    authors, asked, named = run(scenario())
    assert authors == {asked: None, named: "Ben"}


def test_live_mood_round_scale_and_words(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        scale = await create(moderator, "mood", "Wie geht es Ihnen?")
        words = await create(moderator, "mood", "Ein Wort", {"mode": "word"})
        await ok(moderator, {"type": "activity.reveal", "activity": scale, "revealed": True})
        await ok(moderator, {"type": "activity.reveal", "activity": words, "revealed": True})
        await anna.until(lambda c: scale in c.activities and words in c.activities)
        await ok(anna, {"type": "mood.set", "activity": scale, "value": 4})
        await ok(ben, {"type": "mood.set", "activity": scale, "value": 5})
        await ok(ben, {"type": "mood.set", "activity": scale, "value": 2})
        await refused(ben, {"type": "mood.set", "activity": scale, "value": 6}, "invalid")
        await ok(anna, {"type": "mood.set", "activity": words, "value": "Müde"})
        await ok(ben, {"type": "mood.set", "activity": words, "value": "müde"})
        await refused(
            ben, {"type": "mood.set", "activity": words, "value": "zwei Worte"}, "invalid"
        )
        expected_scale = {"distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}, "count": 2}
        expected_words = {"words": [{"word": "Müde", "count": 2}], "count": 2}
        for client in (moderator, anna, ben):
            await client.until(
                lambda c: c.results(scale) == expected_scale and c.results(words) == expected_words
            )
        for client in (moderator, anna, ben):
            await client.close()

    run(scenario())


# --- without sockets ----------------------------------------------------------------------------


def test_live_moderator_changes_are_audited(live_session, coordinator):
    activity = services.create_activity(
        live_session, actor=coordinator, kind="poll", title="Termin", config={"options": ["A", "B"]}
    )
    services.open_activity(activity, actor=coordinator)
    entries = LogEntry.objects.get_for_object(activity)
    assert entries.count() == 2
    assert {entry.actor for entry in entries} == {coordinator}


def test_live_recheck_notices_ended_access(live_session, coordinator):
    _cookie, anna = joined(live_session, "Anna")
    participant = handlers.Access(
        "participant", live_session.workshop_id, live_session.pk, participant_id=anna.pk
    )
    moderator = handlers.Access(
        "moderator", live_session.workshop_id, live_session.pk, user=coordinator
    )
    assert handlers.recheck(participant) == handlers.recheck(moderator) == live_session.seq + 1
    services.remove_participant(anna, actor=coordinator)
    with pytest.raises(AccessDenied) as removed:
        handlers.recheck(participant)
    coordinator.is_coordinator = False
    coordinator.save()
    with pytest.raises(AccessDenied) as demoted:
        handlers.recheck(moderator)
    assert (removed.value.close_code, demoted.value.close_code) == (4403, 4401)


def test_live_config_is_validated_per_kind(live_session, coordinator):
    cases = [
        ("dots", {"dots": 0, "options": ["A", "B"]}, "config.dots"),
        ("dots", {"dots": 3, "max_per_option": 4, "options": ["A", "B"]}, "config.max_per_option"),
        ("dots", {"options": ["A"]}, "config.options"),
        ("dots", {"source": 999999}, "config.source"),
        ("poll", {"options": ["A", "B"], "colour": "red"}, "config.colour"),
        ("poll", {"options": [{"key": "x", "label": "A"}, {"key": "x", "label": "B"}]},
         "config.options"),
        ("cards", {"categories": ["A", "A"]}, "config.categories"),
        ("mood", {"mode": "emoji"}, "config.mode"),
        ("quiz", {}, "kind"),
    ]  # fmt: skip
    fields = []
    for kind, config, _field in cases:
        with pytest.raises(services.LiveError) as refused:
            services.create_activity(
                live_session, actor=coordinator, kind=kind, title="x", config=config
            )
        fields.append(refused.value.field)
    assert fields == [field for _kind, _config, field in cases]
    poll = services.create_activity(
        live_session, actor=coordinator, kind="poll", title="x", config={"options": ["A", "B"]}
    )
    assert poll.config == {
        "options": [{"key": "1", "label": "A"}, {"key": "2", "label": "B"}],
        "multiple": False,
    }
    assert not poll.revealed
