from django.urls import path

from .views import decisions, feed, minutes, occurrences, series, tasks

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
    path("occurrences/<int:pk>/agenda/new/", minutes.agenda_add, name="agenda_add"),
    path("occurrences/<int:pk>/agenda/propose/", minutes.agenda_propose, name="agenda_propose"),
    path("agenda-items/<int:pk>/edit/", minutes.agenda_edit, name="agenda_edit"),
    path("agenda-items/<int:pk>/decide/", minutes.proposal_decide, name="proposal_decide"),
    path("agenda-items/<int:pk>/documents/", minutes.document_upload, name="agenda_document"),
    path("agenda-documents/<int:pk>/", minutes.document_download, name="agenda_document_get"),
    path("agenda-items/<int:pk>/minutes/", minutes.minutes_edit, name="minutes_edit"),
    path("occurrences/<int:pk>/minutes/", minutes.minutes, name="minutes"),
    path("occurrences/<int:pk>/minutes/print/", minutes.minutes_print, name="minutes_print"),
    path("occurrences/<int:pk>/attendance/", minutes.attendance, name="attendance"),
    path(
        "occurrences/<int:pk>/minutes/<str:action>/",
        minutes.minutes_transition,
        name="minutes_transition",
    ),
]
