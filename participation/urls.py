from django.urls import path

from .events import data_views as invitee_data
from .events import views as invitation_reply
from .views import (
    bodies,
    erasure,
    legal,
    memberships,
    organisations,
    outbox,
    people,
    privacy,
    retention,
)

app_name = "participation"
urlpatterns = [
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_form, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_form, name="organisation_edit"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_form, name="person_create"),
    path("people/import/", people.person_import, name="person_import"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_form, name="person_edit"),
    path("people/<int:pk>/account/", people.person_grant_account, name="person_grant_account"),
    path("people/<int:pk>/erase/", erasure.erase_person_page, name="person_erase"),
    path("erasure/", erasure.request_page, name="erasure_request"),
    path("erasure-requests/", erasure.request_list, name="erasure_request_list"),
    path("erasure-requests/<int:pk>/", erasure.erase_request_page, name="erasure_request_erase"),
    path("memberships/new/", memberships.membership_form, name="membership_create"),
    path("memberships/<int:pk>/edit/", memberships.membership_form, name="membership_edit"),
    path("memberships/<int:pk>/end/", memberships.membership_end, name="membership_end"),
    path("mail/", outbox.mail_list, name="mail_list"),
    path("privacy/retention/", retention.retention_overview, name="retention"),
    path("bodies/", bodies.body_list, name="body_list"),
    path("bodies/new/", bodies.body_form, name="body_create"),
    path("bodies/<int:pk>/", bodies.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", bodies.body_form, name="body_edit"),
    path("bodies/<int:body_pk>/seats/new/", bodies.seat_form, name="seat_create"),
    path("bodies/<int:body_pk>/seats/<int:pk>/edit/", bodies.seat_form, name="seat_edit"),
    path("bodies/<int:body_pk>/seats/<int:pk>/end/", bodies.seat_end, name="seat_end"),
    # The legal pages at the stable German addresses people expect; public, no sign-in.
    path("impressum/", legal.legal_page, {"kind": "imprint"}, name="imprint"),
    path("datenschutz/", legal.legal_page, {"kind": "privacy"}, name="privacy"),
    path("barrierefreiheit/", legal.legal_page, {"kind": "accessibility"}, name="accessibility"),
    path("barrierefreiheit/barriere-melden/", legal.barrier_report, name="barrier_report"),
    path("barrierefreiheit/meldungen/", legal.barrier_report_list, name="barrier_reports"),
    path(
        "barrierefreiheit/meldungen/<int:pk>/beantwortet/",
        legal.barrier_report_answered,
        name="barrier_report_answered",
    ),
    path("legal-pages/<str:kind>/edit/", legal.legal_page_edit, name="legal_page_edit"),
    path("invitation/<int:pk>/", invitation_reply.reply_page, name="invitation_reply"),
    path("invitation/<int:pk>/deputy/", invitation_reply.deputy, name="invitation_deputy"),
    path(
        "invitation/<int:pk>/erasure/",
        invitation_reply.erasure_request,
        name="invitation_erasure",
    ),
    path(
        "invitation/<int:pk>/calendar.ics",
        invitation_reply.calendar_file,
        name="invitation_calendar",
    ),
    path("invitation/<int:pk>/data/", invitee_data.invitation_data, name="invitation_data"),
    path(
        "invitation/<int:pk>/data/<int:export_pk>/",
        invitee_data.invitation_data_export,
        name="invitation_data_export",
    ),
    path(
        "invitation/<int:pk>/data/<int:export_pk>/download/",
        invitee_data.invitation_data_download,
        name="invitation_data_download",
    ),
    path("account/data/", privacy.my_data, name="my_data"),
    path("account/data/<int:pk>/", privacy.my_data_export, name="my_data_export"),
    path("account/data/<int:pk>/download/", privacy.my_data_download, name="my_data_download"),
    path("records-of-processing/", privacy.records_of_processing, name="records_of_processing"),
    path(
        "records-of-processing/<str:file_format>/",
        privacy.records_of_processing_download,
        name="records_of_processing_download",
    ),
    # The personal link in every invitation mail; it leads to the reply page above.
    path("invitation/<str:token>/", invitation_reply.open_link, name="invitation_link"),
]
