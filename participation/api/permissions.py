"""Who may call what. Reads follow the visibility selectors (the viewsets' querysets), so a
record outside the caller's reach is a 404 before any of these checks could answer 403."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ..selectors import is_coordinator


class CoordinatorWritesOnly(BasePermission):
    """Anyone signed in may read what they can see; only coordinators change the registry.

    Detail requests are let through here so that the object lookup runs first: a record the
    caller cannot see answers 404, one they can see but not change answers 403."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return is_coordinator(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or is_coordinator(request.user)
