"""The legal pages over the API: anyone may read them (as on the web, no sign-in), only
coordinators change them, through the same service and audit entry as the edit page."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from .. import selectors, services
from ..models import LegalPage
from ..selectors import is_coordinator
from .authentication import TokenAuthentication


class LegalPageSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.SerializerMethodField(help_text="The public page.")
    # Empty for a page nobody has written yet.
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = LegalPage
        fields = ["kind", "title", "url", "body_de", "body_en", "updated_at"]
        read_only_fields = ["kind", "updated_at"]

    def get_url(self, page) -> str:
        request = self.context.get("request")
        url = page.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class PublicReadCoordinatorWrites(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_coordinator(request.user)


@extend_schema(tags=["legal-pages"])
class LegalPageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The imprint, privacy notice and accessibility statement (Markdown, German binding,
    English optional). Public to read; coordinators replace or patch the texts."""

    # Token first: a write without credentials answers 401 with "WWW-Authenticate: Token".
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [PublicReadCoordinatorWrites]
    serializer_class = LegalPageSerializer
    queryset = LegalPage.objects.all()
    lookup_field = "kind"
    pagination_class = None
    filter_backends = []

    def list(self, request, *args, **kwargs):
        """All three pages, also those not written yet (with empty texts)."""
        return Response(self.get_serializer(selectors.legal_pages(), many=True).data)

    def get_object(self):
        return selectors.legal_page(self.kwargs["kind"])

    def perform_update(self, serializer):
        page = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(page, name, value)
        serializer.instance = services.save_legal_page(page, actor=self.request.user)
