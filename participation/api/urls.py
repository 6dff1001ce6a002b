from django.urls import path
from rest_framework.routers import DefaultRouter

from ..events import api as invitation_reply
from . import barrier_reports, erasure, legal, privacy, retention, security, tokens, views

app_name = "api"

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("body-memberships", views.BodyMembershipViewSet, basename="body-membership")
router.register("outbound-mails", views.OutboundMailViewSet, basename="outbound-mail")
router.register("erasure-requests", erasure.ErasureRequestViewSet, basename="erasure-request")
router.register("legal-pages", legal.LegalPageViewSet, basename="legal-page")
router.register("barrier-reports", barrier_reports.BarrierReportViewSet, basename="barrier-report")
router.register("retention-runs", retention.RetentionRunViewSet, basename="retention-run")
router.register("my-data", privacy.MyDataViewSet, basename="my-data")
router.register("api-tokens", tokens.ApiTokenViewSet, basename="api-token")
router.register("security-events", security.SecurityEventViewSet, basename="security-event")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("retention-periods/", retention.retention_periods, name="retention_periods"),
    path(
        "invitation-reply/",
        invitation_reply.InvitationReplyView.as_view(),
        name="invitation_reply",
    ),
    path(
        "invitation-reply/erasure/",
        erasure.InvitationErasureView.as_view(),
        name="invitation_erasure",
    ),
    path(
        "invitation-reply/calendar/",
        invitation_reply.InvitationCalendarView.as_view(),
        name="invitation_calendar",
    ),
    path(
        "records-of-processing/",
        privacy.RecordsOfProcessingView.as_view(),
        name="records_of_processing",
    ),
    *router.urls,
]
