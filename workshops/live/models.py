"""A workshop's live session: activities (card collection, dot voting, poll, questions, mood
round), the participants who act in it, their entries, and the session's event log.

Every write goes through `workshops.live.services`, which raises the session's `seq` in the
same transaction and appends to `LiveEvent`, so updates can be replayed in order."""

import secrets

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: readable from the back of the room and easy to type.
JOIN_CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
JOIN_CODE_LENGTH = 6


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class LiveSession(models.Model):
    """The live part of one workshop: its join code and its sequence of changes."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Ended")

    workshop = models.OneToOneField(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.CASCADE,
        related_name="live_session",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    join_code = models.CharField(_("join code"), max_length=JOIN_CODE_LENGTH, default=new_join_code)
    allow_anonymous = models.BooleanField(
        _("anyone with the join code may take part"),
        default=True,
        help_text=_("Without an invitation, under a display name of their choice."),
    )
    # Raised by one for every committed change (see services._log); never set directly.
    seq = models.PositiveBigIntegerField(default=0, editable=False)
    # The highest seq already broadcast (see workshops.live.realtime).
    flushed_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # When the participants' display names were replaced after the retention period.
    names_removed_at = models.DateTimeField(_("display names removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"],
                condition=Q(status="open"),
                name="live_session_join_code_open_unique",
            ),
        ]

    def __str__(self):
        return f"{self.workshop} ({self.join_code})"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class ActivityKind(models.TextChoices):
    CARDS = "cards", _("Card collection")
    DOTS = "dots", _("Dot voting")
    POLL = "poll", _("Poll")
    QUESTIONS = "questions", _("Questions")
    MOOD = "mood", _("Mood round")


class Activity(models.Model):
    Kind = ActivityKind

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("live session"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    # Validated and normalised per kind by workshops.live.config.clean_config.
    config = models.JSONField(_("settings"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    revealed = models.BooleanField(_("results shown to participants"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["session", "position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class LiveParticipant(models.Model):
    """Whoever acts in a session, the unit every vote and entry belongs to: a signed-in
    invitee, the holder of an invitation link, or someone who joined with the code under a
    display name."""

    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("live session"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invitation = models.ForeignKey(
        "participation.Invitation",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    display_name = models.CharField(_("display name"), max_length=60)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        ordering = ["session", "display_name", "pk"]
        verbose_name = _("live participant")
        verbose_name_plural = _("live participants")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False),
                name="live_participant_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["session", "invitation"],
                condition=Q(invitation__isnull=False),
                name="live_participant_one_per_invitation",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def is_active(self):
        return self.removed_at is None


class Cluster(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="clusters"
    )
    title = models.CharField(_("title"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["activity", "position", "pk"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self):
        return self.title


class Card(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="cards"
    )
    participant = models.ForeignKey(
        LiveParticipant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("text"), max_length=280)
    category = models.CharField(_("category"), max_length=40, blank=True)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")

    def __str__(self):
        return self.text


class DotVote(models.Model):
    """Dots of one participant on one option; the limits (at most M per option, N in all)
    depend on the activity's settings and are enforced by services.set_dots under the
    activity's row lock."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="dots"
    )
    participant = models.ForeignKey(
        LiveParticipant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+"
    )
    option = models.CharField(_("option"), max_length=40)
    count = models.PositiveSmallIntegerField(_("dots"))

    class Meta:
        verbose_name = _("dot vote")
        verbose_name_plural = _("dot votes")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant", "option"], name="dot_vote_once_per_option"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=20), name="dot_vote_count_range"
            ),
        ]

    def __str__(self):
        return f"{self.option}: {self.count}"


class PollAnswer(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="answers"
    )
    participant = models.ForeignKey(
        LiveParticipant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+"
    )
    option = models.CharField(_("option"), max_length=40)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant", "option"], name="poll_answer_once_per_option"
            ),
        ]

    def __str__(self):
        return self.option


class Question(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="questions"
    )
    participant = models.ForeignKey(
        LiveParticipant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("text"), max_length=280)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    answered = models.BooleanField(_("answered"), default=False)
    pinned = models.BooleanField(_("pinned"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class QuestionVote(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="votes"
    )
    participant = models.ForeignKey(
        LiveParticipant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("question vote")
        verbose_name_plural = _("question votes")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "participant"], name="question_vote_once_per_participant"
            ),
        ]

    def __str__(self):
        return f"+1 {self.question_id}"


class MoodEntry(models.Model):
    """One participant's mood in one round: a value on the 1–5 scale or one word."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="moods"
    )
    participant = models.ForeignKey(
        LiveParticipant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    word = models.CharField(_("word"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("mood entry")
        verbose_name_plural = _("mood entries")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], name="mood_entry_once_per_participant"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=1) & Q(value__lte=5)),
                name="mood_entry_value_range",
            ),
        ]

    def __str__(self):
        return self.word or str(self.value)


class LiveEvent(models.Model):
    """The session's log of changes: which object changed at which seq. Broadcasts render
    the objects' current state from it; rows far behind the last broadcast are pruned."""

    class Kind(models.TextChoices):
        SESSION = "session"
        ACTIVITY = "activity"
        CARD = "card"
        CLUSTER = "cluster"
        QUESTION = "question"
        PARTICIPANT = "participant"
        # Votes, answers, upvotes and mood entries: the activity's results changed.
        RESULTS = "results"

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    activity_id = models.BigIntegerField(null=True)
    object_id = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="live_event_seq_unique"),
        ]

    def __str__(self):
        return f"{self.seq} {self.kind}"


# What the moderator decides is audited; participants' votes and entries are not (they are
# the results themselves, and far too many).
auditlog.register(LiveSession, include_fields=["status", "allow_anonymous", "join_code"])
auditlog.register(Activity, include_fields=["title", "config", "status", "revealed", "position"])
auditlog.register(LiveParticipant, include_fields=["display_name", "removed_at"])
auditlog.register(Cluster, include_fields=["title"])
auditlog.register(Card, include_fields=["cluster", "hidden"])
auditlog.register(Question, include_fields=["answered", "pinned", "hidden"])

__all__ = [
    "Activity",
    "ActivityKind",
    "Card",
    "Cluster",
    "DotVote",
    "LiveEvent",
    "LiveParticipant",
    "LiveSession",
    "MoodEntry",
    "PollAnswer",
    "Question",
    "QuestionVote",
]
