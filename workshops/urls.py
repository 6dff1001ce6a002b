from django.urls import path

from .live import views as live_views
from .views import (
    agenda,
    attendance,
    audience,
    documentation,
    documents,
    exports,
    invitations,
    status,
    workshops,
)

app_name = "workshops"
urlpatterns = [
    path("", workshops.workshop_list, name="workshop_list"),
    path("new/", workshops.workshop_form, name="workshop_create"),
    path("<int:pk>/", workshops.workshop_detail, name="workshop_detail"),
    path("<int:pk>/edit/", workshops.workshop_form, name="workshop_edit"),
    path("<int:pk>/publish/", status.workshop_publish, name="workshop_publish"),
    path("<int:pk>/done/", status.workshop_done, name="workshop_done"),
    path("<int:pk>/cancel/", status.workshop_cancel, name="workshop_cancel"),
    # agenda
    path("<int:pk>/agenda/", agenda.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:item_pk>/", agenda.agenda_item, name="agenda_item"),
    path(
        "<int:pk>/agenda/<int:item_pk>/delete/",
        agenda.agenda_item_delete,
        name="agenda_item_delete",
    ),
    # documents
    path("<int:pk>/documents/", documents.documents, name="documents"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        documents.document_delete,
        name="document_delete",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/documentation/",
        documents.document_documentation,
        name="document_documentation",
    ),
    # audience and invitations
    path("<int:pk>/audience/", audience.audience, name="audience"),
    path("<int:pk>/audience/add/<str:kind>/", audience.audience_add, name="audience_add"),
    path(
        "<int:pk>/audience/<int:entry_pk>/remove/",
        audience.audience_remove,
        name="audience_remove",
    ),
    path("<int:pk>/audience/send/", audience.audience_send, name="audience_send"),
    path("<int:pk>/invitations/", invitations.invitation_list, name="invitations"),
    path(
        "<int:pk>/invitations/progress/",
        invitations.invitation_progress,
        name="invitation_progress",
    ),
    path("<int:pk>/invitations/resend/", invitations.resend_all, name="resend_all"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/reply/",
        invitations.record_reply,
        name="record_reply",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/resend/",
        invitations.resend_one,
        name="resend_one",
    ),
    # the day itself
    path("<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path(
        "<int:pk>/attendance/<int:invitation_pk>/check-in/",
        attendance.check_in,
        name="check_in",
    ),
    path("<int:pk>/attendance/sheet/", attendance.sign_in_sheet, name="sign_in_sheet"),
    # the live session (its participants' pages are under /live/)
    path("<int:pk>/live/", live_views.console, name="live_console"),
    path("<int:pk>/live/projector/", live_views.projector, name="live_projector"),
    # afterwards
    path("<int:pk>/documentation/", documentation.documentation, name="documentation"),
    path(
        "<int:pk>/documentation/edit/",
        documentation.documentation_edit,
        name="documentation_edit",
    ),
    path(
        "<int:pk>/documentation/share/",
        documentation.documentation_share,
        name="documentation_share",
    ),
    path(
        "<int:pk>/participants.<str:file_format>",
        exports.export_participants,
        name="export_participants",
    ),
    path(
        "<int:pk>/live-results.csv",
        exports.export_live_results,
        name="export_live_results",
    ),
]
