from django.urls import path
from rest_framework.routers import SimpleRouter

from . import minutes
from .calendars import CalendarSubscriptionView
from .polls import PollAnswerView, PollViewSet
from .task_links import OwnTaskView, TaskLinkResendView, TaskLinksRevokeView
from .views import BodyCalendarView, DecisionViewSet, MeetingViewSet, SeriesViewSet, TaskViewSet

app_name = "meetings_api"

# SimpleRouter: the API root at /api/v1/ is the registry's (participation.api.urls).
router = SimpleRouter()
router.register("meeting-series", SeriesViewSet, basename="series")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("meeting-tasks", TaskViewSet, basename="task")
router.register("meeting-polls", PollViewSet, basename="poll")
urlpatterns = router.urls + [
    path("bodies/<int:pk>/meetings.ics", BodyCalendarView.as_view(), name="body-calendar"),
    path(
        "meeting-calendar-subscription/",
        CalendarSubscriptionView.as_view(),
        name="calendar-subscription",
    ),
    path("meeting-task-link/", OwnTaskView.as_view(), name="own-task"),
    path(
        "meeting-tasks/<int:pk>/links/revoke/",
        TaskLinksRevokeView.as_view(),
        name="task-links-revoke",
    ),
    path("meeting-tasks/<int:pk>/links/new/", TaskLinkResendView.as_view(), name="task-link-new"),
    path("meeting-poll-answer/", PollAnswerView.as_view(), name="poll-answer"),
    path("meetings/<int:pk>/agenda/", minutes.AgendaView.as_view(), name="agenda"),
    path("meetings/<int:pk>/agenda/propose/", minutes.ProposeView.as_view(), name="agenda-propose"),
    path(
        "agenda-items/<int:pk>/accept/",
        minutes.DecideProposalView.as_view(decision="accept"),
        name="agenda-accept",
    ),
    path(
        "agenda-items/<int:pk>/reject/",
        minutes.DecideProposalView.as_view(decision="reject"),
        name="agenda-reject",
    ),
    path("agenda-items/<int:pk>/minutes/", minutes.MinutesItemView.as_view(), name="item-minutes"),
    path("meetings/<int:pk>/attendance/", minutes.AttendanceView.as_view(), name="attendance"),
    path("meetings/<int:pk>/minutes/", minutes.MinutesStatusView.as_view(), name="minutes"),
    path("meetings/<int:pk>/minutes/file/", minutes.MinutesFileView.as_view(), name="minutes-file"),
    path(
        "meetings/<int:pk>/minutes/circulate/",
        minutes.MinutesTransitionView.as_view(transition="circulate"),
        name="minutes-circulate",
    ),
    path(
        "meetings/<int:pk>/minutes/approve/",
        minutes.MinutesTransitionView.as_view(transition="approve"),
        name="minutes-approve",
    ),
    path("agenda-items/<int:pk>/", minutes.AgendaItemView.as_view(), name="agenda-item"),
    path(
        "agenda-items/<int:pk>/documents/",
        minutes.AgendaDocumentUploadView.as_view(),
        name="agenda-item-documents",
    ),
    path(
        "agenda-documents/<int:pk>/",
        minutes.AgendaDocumentDownloadView.as_view(),
        name="agenda-document",
    ),
]
