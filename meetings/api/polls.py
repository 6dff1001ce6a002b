"""Date polls over the API. Coordinators create polls, send them, remind, close and pick a
date, and read the matrix; members of the body read the polls of their bodies. An invitee
answers without an account with the personal token of their poll mail in the header
`Authorization: Poll <token>` (never in the address), like the invitation reply API; a
token of a closed poll, or any unusable token, answers 404."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.events.api import InvitationReplyThrottle
from participation.models import Person
from participation.personal_link_auth import PersonalLinkAuthentication, personal_link_scheme
from participation.selectors import is_coordinator

from .. import poll_editing, polls, selectors
from ..models import DatePoll, PollAnswer, PollInvitee, PollSlot
from .views import INVALID, NOT_FOUND, _Base

KEYWORD = "Poll"
NO_POLL = OpenApiResponse(
    description="No usable token: missing, malformed, unknown or replaced by a newer one; "
    "all answer alike."
)


class SlotSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    start = serializers.DateTimeField(required=False, allow_null=True)
    end = serializers.DateTimeField(required=False, allow_null=True)
    day = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = PollSlot
        fields = ["id", "start", "end", "day", "label"]

    def validate(self, data):
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if (day is None) == (start is None or end is None) or (day and (start or end)):
            raise serializers.ValidationError(
                _("Give either a day (all day) or a start and an end.")
            )
        return data


class PollSerializer(serializers.ModelSerializer):
    slots = SlotSerializer(many=True)
    body = serializers.IntegerField(source="series.body_id", read_only=True)

    class Meta:
        model = DatePoll
        fields = [
            "id",
            "series",
            "meeting",
            "body",
            "title",
            "description",
            "answer_by",
            "status",
            "slots",
            "chosen_slot",
            "decided_meeting",
        ]
        read_only_fields = ["status", "chosen_slot", "decided_meeting"]


class CountsSerializer(serializers.Serializer):
    yes = serializers.IntegerField()
    maybe = serializers.IntegerField()
    no = serializers.IntegerField()


class ColumnSerializer(serializers.Serializer):
    slot = serializers.IntegerField(source="slot.pk")
    label = serializers.CharField(source="slot.label")
    counts = CountsSerializer()
    represented = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    all_represented = serializers.BooleanField()


class MatrixRowSerializer(serializers.Serializer):
    invitee = serializers.IntegerField(source="invitee.pk")
    name = serializers.CharField(source="invitee.name")
    organisation = serializers.CharField(source="invitee.organisation", allow_null=True)
    answered = serializers.BooleanField(source="invitee.answered_at")
    reminded_at = serializers.DateTimeField(source="invitee.reminded_at", allow_null=True)
    answers = serializers.ListField(child=serializers.CharField(allow_null=True))


class MatrixSerializer(serializers.Serializer):
    columns = ColumnSerializer(many=True)
    rows = MatrixRowSerializer(many=True)
    unanswered = serializers.ListField(child=serializers.CharField())


class PollEditSerializer(serializers.Serializer):
    """What to change; every field may be left out."""

    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    answer_by = serializers.DateField(required=False, allow_null=True)
    add_slots = SlotSerializer(many=True, required=False)
    remove_slots = serializers.ListField(child=serializers.IntegerField(), required=False)
    add_people = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Person.objects.all()
    )
    remove_invitees = serializers.ListField(child=serializers.IntegerField(), required=False)
    confirm_removal = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Needed when removed dates have answers: without it the answer is 400 "
        "naming how many answers would be deleted.",
    )


class PollEditOutcomeSerializer(serializers.Serializer):
    poll = PollSerializer()
    removed_answers = serializers.IntegerField()
    told_new_dates = serializers.IntegerField()
    invited = serializers.IntegerField()


class DecideSerializer(serializers.Serializer):
    slot = serializers.IntegerField()


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class AnswerItemSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=PollAnswer.choices)


class TokenPollSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField(source="poll.title")
    status = serializers.CharField(source="poll.status")
    slots = SlotSerializer(many=True, source="poll.slots.all")
    answers = serializers.SerializerMethodField()

    def get_answers(self, invitee) -> list[dict]:
        return [
            {"slot": slot, "answer": answer}
            for slot, answer in sorted(polls.answers_of(invitee).items())
        ]


class TokenAnswerSerializer(serializers.Serializer):
    answers = AnswerItemSerializer(many=True)


def _visible_polls(user):
    return (
        DatePoll.objects.filter(series__in=selectors.visible_series(user))
        .select_related("series")
        .prefetch_related("slots")
        .order_by("-pk")
    )


def _get_poll(user, pk):
    return selectors.get_or_404(_visible_polls(user), pk)


def _with_labels(poll):
    for slot in poll.slots.all():
        slot.label_text = slot.label()
    return poll


@extend_schema(tags=["meetings"])
class PollViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Date polls: coordinators propose slots (timed in Europe/Berlin or whole days); the
    body's seat holders are invited. Members read the polls of their bodies."""

    serializer_class = PollSerializer

    def get_queryset(self):
        return _visible_polls(self.request.user)

    lookup = staticmethod(_get_poll)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [_with_labels(poll) for poll in (page if page is not None else self.get_queryset())]
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(_with_labels(self.get_object())).data)

    @extend_schema(responses={201: PollSerializer, 400: INVALID})
    def create(self, request, *args, **kwargs):
        """Create a poll with its slots; a slot in the past is refused, nothing is saved."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        slots = [PollSlot(**slot) for slot in data.pop("slots")]
        series = selectors.get_series_for_user(request.user, data["series"].pk, write=True)
        poll = DatePoll(**(data | {"series": series}))
        polls.create_poll(poll, slots=slots, actor=request.user)
        poll = self.get_queryset().get(pk=poll.pk)
        return Response(
            self.get_serializer(_with_labels(poll)).data, status=status.HTTP_201_CREATED
        )

    def _writable(self):
        poll = self.get_object()
        if not is_coordinator(self.request.user):
            raise NotFound
        return poll

    @extend_schema(responses={200: MatrixSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def matrix(self, request, pk=None):
        """Per slot the counts of yes / if need be / no and whether every organisation is
        represented; each invitee's answers (names only) and who has not answered."""
        matrix = polls.matrix(self._writable())
        matrix["unanswered"] = [invitee.name for invitee in matrix["unanswered"]]
        for row in matrix["rows"]:
            row["invitee"].answered_at = row["invitee"].answered_at is not None
        return Response(MatrixSerializer(matrix).data)

    @extend_schema(request=None, responses={200: CountSerializer, 400: INVALID, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Mail the poll with a personal link to every invitee not asked yet."""
        return Response({"count": polls.send_poll(self._writable(), actor=request.user)})

    @extend_schema(request=None, responses={200: CountSerializer, 400: INVALID, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        """Remind those who have not answered (each at most once a day)."""
        return Response({"count": polls.remind(self._writable(), actor=request.user)})

    @extend_schema(request=None, responses={200: PollSerializer, 400: INVALID, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """No more answers."""
        poll = polls.close(self._writable(), actor=request.user)
        return Response(self.get_serializer(_with_labels(self.get_queryset().get(pk=poll.pk))).data)

    @extend_schema(
        request=PollEditSerializer,
        responses={200: PollEditOutcomeSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        """Change an open poll: title, description, answer-by date, dates added (not in the
        past) or removed (their answers are deleted; `confirm_removal` is needed when there
        are any), people invited (mailed at once if the poll was sent) or invitees removed
        (their link stops working). Those who had answered are told about new dates. A
        decided or closed poll is refused; nothing is saved on any refusal."""
        poll = self._writable()
        data = PollEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        change = poll_editing.PollEdit(
            title=values.get("title"),
            description=values.get("description"),
            answer_by=values.get("answer_by"),
            change_answer_by="answer_by" in values,
            add_slots=[PollSlot(**slot) for slot in values.get("add_slots", [])],
            remove_slot_ids=values.get("remove_slots", []),
            add_people=values.get("add_people", []),
            remove_invitee_ids=values.get("remove_invitees", []),
            confirm_removal=values["confirm_removal"],
        )
        outcome = poll_editing.edit_poll(poll, change, actor=request.user)
        poll = _with_labels(self.get_queryset().get(pk=poll.pk))
        return Response(
            PollEditOutcomeSerializer(
                {
                    "poll": poll,
                    "removed_answers": outcome.removed_answers,
                    "told_new_dates": outcome.told_new_dates,
                    "invited": outcome.invited,
                }
            ).data
        )

    @extend_schema(
        request=DecideSerializer, responses={200: PollSerializer, 400: INVALID, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Pick a slot: the meeting is created (or moved) and the invitations go out, the
        replies pre-filled from the votes."""
        poll = self._writable()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slot = poll.slots.filter(pk=data.validated_data["slot"]).first()
        if slot is None:
            raise ValidationError({"slot": _("Choose one of this poll's dates.")})
        polls.decide(poll, slot, actor=request.user)
        return Response(self.get_serializer(_with_labels(self.get_queryset().get(pk=poll.pk))).data)


class PollTokenAuthentication(PersonalLinkAuthentication):
    """`Authorization: Poll <token>`: the caller holds one invitee's personal poll link;
    `request.auth` is the invitee."""

    keyword = KEYWORD

    def resolve(self, token):
        return polls.resolve_token(token)


class PollTokenScheme(OpenApiAuthenticationExtension):
    target_class = PollTokenAuthentication
    name = "pollToken"

    def get_security_definition(self, auto_schema):
        return personal_link_scheme(KEYWORD, "a poll mail's link")


@extend_schema(tags=["poll-answer"])
class PollAnswerView(APIView):
    """One invitee's answers, for whoever holds their personal poll link."""

    authentication_classes = [PollTokenAuthentication]
    permission_classes = []
    throttle_classes = [InvitationReplyThrottle]
    throttle_scope = "invitation_reply"

    def invitee(self):
        if not isinstance(self.request.auth, PollInvitee):
            raise NotFound
        return PollInvitee.objects.select_related("poll").get(pk=self.request.auth.pk)

    def answer(self, invitee):
        for slot in invitee.poll.slots.all():
            slot.label_text = slot.label()
        return Response(TokenPollSerializer(invitee).data)

    @extend_schema(responses={200: TokenPollSerializer, 404: NO_POLL})
    def get(self, request):
        """The poll's slots and the caller's answers so far (no other invitee's details)."""
        return self.answer(self.invitee())

    @extend_schema(
        request=TokenAnswerSerializer,
        responses={200: TokenPollSerializer, 400: INVALID, 404: NO_POLL},
    )
    def post(self, request):
        """Answer yes / maybe (if need be) / no for every slot; refused once closed."""
        invitee = self.invitee()
        data = TokenAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        polls.answer(
            invitee, {item["slot"]: item["answer"] for item in data.validated_data["answers"]}
        )
        return self.answer(invitee)
