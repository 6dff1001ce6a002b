"""Deliveries over the API, with the pages' permissions: a supplier's members read and fill
in their own organisation's deliveries, coordinators read every one and review them; any
other delivery answers 404. Cells are saved many at once, all or nothing, under the
engine's conflict rule (409 with the current values, nothing stored). Reviewing (approve,
send back, extend) is the coordinators': a member who sees the delivery gets 403 with the
reason, as for any record they can see but not change."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from participation.api.views import AUTHENTICATION
from participation.selectors import is_coordinator, own_organisation_ids

from .. import batches, grid, rounds, selectors
from ..values import Entry, needs_comment, plain
from . import delivery_serializers as serializers

NOT_FOUND = OpenApiResponse(description="No such delivery, or not the caller's.")
COORDINATORS_ONLY = OpenApiResponse(
    serializers.RefusalSerializer,
    description="The caller sees the delivery but is not one of the county's coordinators.",
)
REFUSED = OpenApiResponse(
    serializers.RefusalSerializer, description="Not possible in the delivery's state; says why."
)


def figure(number: Decimal | None) -> str | None:
    return None if number is None else format(plain(number), "f")


def cell_data(cell, value, previous, threshold) -> dict:
    number = value.number if value is not None else None
    return {
        "key": cell.key,
        "row": cell.row.key,
        "indicator": cell.indicator.pk,
        "required": cell.required,
        "number": figure(number),
        "comment": value.comment if value is not None else "",
        "revision": value.revision if value is not None and value.pk else 0,
        "suppressed": bool(value is not None and value.suppressed),
        "previous": figure(previous),
        "needs_comment": needs_comment(number, previous, threshold),
    }


def editable_for(user, delivery) -> tuple[bool, str]:
    """(the caller may change the cells now, why not)."""
    try:
        delivery.check_editable()
    except ValidationError as error:
        return False, " ".join(error.messages)
    if not own_organisation_ids(user).filter(organisation_id=delivery.organisation_id).exists():
        return False, _("Only members of %(supplier)s fill in this delivery.") % {
            "supplier": delivery.organisation
        }
    return True, ""


def refusal(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


def read_edits(data) -> tuple[list[batches.CellEdit], list[int], list[dict]]:
    """The cells sent, each one's position in the list, and an error for each item that is
    not even shaped like a cell."""
    edits, positions, errors = [], [], []
    for index, item in enumerate(data):
        given = serializers.CellWriteSerializer(data=item)
        if not given.is_valid():
            key = item.get("key") if isinstance(item, dict) else None
            message = " ".join(
                str(message) if field == "non_field_errors" else f"{field}: {message}"
                for field, messages in given.errors.items()
                for message in messages
            )
            key = key if isinstance(key, str) else ""
            errors.append({"index": index, "key": key, "message": message})
            continue
        values = given.validated_data
        edits.append(
            batches.CellEdit(
                key=values["key"],
                entry=Entry(number=values["number"] or "", comment=values["comment"]),
                revision=values["revision"],
            )
        )
        positions.append(index)
    return edits, positions, errors


@extend_schema(tags=["deliveries"])
class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """One delivery per supplier and round: the grid of spaces × indicators its members fill
    in, submitted to the county, approved or sent back."""

    authentication_classes = AUTHENTICATION
    serializer_class = serializers.DeliverySerializer
    lookup_value_regex = r"\d+"
    filter_backends = []

    def get_queryset(self):
        deliveries = selectors.visible_deliveries(self.request.user)
        if (round_id := self.request.query_params.get("round", "")).isdigit():
            deliveries = deliveries.filter(round_id=int(round_id))
        return deliveries.order_by("-round__reference_date", "round_id", "organisation__name")

    def _answer(self, delivery):
        fresh = selectors.visible_deliveries(self.request.user).get(pk=delivery.pk)
        return Response(self.get_serializer(fresh).data)

    def _reviewed(self, pk, message):
        """The delivery for a coordinator's review: 404 for whoever cannot see it, 403 with
        `message` for a member who can."""
        delivery = selectors.get_delivery_for_user(self.request.user, pk)
        if not is_coordinator(self.request.user):
            raise PermissionDenied(message)
        return delivery

    @extend_schema(
        filters=False,
        parameters=[OpenApiParameter("round", int, description="Only this round's deliveries.")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: serializers.GridSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def grid(self, request, pk=None):
        """The delivery's rows (per municipality its total, then each social space with its
        neighbourhoods), its indicators and every asked cell with its figure, comment,
        revision, the last round's carried figure and whether the change needs a comment."""
        delivery = selectors.get_delivery_for_user(request.user, pk)
        the_grid = grid.build(delivery)
        values = grid.stored_values(delivery)
        previous = rounds.previous_figures(delivery, the_grid)
        threshold = delivery.round.change_threshold
        editable, reason = editable_for(request.user, delivery)
        required = the_grid.required_cells
        data = {
            "delivery": delivery.pk,
            "editable": editable,
            "read_only_reason": reason,
            "entered": sum(
                1
                for cell in required
                if (value := values.get(cell.key)) is not None and value.number is not None
            ),
            "asked": len(required),
            "indicators": the_grid.indicators,
            "rows": [
                {
                    "key": row.key,
                    "municipality": row.municipality.pk,
                    "municipality_name": row.municipality.name,
                    "space": row.space.pk if row.space else None,
                    "space_key": row.space.key if row.space else None,
                    "level": row.level,
                    "label": row.label,
                }
                for row in the_grid.rows
            ],
            "cells": [
                cell_data(cell, values.get(key), previous.get(key), threshold)
                for key, cell in the_grid.cells.items()
            ],
        }
        return Response(serializers.GridSerializer(data).data)

    @extend_schema(
        request=serializers.CellWriteSerializer(many=True),
        responses={
            200: serializers.GridCellSerializer(many=True),
            400: OpenApiResponse(
                serializers.CellsRefusedSerializer,
                description="A cell is refused (each named with its reason), or the "
                "delivery is locked (`detail` says why); nothing is stored.",
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(
                serializers.CellsConflictSerializer,
                description="Someone changed cells since the revision sent; the body has "
                "their current values. Nothing is stored.",
            ),
        },
    )
    @action(detail=True, methods=["post", "patch"])
    def cells(self, request, pk=None):
        """Save many cells at once, all or nothing: send a list of `{key, number, comment,
        revision}` (the revision your edit started from). Open to the supplier's members
        while the delivery window is open and the delivery is neither submitted nor
        approved."""
        delivery = selectors.get_delivery_for_user(request.user, pk, write=True)
        try:
            delivery.check_editable()
        except ValidationError as error:
            return self._cells_refused(" ".join(error.messages), [])
        if not isinstance(request.data, list):
            return self._cells_refused(
                _("Send a list of cells, each with key, number, comment and revision."), []
            )
        edits, positions, errors = read_edits(request.data)
        the_grid = grid.build(delivery)
        errors.extend(
            {"index": positions[error.index], "key": error.key, "message": error.message}
            for error in batches.check_cells(the_grid, edits)
        )
        if errors:
            errors.sort(key=lambda error: error["index"])
            return self._cells_refused(
                _("Nothing was saved: correct the cells named below."), errors
            )
        try:
            saved = batches.save_cells(delivery, edits, actor=request.user, the_grid=the_grid)
        except batches.CellsConflict as conflict:
            return Response(
                {
                    "detail": _(
                        "Someone else changed these cells since you loaded them; nothing "
                        "was saved. Compare their current values with yours and send again."
                    ),
                    "conflicts": [
                        {
                            "key": key,
                            "number": figure(value.number),
                            "comment": value.comment,
                            "revision": value.revision,
                        }
                        for key, value in conflict.conflicts
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as error:
            # Locked meanwhile (the window closed, a colleague submitted).
            return self._cells_refused(" ".join(error.messages), [])
        previous = rounds.previous_figures(delivery, the_grid)
        threshold = delivery.round.change_threshold
        return Response(
            [
                cell_data(the_grid.cells[key], value, previous.get(key), threshold)
                for key, value in saved.items()
            ]
        )

    def _cells_refused(self, detail, errors):
        return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)

    @extend_schema(
        request=None,
        responses={
            200: serializers.DeliverySerializer,
            400: OpenApiResponse(
                serializers.SubmitRefusedSerializer,
                description="A figure is missing, a large change unexplained, a sum does "
                "not add up (each in `problems`), or the delivery is locked.",
            ),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Hand the delivery to the county for review (the supplier's members)."""
        delivery = selectors.get_delivery_for_user(request.user, pk, write=True)
        try:
            delivery = rounds.submit(delivery, actor=request.user)
        except ValidationError as error:
            problems = []
            try:
                delivery.check_editable()
            except ValidationError:
                pass  # locked: the reason is the whole answer
            else:
                problems = rounds.check_delivery(delivery)
            return Response(
                {
                    "detail": " ".join(error.messages),
                    "problems": [
                        {"key": p.key, "message": p.message, "kind": p.kind} for p in problems
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._answer(delivery)

    @extend_schema(
        request=None,
        responses={
            200: serializers.DeliverySerializer,
            400: REFUSED,
            403: COORDINATORS_ONLY,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted delivery (coordinators); its figures count from now on."""
        delivery = self._reviewed(pk, _("Only the county's coordinators approve deliveries."))
        try:
            delivery = rounds.approve(delivery, actor=request.user)
        except ValidationError as error:
            return refusal(error)
        return self._answer(delivery)

    @extend_schema(
        request=serializers.SendBackSerializer,
        responses={
            200: serializers.DeliverySerializer,
            400: REFUSED,
            403: COORDINATORS_ONLY,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Return a submitted delivery to its supplier with what to correct (coordinators);
        after the window it stays open for corrections for a week."""
        delivery = self._reviewed(pk, _("Only the county's coordinators send deliveries back."))
        given = serializers.SendBackSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            delivery = rounds.send_back(
                delivery, actor=request.user, comment=given.validated_data["comment"]
            )
        except ValidationError as error:
            return refusal(error)
        return self._answer(delivery)

    @extend_schema(
        request=serializers.DeliveryExtendSerializer,
        responses={
            200: serializers.DeliverySerializer,
            400: REFUSED,
            403: COORDINATORS_ONLY,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Keep the delivery open for this supplier beyond the round's window (coordinators)."""
        delivery = self._reviewed(
            pk, _("Only the county's coordinators extend the delivery window.")
        )
        given = serializers.DeliveryExtendSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            delivery = rounds.extend(
                delivery, actor=request.user, until=given.validated_data["until"]
            )
        except ValidationError as error:
            return Response({"until": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        return self._answer(delivery)
