from rest_framework.routers import DefaultRouter

from .views import SpaceViewSet, SuccessionViewSet

router = DefaultRouter()
router.register("spaces/successions", SuccessionViewSet, basename="space-succession")
router.register("spaces", SpaceViewSet, basename="space")
urlpatterns = router.urls
