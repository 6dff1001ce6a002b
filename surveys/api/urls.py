from rest_framework.routers import DefaultRouter

from .views import ResponseViewSet, SurveyViewSet

router = DefaultRouter()
router.register("surveys", SurveyViewSet, basename="survey")
router.register("survey-responses", ResponseViewSet, basename="survey-response")
urlpatterns = router.urls
