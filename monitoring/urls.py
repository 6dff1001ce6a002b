from django.urls import path

from .views import spaces

app_name = "monitoring"

urlpatterns = [
    path("spaces/", spaces.space_list, name="spaces"),
    path("spaces/new/", spaces.space_edit, name="space_new"),
    path(
        "spaces/export/geojson/",
        spaces.space_export,
        {"file_format": "geojson"},
        name="space_export_geojson",
    ),
    path(
        "spaces/export/csv/", spaces.space_export, {"file_format": "csv"}, name="space_export_csv"
    ),
    path("spaces/<int:pk>/", spaces.space_detail, name="space"),
    path("spaces/<int:pk>/edit/", spaces.space_edit, name="space_edit"),
    path("spaces/<int:pk>/confirm/", spaces.space_confirm, name="space_confirm"),
    path("spaces/<int:pk>/new-version/", spaces.space_new_version, name="space_new_version"),
]
