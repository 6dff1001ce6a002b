from django.urls import path

from .views import deliveries, delivery_files, indicators, results, rounds, spaces

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
    path("indicators/<int:pk>/results/", results.indicator_results, name="indicator_results"),
    path(
        "indicators/<int:pk>/export/kommonitor.csv",
        results.indicator_export,
        {"file_format": "csv"},
        name="indicator_export_csv",
    ),
    path(
        "indicators/<int:pk>/export/kommonitor.geojson",
        results.indicator_export,
        {"file_format": "geojson"},
        name="indicator_export_geojson",
    ),
    path("indicator-sets/new/", indicators.indicator_set_edit, name="indicator_set_new"),
    path("indicator-sets/<int:pk>/", indicators.indicator_set_detail, name="indicator_set"),
    path("indicator-sets/<int:pk>/edit/", indicators.indicator_set_edit, name="indicator_set_edit"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.round_edit, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/remind/", rounds.round_remind, name="round_remind"),
    path("rounds/<int:pk>/export.xlsx", results.round_export, name="round_export_xlsx"),
    path("deliveries/<int:pk>/", deliveries.delivery_page, name="delivery"),
    path("deliveries/<int:pk>/save/", deliveries.save_delivery, name="delivery_save"),
    path(
        "deliveries/<int:pk>/cells/<str:key>/",
        deliveries.save_delivery_cell,
        name="delivery_cell",
    ),
    path("deliveries/<int:pk>/history/", deliveries.delivery_history, name="delivery_history"),
    path("deliveries/<int:pk>/submit/", deliveries.submit_delivery, name="delivery_submit"),
    path("deliveries/<int:pk>/approve/", deliveries.approve_delivery, name="delivery_approve"),
    path(
        "deliveries/<int:pk>/send-back/",
        deliveries.send_back_delivery,
        name="delivery_send_back",
    ),
    path("deliveries/<int:pk>/extend/", deliveries.extend_delivery, name="delivery_extend"),
    path(
        "deliveries/<int:pk>/template.csv",
        delivery_files.delivery_template,
        {"file_type": "csv"},
        name="delivery_template_csv",
    ),
    path(
        "deliveries/<int:pk>/template.xlsx",
        delivery_files.delivery_template,
        {"file_type": "xlsx"},
        name="delivery_template_xlsx",
    ),
    path("deliveries/<int:pk>/upload/", delivery_files.delivery_upload, name="delivery_upload"),
]
