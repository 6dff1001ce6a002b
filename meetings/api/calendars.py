"""The caller's calendar subscription over the API: see whether one exists, create or
rotate it (the address is in the answer once), revoke it."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api.views import AUTHENTICATION
from participation.selectors import visible_bodies

from .. import calendar_subscriptions


class SubscriptionStateSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)


class BodyFeedSerializer(serializers.Serializer):
    body = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()


class NewSubscriptionSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="All meetings of the caller's bodies. Shown once.")
    bodies = BodyFeedSerializer(many=True)


@extend_schema(tags=["meetings"])
class CalendarSubscriptionView(APIView):
    """The caller's secret calendar address (stored hashed, shown only when created)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: SubscriptionStateSerializer})
    def get(self, request):
        subscription = calendar_subscriptions.active(request.user)
        return Response(
            {
                "active": subscription is not None,
                "created_at": subscription.created_at if subscription else None,
            }
        )

    @extend_schema(request=None, responses={201: NewSubscriptionSerializer})
    def post(self, request):
        """Create the address, or a new one (the old one ends at once)."""
        subscription, raw = calendar_subscriptions.create(request.user, actor=request.user)
        bodies = [
            {
                "body": body.pk,
                "name": body.name,
                "url": calendar_subscriptions.feed_url(raw, body),
            }
            for body in visible_bodies(request.user).order_by("name")
        ]
        data = {
            "created_at": subscription.created_at,
            "url": calendar_subscriptions.feed_url(raw),
            "bodies": bodies,
        }
        return Response(NewSubscriptionSerializer(data).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="Revoked."),
            404: OpenApiResponse(description="There is no address to revoke."),
        },
    )
    def delete(self, request):
        if not calendar_subscriptions.revoke(request.user, actor=request.user):
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
