from django.urls import path
from rest_framework.routers import SimpleRouter

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
]
