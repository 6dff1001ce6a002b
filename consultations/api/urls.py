from django.urls import path
from rest_framework.routers import DefaultRouter

from . import weighing
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
    path(
        "consultations/<int:pk>/weighing/",
        weighing.WeighingTableView.as_view(),
        name="consultation-weighing",
    ),
    path(
        "consultations/<int:pk>/weighing/points/",
        weighing.PointCreateView.as_view(),
        name="consultation-points",
    ),
    path(
        "consultations/<int:pk>/weighing/file/",
        weighing.WeighingFileView.as_view(),
        name="consultation-weighing-file",
    ),
    path(
        "consultations/weighing-points/<int:point_id>/",
        weighing.PointView.as_view(),
        name="consultation-point",
    ),
    path(
        "consultations/<int:pk>/revised-draft/",
        weighing.RevisedDraftView.as_view(),
        name="consultation-revised-draft",
    ),
    path(
        "consultations/<int:pk>/revised-draft/<int:section_id>/",
        weighing.RevisedSectionView.as_view(),
        name="consultation-revised-section",
    ),
    path(
        "consultations/<int:pk>/publish/",
        weighing.PublishView.as_view(),
        name="consultation-publish",
    ),
    path(
        "consultations/<int:pk>/result/", weighing.ResultView.as_view(), name="consultation-result"
    ),
    path(
        "consultations/<int:pk>/record/", weighing.RecordView.as_view(), name="consultation-record"
    ),
    path(
        "consultations/<int:pk>/record/file/",
        weighing.RecordFileView.as_view(),
        name="consultation-record-file",
    ),
    *router.urls,
]
