"""Whose downloads of their own data someone may see: only their own. Anyone else, and any
wrong id, gets 404 (a coordinator too: nobody reads another person's download)."""

from django.http import Http404

from ..models import DataExport


def _exports():
    return DataExport.objects.defer("archive").select_related("user", "invitation")


def exports_of_user(user):
    if not user.is_authenticated:
        return DataExport.objects.none()
    return _exports().filter(user=user)


def exports_of_invitation(invitation):
    return _exports().filter(invitation=invitation)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (DataExport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_data_export_for_user(user, pk) -> DataExport:
    return _get(exports_of_user(user), pk)


def get_data_export_for_invitation(invitation, pk) -> DataExport:
    return _get(exports_of_invitation(invitation), pk)
