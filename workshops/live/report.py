"""What a workshop's live session produced, activity by activity: the results its
documentation page, the API and the CSV export show.

`workshop_reports` reads every activity of the session in a fixed number of queries, however
many activities and entries there are. With `public=True` it leaves out what the moderator
hid (cards, questions) and the activities whose results were never shown in the room: what
invitees may read on the shared documentation."""

from dataclasses import dataclass, field

from django.db.models import Count, Min, Sum
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from .models import (
    Activity,
    ActivityKind,
    Card,
    Cluster,
    DotVote,
    MoodEntry,
    PollAnswer,
    Question,
)

MOOD_VALUES = range(1, 6)


@dataclass(frozen=True)
class OptionCount:
    """One option of a dot vote or poll (a cluster, when the vote is on a card collection's
    clusters), or one value of a mood scale, with its dots, answers or entries. `label` and
    `count` are what a bar chart draws."""

    key: str
    label: str
    count: int
    cluster: int | None = None


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int


@dataclass
class ClusterCards:
    """The cards of one cluster; `cluster` None for the cards in none."""

    cluster: Cluster | None
    cards: list[Card]

    @property
    def id(self):
        return self.cluster.pk if self.cluster else None

    @property
    def title(self):
        return self.cluster.title if self.cluster else _("Not clustered")


@dataclass(frozen=True)
class QuestionEntry:
    question: Question
    upvotes: int

    @property
    def author(self):
        return None if self.question.anonymous else self.question.participant.display_name


@dataclass
class ActivityReport:
    """One activity with its results. Only the fields of its kind are filled:
    cards: `clusters`; dots, poll and a mood scale: `options`; questions: `questions`;
    a mood round by word: `words`. `participants`: how many voted, answered, wrote a card
    or gave a mood."""

    activity: Activity
    participants: int = 0
    options: list[OptionCount] = field(default_factory=list)
    clusters: list[ClusterCards] = field(default_factory=list)
    questions: list[QuestionEntry] = field(default_factory=list)
    words: list[WordCount] = field(default_factory=list)

    @property
    def has_chart(self):
        return bool(self.options)

    @property
    def chart_title(self):
        title = self.activity.title
        if self.activity.kind == ActivityKind.DOTS:
            return _("Dots per option in “%(title)s”") % {"title": title}
        if self.activity.kind == ActivityKind.POLL:
            return _("Answers per option in “%(title)s”") % {"title": title}
        return _("Entries per mood value in “%(title)s”") % {"title": title}

    @property
    def value_heading(self):
        if self.activity.kind == ActivityKind.MOOD:
            return _("Mood (1 to 5)")
        return _("Option")

    @property
    def count_heading(self):
        if self.activity.kind == ActivityKind.DOTS:
            return _("Dots")
        if self.activity.kind == ActivityKind.POLL:
            return _("Answers")
        return _("Entries")

    @property
    def chart_note(self):
        """Said under the chart when one participant adds to several counts."""
        kind, config = self.activity.kind, self.activity.config
        if kind == ActivityKind.DOTS or (kind == ActivityKind.POLL and config.get("multiple")):
            return _(
                "One person could give to several options, so the numbers can add up to "
                "more than the people who took part."
            )
        return ""


