from rest_framework.routers import SimpleRouter

from .views import WorkshopViewSet

app_name = "workshops_api"

# SimpleRouter: the API root at /api/v1/ is the registry's (participation.api.urls).
router = SimpleRouter()
router.register("workshops", WorkshopViewSet, basename="workshop")
urlpatterns = router.urls
