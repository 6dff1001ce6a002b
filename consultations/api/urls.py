from django.urls import path
from rest_framework.routers import DefaultRouter

from .files import AttachmentDownloadView, AttachmentUploadView
from .views import ConsultationViewSet, SectionViewSet, StatementViewSet

router = DefaultRouter()
# The nested prefixes first: "consultations/<pk>/" takes digits only, but the order keeps it
# plain which route answers.
router.register("consultations/sections", SectionViewSet, basename="consultation-section")
router.register("consultations/statements", StatementViewSet, basename="consultation-statement")
router.register("consultations", ConsultationViewSet, basename="consultation")
urlpatterns = [
    path(
        "consultations/<int:pk>/files/",
        AttachmentUploadView.as_view(),
        name="consultation-files",
    ),
    path(
        "consultations/<int:pk>/files/<int:attachment_id>/",
        AttachmentDownloadView.as_view(),
        name="consultation-file",
    ),
    *router.urls,
]
