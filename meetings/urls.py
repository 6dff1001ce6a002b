from django.urls import path

from .views import calendars, decisions, feed, occurrences, polls, series, task_links, tasks

app_name = "meetings"
urlpatterns = [
    path("", series.series_list, name="series_list"),
    path("new/", series.series_form, name="series_create"),
    path("<int:pk>/", series.series_detail, name="series_detail"),
    path("<int:pk>/edit/", series.series_form, name="series_edit"),
    path("occurrences/<int:pk>/", occurrences.meeting_detail, name="meeting_detail"),
    path("occurrences/<int:pk>/move/", occurrences.meeting_move, name="meeting_move"),
    path("occurrences/<int:pk>/cancel/", occurrences.meeting_cancel, name="meeting_cancel"),
    path("occurrences/<int:pk>/decisions/new/", decisions.decision_create, name="decision_create"),
    path("occurrences/<int:pk>/tasks/new/", tasks.task_create, name="task_create"),
    path("registers/<int:body_pk>/", decisions.decision_register, name="decision_register"),
    path("calendars/<int:body_pk>.ics", feed.body_calendar, name="body_calendar"),
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/status/", tasks.task_status, name="task_status"),
    path("decisions/", decisions.decision_search, name="decision_search"),
    path("task-link/<str:token>/", task_links.task_link_open, name="task_link_open"),
    path("my-task/<int:pk>/", task_links.task_link_page, name="task_link_page"),
    path("tasks/<int:pk>/links/", task_links.task_links_page, name="task_links"),
    path("tasks/<int:pk>/links/revoke/", task_links.task_link_revoke, name="task_link_revoke"),
    path("tasks/<int:pk>/links/new/", task_links.task_link_resend, name="task_link_resend"),
    path("calendar/", calendars.subscribe_page, name="calendar_subscribe"),
    path("calendar/revoke/", calendars.subscribe_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", calendars.person_calendar, name="person_calendar"),
    path(
        "calendar/<str:token>/<int:body_pk>.ics",
        calendars.person_calendar,
        name="person_body_calendar",
    ),
    path("polls/", polls.poll_list, name="poll_list"),
    path("polls/new/", polls.poll_create, name="poll_create"),
    path("polls/<int:pk>/", polls.poll_detail, name="poll_detail"),
    path(
        "polls/<int:pk>/<str:action>/",
        polls.poll_action,
        name="poll_action",
    ),
    path("poll-link/<str:token>/", polls.poll_link, name="poll_link"),
    path("poll-answers/<int:pk>/", polls.poll_answer, name="poll_answer"),
]
