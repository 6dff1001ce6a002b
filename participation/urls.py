from django.urls import path

from .events import views as invitation_reply
from .views import bodies, legal, memberships, organisations, outbox, people, security, tokens

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
    path("memberships/new/", memberships.membership_form, name="membership_create"),
    path("memberships/<int:pk>/edit/", memberships.membership_form, name="membership_edit"),
    path("memberships/<int:pk>/end/", memberships.membership_end, name="membership_end"),
    path("mail/", outbox.mail_list, name="mail_list"),
    path("security-log/", security.security_log, name="security_log"),
    path("account/tokens/", tokens.token_list, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke, name="api_token_revoke"),
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
    path("legal-pages/<str:kind>/edit/", legal.legal_page_edit, name="legal_page_edit"),
    path("invitation/<int:pk>/", invitation_reply.reply_page, name="invitation_reply"),
    path("invitation/<int:pk>/deputy/", invitation_reply.deputy, name="invitation_deputy"),
    path(
        "invitation/<int:pk>/calendar.ics",
        invitation_reply.calendar_file,
        name="invitation_calendar",
    ),
    # The personal link in every invitation mail; it leads to the reply page above.
    path("invitation/<str:token>/", invitation_reply.open_link, name="invitation_link"),
]
