from django.urls import path

from . import (
    views,
    views_agenda,
    views_attendance,
    views_audience,
    views_documentation,
    views_documents,
    views_exports,
    views_invitations,
)
from .live import views as live_views

app_name = "workshops"
urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("new/", views.workshop_form, name="workshop_create"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/edit/", views.workshop_form, name="workshop_edit"),
    path("<int:pk>/publish/", views.workshop_publish, name="workshop_publish"),
    path("<int:pk>/done/", views.workshop_done, name="workshop_done"),
    path("<int:pk>/cancel/", views.workshop_cancel, name="workshop_cancel"),
    # agenda
    path("<int:pk>/agenda/", views_agenda.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:item_pk>/", views_agenda.agenda_item, name="agenda_item"),
    path(
        "<int:pk>/agenda/<int:item_pk>/delete/",
        views_agenda.agenda_item_delete,
        name="agenda_item_delete",
    ),
    # documents
    path("<int:pk>/documents/", views_documents.documents, name="documents"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views_documents.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        views_documents.document_delete,
        name="document_delete",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/documentation/",
        views_documents.document_documentation,
        name="document_documentation",
    ),
    # audience and invitations
    path("<int:pk>/audience/", views_audience.audience, name="audience"),
    path("<int:pk>/audience/add/<str:kind>/", views_audience.audience_add, name="audience_add"),
    path(
        "<int:pk>/audience/<int:entry_pk>/remove/",
        views_audience.audience_remove,
        name="audience_remove",
    ),
    path("<int:pk>/audience/send/", views_audience.audience_send, name="audience_send"),
    path("<int:pk>/invitations/", views_invitations.invitation_list, name="invitations"),
    path(
        "<int:pk>/invitations/progress/",
        views_invitations.invitation_progress,
        name="invitation_progress",
    ),
    path("<int:pk>/invitations/resend/", views_invitations.resend_all, name="resend_all"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/resend/",
        views_invitations.resend_one,
        name="resend_one",
    ),
    # the day itself
    path("<int:pk>/attendance/", views_attendance.attendance, name="attendance"),
    path(
        "<int:pk>/attendance/<int:invitation_pk>/check-in/",
        views_attendance.check_in,
        name="check_in",
    ),
    path("<int:pk>/attendance/sheet/", views_attendance.sign_in_sheet, name="sign_in_sheet"),
    # the live session (its participants' pages are under /live/)
    path("<int:pk>/live/", live_views.console, name="live_console"),
    path("<int:pk>/live/projector/", live_views.projector, name="live_projector"),
    # afterwards
    path("<int:pk>/documentation/", views_documentation.documentation, name="documentation"),
    path(
        "<int:pk>/documentation/edit/",
        views_documentation.documentation_edit,
        name="documentation_edit",
    ),
    path(
        "<int:pk>/documentation/share/",
        views_documentation.documentation_share,
        name="documentation_share",
    ),
    path(
        "<int:pk>/participants.<str:file_format>",
        views_exports.export_participants,
        name="export_participants",
    ),
    path(
        "<int:pk>/live-results.csv",
        views_exports.export_live_results,
        name="export_live_results",
    ),
]
