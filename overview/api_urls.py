from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, report_api

app_name = "overview-api"
router = SimpleRouter()
router.register("reports", report_api.CommitteeReportViewSet, basename="report")

urlpatterns = [
    path("home/", api.home, name="home"),
    *router.urls,
]
