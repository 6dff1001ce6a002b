from django.urls import path

from .views import indicators, spaces

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
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/new/", indicators.indicator_edit, name="indicator_new"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path("indicator-sets/new/", indicators.indicator_set_edit, name="indicator_set_new"),
    path("indicator-sets/<int:pk>/", indicators.indicator_set_detail, name="indicator_set"),
    path("indicator-sets/<int:pk>/edit/", indicators.indicator_set_edit, name="indicator_set_edit"),
]
