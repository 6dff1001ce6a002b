from django.urls import path
from rest_framework.routers import DefaultRouter

from .deliveries import DeliveryViewSet
from .delivery_files import DeliveryTemplateView, DeliveryUploadView
from .indicators import IndicatorSetViewSet, IndicatorViewSet
from .results import IndicatorKomMonitorView, IndicatorResultsView, RoundExportView
from .rounds import DeliveryRoundViewSet
from .views import SpaceViewSet, SuccessionViewSet

router = DefaultRouter()
router.register("spaces/successions", SuccessionViewSet, basename="space-succession")
router.register("spaces", SpaceViewSet, basename="space")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-sets", IndicatorSetViewSet, basename="indicator-set")
router.register("delivery-rounds", DeliveryRoundViewSet, basename="delivery-round")
router.register("deliveries", DeliveryViewSet, basename="delivery")

urlpatterns = [
    path("indicators/<int:pk>/results/", IndicatorResultsView.as_view(), name="indicator-results"),
    path(
        "indicators/<int:pk>/kommonitor/",
        IndicatorKomMonitorView.as_view(),
        name="indicator-kommonitor",
    ),
    path(
        "delivery-rounds/<int:pk>/export/", RoundExportView.as_view(), name="delivery-round-export"
    ),
    path("deliveries/<int:pk>/template/", DeliveryTemplateView.as_view(), name="delivery-template"),
    path("deliveries/<int:pk>/upload/", DeliveryUploadView.as_view(), name="delivery-upload"),
    *router.urls,
]
