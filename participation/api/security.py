"""The security log for coordinators, with the page's filters."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from .. import security_events
from ..models import SecurityEvent
from ..selectors import is_coordinator
from .views import AUTHENTICATION


class CoordinatorsOnly(BasePermission):
    def has_permission(self, request, view):
        return is_coordinator(request.user)


class SecurityEventSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    actor = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    detail = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = SecurityEvent
        fields = ["id", "at", "kind", "user", "actor", "address", "path", "detail"]


@extend_schema(tags=["security-events"])
class SecurityEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The security log, newest first (coordinators only; everyone else 403). `user` is the
    account concerned, `actor` who did it. The web page is `/security-log/`."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorsOnly]
    serializer_class = SecurityEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = security_events.SecurityEventFilter

    def get_queryset(self):
        return security_events.security_events()
