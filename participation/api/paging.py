"""Paging by organisation for API actions that are not lists (a survey's comparison, a
consultation's weighing table): `LimitOffsetPagination` as for the lists, whose parameters
drf-spectacular adds to an action or an APIView only when told."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ORGANISATION_PAGING = [
    OpenApiParameter(
        "limit",
        OpenApiTypes.INT,
        description=f"Organisations per page ({settings.REST_FRAMEWORK['PAGE_SIZE']} if left "
        "out), as for the lists.",
    ),
    OpenApiParameter(
        "offset", OpenApiTypes.INT, description="How many organisations to skip, by name."
    ),
]
