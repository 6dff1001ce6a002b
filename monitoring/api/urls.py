from rest_framework.routers import DefaultRouter

from .indicators import IndicatorSetViewSet, IndicatorViewSet
from .views import SpaceViewSet, SuccessionViewSet

router = DefaultRouter()
router.register("spaces/successions", SuccessionViewSet, basename="space-succession")
router.register("spaces", SpaceViewSet, basename="space")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-sets", IndicatorSetViewSet, basename="indicator-set")
urlpatterns = router.urls
