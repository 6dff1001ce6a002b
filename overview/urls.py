from django.urls import path

from . import report_views, views

app_name = "overview"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", report_views.committee_report, name="committee_report"),
    path("reports/<int:pk>/", report_views.committee_report_detail, name="committee_report_detail"),
    path(
        "reports/<int:pk>/<str:file_format>/",
        report_views.committee_report_download,
        name="committee_report_download",
    ),
]
