from rest_framework.routers import DefaultRouter

from .views import ConsultationViewSet, SectionViewSet, StatementViewSet

router = DefaultRouter()
# The nested prefixes first: "consultations/<pk>/" takes digits only, but the order keeps it
# plain which route answers.
router.register("consultations/sections", SectionViewSet, basename="consultation-section")
router.register("consultations/statements", StatementViewSet, basename="consultation-statement")
router.register("consultations", ConsultationViewSet, basename="consultation")
urlpatterns = router.urls