def workshop_reports(workshop, *, activity_id=None, public=False, drafts=True):
    """The reports of the workshop's live activities in the session's order (or only the
    one with `activity_id`); none without a live session. Ten queries at most."""
    activities = Activity.objects.filter(session__workshop=workshop)
    if activity_id is not None:
        activities = activities.filter(pk=activity_id)
    if not drafts:
        activities = activities.exclude(status=Activity.Status.DRAFT)
    if public:
        activities = activities.filter(revealed=True)
    activities = list(activities)
    if not activities:
        return []
    mine = {"activity__in": [activity.pk for activity in activities]}

    # All of the session's: a dot vote on clusters names a card collection that may not be
    # among `activities`.
    clusters = _by_activity(Cluster.objects.filter(activity__session=activities[0].session_id))
    cards = Card.objects.filter(**mine).order_by("pk")
    questions = (
        Question.objects.filter(**mine)
        .select_related("participant")
        .annotate(upvotes=Count("votes"))
        .order_by("-pinned", "-upvotes", "pk")
    )
    if public:
        cards, questions = cards.filter(hidden=False), questions.filter(hidden=False)
    cards, questions = _by_activity(cards), _by_activity(questions)
    counts = {
        ActivityKind.DOTS: _tally(DotVote.objects.filter(**mine), Sum("count")),
        ActivityKind.POLL: _tally(PollAnswer.objects.filter(**mine), Count("pk")),
    }
    moods = {}
    for row in (
        MoodEntry.objects.filter(**mine)
        .values("activity_id", "value", key=Lower("word"))
        .annotate(word=Min("word"), n=Count("pk"))
        .order_by("activity_id", "-n", "key")
    ):
        moods.setdefault(row["activity_id"], []).append(row)
    takers = {kind: _takers(model, mine) for kind, model in TAKERS.items()}

    reports = []
    for activity in activities:
        report = ActivityReport(activity)
        pk, kind = activity.pk, activity.kind
        if kind == ActivityKind.CARDS:
            report.clusters = _cluster_cards(clusters.get(pk, []), cards.get(pk, []))
            report.participants = len({card.participant_id for card in cards.get(pk, [])})
        elif kind == ActivityKind.QUESTIONS:
            asked = questions.get(pk, [])
            report.questions = [QuestionEntry(question, question.upvotes) for question in asked]
            report.participants = len({question.participant_id for question in asked})
        elif kind in counts:
            report.options = _option_counts(activity, clusters, counts[kind].get(pk, {}))
            report.participants = takers[kind].get(pk, 0)
        elif kind == ActivityKind.MOOD:
            rows = moods.get(pk, [])
            if activity.config.get("mode") == "word":
                report.words = [WordCount(row["word"], row["n"]) for row in rows if row["key"]]
            else:
                given = {row["value"]: row["n"] for row in rows if row["value"] is not None}
                report.options = [
                    OptionCount(str(value), str(value), given.get(value, 0))
                    for value in MOOD_VALUES
                ]
            report.participants = takers[kind].get(pk, 0)
        reports.append(report)
    return reports


# Whose entries count once per participant however many they made.
TAKERS = {ActivityKind.DOTS: DotVote, ActivityKind.POLL: PollAnswer, ActivityKind.MOOD: MoodEntry}


def _by_activity(objects) -> dict[int, list]:
    found = {}
    for obj in objects:
        found.setdefault(obj.activity_id, []).append(obj)
    return found


def _tally(queryset, value) -> dict[int, dict[str, int]]:
    """{activity id: {option key: value}}"""
    found = {}
    for activity_id, option, n in (
        queryset.values_list("activity_id", "option").annotate(n=value).order_by()
    ):
        found.setdefault(activity_id, {})[option] = n
    return found


def _takers(model, mine) -> dict[int, int]:
    """{activity id: how many participants made an entry}"""
    rows = model.objects.filter(**mine).values_list("activity_id")
    return dict(rows.annotate(n=Count("participant", distinct=True)).order_by())


def _cluster_cards(clusters, cards):
    """The clusters in their order, each with its cards, then the cards in none."""
    groups = {cluster.pk: ClusterCards(cluster, []) for cluster in clusters}
    loose = ClusterCards(None, [])
    for card in cards:
        groups.get(card.cluster_id, loose).cards.append(card)
    return [*groups.values(), loose] if loose.cards else list(groups.values())


def _option_counts(activity, clusters, counts):
    source = activity.config.get("source")
    if source is not None:
        options = [
            {"key": str(cluster.pk), "label": cluster.title, "cluster": cluster.pk}
            for cluster in clusters.get(source, [])
        ]
    else:
        options = activity.config.get("options", [])
    rows = [
        OptionCount(
            option["key"], option["label"], counts.get(option["key"], 0), option.get("cluster")
        )
        for option in options
    ]
    known = {option["key"] for option in options}
    # Dots on a cluster deleted since: kept, under the key they were given to.
    rows += [OptionCount(key, key, count) for key, count in counts.items() if key not in known]
    return rows
