"""The expected answers of the authorisation matrix (test_authorisation_matrix.py).

A row is eight answers, one per role, in this order:

    anonymous  invitee  member_a  member_b  political  welfare  coordinator  coordinator_no2fa

`invitee` has no account and has opened their personal links (invitation, date poll, task);
`member_a` belongs to municipality A, which owns the world's records; `member_b` to
municipality B (consulted and asked in the survey too, not in the body); `political` and
`welfare` to a political group and a welfare association (asked in nothing);
`coordinator` has TOTP, `coordinator_no2fa` has not. An answer is a status code, or for a
redirect `login` (to the sign-in), `2fa` (to the second factor's set-up) or `302`
(anywhere else). The world is tests/security/world.py.

Adding a URL: add its URL name to PAGES with its GET and POST rows, `"app:name": (GET,
POST)`, or one row when both are the same. Use a named row below when one fits, else
write the eight answers. Adding an API operation: add `"METHOD /api/v1/path/{id}/": row`
to API (the path as the OpenAPI schema writes it). The `{id}` and other parameters are
filled from the world in test_authorisation_matrix.py (PK_OF, PARAMETERS, API_OBJECT);
a new kind of object needs one line there and one in world.py. Run with
MATRIX_OBSERVE=<file> to write what each role gets instead of asserting.

The admin's pages share one row (ADMIN) by their prefix; they are requested with GET only,
since every one of them sits behind the same gate (a test checks that)."""

# Named rows, in the order of the roles above.
# everyone, signed in or not
PUBLIC = "200 200 200 200 200 200 200 200"
# any account (a coordinator only with the second factor)
SIGNED_IN = "login login 200 200 200 200 200 2fa"
# coordinators only; everyone else signed in learns nothing (404)
COORDINATOR = "login login 404 404 404 404 200 2fa"
# a coordinator's action that redirects once done
COORDINATOR_DONE = "login login 404 404 404 404 302 2fa"
# a coordinator's action refusing the empty form
COORDINATOR_REFUSED = "login login 404 404 404 404 400 2fa"
# GET on an action that takes POST only
POST_ONLY = "login login 405 405 405 405 405 2fa"
# POST on a page or download that takes GET only
GET_ONLY = POST_ONLY
# municipality A's member (the owner) and coordinators
OWNER = "login login 200 404 404 404 200 2fa"
# the Django admin: staff only, none of the roles is staff
ADMIN = "login login login login login login login 2fa"
# any account
API_SIGNED_IN = "401 401 200 200 200 200 200 403"
# coordinators only (404 for the others)
API_COORDINATOR = "401 401 404 404 404 404 200 403"
# a coordinator's action refusing the empty body
API_COORDINATOR_REFUSED = "401 401 404 404 404 404 400 403"
# a create: members may read the list but not write (403)
API_COORDINATOR_WRITES = "401 401 403 403 403 403 400 403"
# municipality A's member and coordinators
API_OWNER = "401 401 200 404 404 404 200 403"
# A's member reads, coordinators change
API_OWNER_READS = "401 401 403 404 404 404 200 403"
# A's member reads, a coordinator's empty change is refused
API_OWNER_READS_REFUSED = "401 401 403 404 404 404 400 403"
# allauth pages that send a signed-in user on
ACCOUNT = "login login 302 302 302 302 302 302"
# sign-in pages: a signed-in user is sent on
SIGNED_OUT_ONLY = "200 200 302 302 302 302 302 302"
# a page of the invitee's personal link (held in their session)
LINK_HOLDER = "404 200 404 404 404 404 404 2fa"
# a personal link's token: opens for whoever holds it
TOKEN_LINK = "302 302 302 302 302 302 302 2fa"
# an action of A's member for A (a response, a statement)
RESPONDENT_DONE = "login login 302 404 404 404 404 2fa"
# the same, refusing the empty form
RESPONDENT_REFUSED = "login login 400 404 404 404 404 2fa"
# nothing to show in this world (no file answer, no publication …)
NOBODY = "login login 404 404 404 404 404 2fa"
# an API call with the invitee's personal link in its header
API_LINK_HOLDER = "404 200 404 404 404 404 404 403"
# the same, refusing the empty body
API_LINK_HOLDER_REFUSED = "404 400 404 404 404 404 404 403"
# A's member writing for A, refusing the empty body
API_RESPONDENT_REFUSED = "401 401 400 404 404 404 404 403"
# everyone (the legal pages)
API_PUBLIC = "200 200 200 200 200 200 200 403"
# nobody: the method is not allowed
ANY_405 = "405 405 405 405 405 405 405 405"

PAGES = {
    # Data protection and security.
    "participation:my_data": (SIGNED_IN, "login login 302 302 302 302 302 2fa"),
    "participation:my_data_export": "login login 200 404 404 404 404 2fa",
    # The world's downloads are not built yet: nothing to hand out, to anyone.
    "participation:my_data_download": NOBODY,
    "participation:invitation_data": (LINK_HOLDER, "404 302 404 404 404 404 404 2fa"),
    "participation:invitation_data_export": LINK_HOLDER,
    "participation:invitation_data_download": "404 404 404 404 404 404 404 2fa",
    "participation:invitation_erasure": (LINK_HOLDER, "404 302 404 404 404 404 404 2fa"),
    "participation:records_of_processing": COORDINATOR,
    "participation:erasure_request": SIGNED_IN,
    "participation:erasure_request_list": COORDINATOR,
    "participation:erasure_request_erase": (COORDINATOR, COORDINATOR_DONE),
    "participation:erasure_request_dismiss": (POST_ONLY, COORDINATOR_REFUSED),
    "participation:person_erase": (COORDINATOR, COORDINATOR_DONE),
    "participation:retention": (COORDINATOR, POST_ONLY),
    "participation:security_log": (COORDINATOR, POST_ONLY),
    "participation:api_tokens": SIGNED_IN,
    "participation:api_token_revoke": (POST_ONLY, RESPONDENT_DONE),
    # The accessibility statement's form is open to everyone.
    "participation:barrier_report": "200 200 200 200 200 200 200 2fa",
    "participation:barrier_reports": COORDINATOR,
    "participation:barrier_report_answered": (POST_ONLY, COORDINATOR_DONE),
    # The social monitoring: the world's space is a proposal of A's.
    "monitoring:spaces": SIGNED_IN,
    "monitoring:space_new": "login login 200 200 302 302 200 2fa",
    "monitoring:space": OWNER,
    "monitoring:space_edit": OWNER,
    "monitoring:space_new_version": OWNER,
    "monitoring:space_confirm": (POST_ONLY, "login login 302 404 404 404 302 2fa"),
    "monitoring:space_export_csv": SIGNED_IN,
    "monitoring:space_export_geojson": SIGNED_IN,
    "monitoring:indicators": SIGNED_IN,
    "monitoring:indicator": SIGNED_IN,
    "monitoring:indicator_new": COORDINATOR,
    "monitoring:indicator_edit": COORDINATOR,
    "monitoring:indicator_set": SIGNED_IN,
    "monitoring:indicator_set_new": COORDINATOR,
    "monitoring:indicator_set_edit": COORDINATOR,
    # The world's round asks A and B; A's delivery is submitted, waiting for review.
    "monitoring:rounds": SIGNED_IN,
    "monitoring:round": "login login 200 200 404 404 200 2fa",
    "monitoring:round_new": COORDINATOR,
    "monitoring:round_edit": COORDINATOR,
    "monitoring:delivery": OWNER,
    "monitoring:delivery_history": OWNER,
    "monitoring:delivery_save": (POST_ONLY, RESPONDENT_DONE),
    "monitoring:delivery_cell": (POST_ONLY, RESPONDENT_REFUSED),
    "monitoring:delivery_submit": (POST_ONLY, RESPONDENT_REFUSED),
    "monitoring:delivery_approve": (POST_ONLY, COORDINATOR_DONE),
    "monitoring:delivery_send_back": (POST_ONLY, COORDINATOR_REFUSED),
    "monitoring:delivery_extend": (POST_ONLY, COORDINATOR_REFUSED),
    "monitoring:round_remind": (POST_ONLY, COORDINATOR_DONE),
    # Results: approved values, published within the platform; their files are the county's.
    "monitoring:indicator_results": (SIGNED_IN, GET_ONLY),
    "monitoring:indicator_export_csv": (COORDINATOR, GET_ONLY),
    "monitoring:indicator_export_geojson": (COORDINATOR, GET_ONLY),
    "monitoring:round_export_xlsx": (COORDINATOR, GET_ONLY),
    # A's delivery: its template for A's members and the coordinators; the upload of the
    # filled-in template for A's members only (the empty form refused).
    "monitoring:delivery_template_csv": OWNER,
    "monitoring:delivery_template_xlsx": OWNER,
    "monitoring:delivery_upload": (POST_ONLY, RESPONDENT_REFUSED),
    # The admin's own sign-in sends the roles to the platform's; signed in but not staff: 403.
    "admin:login": "login login 403 403 403 403 403 2fa",
    "admin:logout": "302 302 302 302 302 302 302 2fa",
    "account_change_password": "login login 200 200 200 200 200 200",
    "account_confirm_login_code": "302 302 302 302 302 302 302 302",
    "account_confirm_reauthentication_code": ACCOUNT,
    "account_email": ("login login 200 200 200 200 200 200", ACCOUNT),
    "account_email_verification_sent": ACCOUNT,
    "account_inactive": (PUBLIC, ANY_405),
    "account_login": SIGNED_OUT_ONLY,
    "account_logout": ("302 302 200 200 200 200 200 200", "302 302 302 302 302 302 302 302"),
    "account_reauthenticate": "login login 200 200 200 200 302 200",
    "account_request_login_code": SIGNED_OUT_ONLY,
    "account_request_reauthentication_code": "login login 200 200 200 200 302 200",
    "account_reset_password": PUBLIC,
    "account_reset_password_done": (PUBLIC, ANY_405),
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": (PUBLIC, ANY_405),
    "account_set_password": ACCOUNT,
    "account_signup": SIGNED_OUT_ONLY,
    "api-docs": (API_PUBLIC, "405 405 405 405 405 405 405 403"),
    "api-schema": (API_PUBLIC, "405 405 405 405 405 405 405 403"),
    "consultations:add_point": (POST_ONLY, COORDINATOR_REFUSED),
    # An answer's row of the weighing table for htmx; without it, a redirect to its page.
    "consultations:answer_row": (COORDINATOR_DONE, GET_ONLY),
    "consultations:attachment": (
        "login login 200 200 404 404 200 2fa",
        "405 405 405 405 405 405 405 2fa",
    ),
    "consultations:attachment_add": COORDINATOR,
    "consultations:attachment_delete": (POST_ONLY, COORDINATOR_DONE),
    "consultations:close": (POST_ONLY, COORDINATOR_DONE),
    "consultations:create": COORDINATOR,
    "consultations:delete_point": (POST_ONLY, COORDINATOR_DONE),
    "consultations:detail": "login login 200 200 404 404 200 2fa",
    "consultations:edit": COORDINATOR,
    "consultations:extend": (POST_ONLY, COORDINATOR_REFUSED),
    "consultations:list": SIGNED_IN,
    "consultations:name_responsible": (POST_ONLY, RESPONDENT_REFUSED),
    "consultations:no_statement": (POST_ONLY, RESPONDENT_DONE),
    "consultations:open": (POST_ONLY, COORDINATOR_DONE),
    "consultations:open_statement": (POST_ONLY, RESPONDENT_DONE),
    "consultations:organisation_remove": (POST_ONLY, COORDINATOR_DONE),
    "consultations:organisations": COORDINATOR,
    "consultations:public_result": "200 200 200 200 200 200 200 2fa",
    "consultations:publish": (POST_ONLY, COORDINATOR_DONE),
    "consultations:record": COORDINATOR,
    "consultations:release": (POST_ONLY, RESPONDENT_DONE),
    "consultations:remind": (POST_ONLY, COORDINATOR_DONE),
    "consultations:reopen_statement": (POST_ONLY, COORDINATOR_DONE),
    "consultations:result": "login login 200 200 404 404 200 2fa",
    "consultations:revised": COORDINATOR,
    "consultations:revised_section_edit": COORDINATOR,
    "consultations:save_point": (POST_ONLY, COORDINATOR_REFUSED),
    "consultations:save_section": (POST_ONLY, RESPONDENT_REFUSED),
    "consultations:save_statement": (POST_ONLY, RESPONDENT_REFUSED),
    "consultations:section_create": COORDINATOR,
    "consultations:section_delete": (POST_ONLY, COORDINATOR_DONE),
    "consultations:section_edit": COORDINATOR,
    "consultations:start_revised": (POST_ONLY, COORDINATOR_DONE),
    "consultations:statement": OWNER,
    "consultations:weighing": COORDINATOR,
    "healthz": PUBLIC,
    "live:join": "200 200 200 200 200 200 200 2fa",
    "live:participant": "302 200 200 302 302 302 302 2fa",
    "meetings:agenda_add": COORDINATOR,
    "meetings:agenda_document": (COORDINATOR, COORDINATOR_REFUSED),
    "meetings:agenda_document_get": (OWNER, POST_ONLY),
    "meetings:agenda_edit": COORDINATOR,
    "meetings:agenda_propose": "login login 200 404 404 404 404 2fa",
    "meetings:agenda_update": (COORDINATOR, COORDINATOR_DONE),
    "meetings:attendance": (COORDINATOR, COORDINATOR_DONE),
    "meetings:body_calendar": OWNER,
    "meetings:calendar_revoke": (POST_ONLY, "login login 302 302 302 302 302 2fa"),
    "meetings:calendar_subscribe": SIGNED_IN,
    "meetings:decision_create": COORDINATOR,
    "meetings:decision_register": OWNER,
    "meetings:decision_search": SIGNED_IN,
    "meetings:meeting_cancel": COORDINATOR,
    "meetings:meeting_detail": OWNER,
    "meetings:meeting_invitations": (COORDINATOR, COORDINATOR_DONE),
    "meetings:meeting_move": COORDINATOR,
    "meetings:minutes": OWNER,
    "meetings:minutes_edit": (COORDINATOR, COORDINATOR_REFUSED),
    "meetings:minutes_print": OWNER,
    "meetings:minutes_transition": (POST_ONLY, COORDINATOR_DONE),
    "meetings:person_body_calendar": "200 200 200 200 200 200 200 2fa",
    "meetings:person_calendar": "200 200 200 200 200 200 200 2fa",
    "meetings:poll_action": (POST_ONLY, COORDINATOR_DONE),
    "meetings:poll_answer": LINK_HOLDER,
    "meetings:poll_create": COORDINATOR,
    "meetings:poll_detail": COORDINATOR,
    "meetings:poll_edit": COORDINATOR,
    "meetings:poll_link": TOKEN_LINK,
    "meetings:poll_list": COORDINATOR,
    "meetings:proposal_decide": (POST_ONLY, COORDINATOR_DONE),
    "meetings:record_reply": (COORDINATOR, COORDINATOR_REFUSED),
    "meetings:series_create": COORDINATOR,
    "meetings:series_detail": OWNER,
    "meetings:series_edit": COORDINATOR,
    "meetings:series_list": SIGNED_IN,
    "meetings:task_create": COORDINATOR,
    "meetings:task_edit": COORDINATOR,
    "meetings:task_link_open": TOKEN_LINK,
    "meetings:task_link_page": LINK_HOLDER,
    "meetings:task_link_resend": (POST_ONLY, COORDINATOR_DONE),
    "meetings:task_link_revoke": (POST_ONLY, COORDINATOR_DONE),
    "meetings:task_links": COORDINATOR,
    "meetings:task_list": SIGNED_IN,
    "meetings:task_status": (POST_ONLY, COORDINATOR_DONE),
    "mfa_activate_totp": ACCOUNT,
    "mfa_authenticate": ACCOUNT,
    "mfa_deactivate_totp": "login login 404 404 404 404 302 404",
    "mfa_download_recovery_codes": "login login 404 404 404 404 404 404",
    "mfa_generate_recovery_codes": ACCOUNT,
    "mfa_index": ("login login 200 200 200 200 200 200", "login login 405 405 405 405 405 405"),
    "mfa_reauthenticate": "login login 302 302 302 302 200 302",
    "mfa_view_recovery_codes": (
        "login login 404 404 404 404 404 404",
        "login login 405 405 405 405 405 405",
    ),
    "overview:committee_report": (COORDINATOR, COORDINATOR_REFUSED),
    "overview:committee_report_detail": COORDINATOR,
    "overview:home": SIGNED_IN,
    "participation:accessibility": PUBLIC,
    "participation:body_create": COORDINATOR,
    "participation:body_detail": OWNER,
    "participation:body_edit": COORDINATOR,
    "participation:body_list": SIGNED_IN,
    "participation:imprint": PUBLIC,
    "participation:invitation_calendar": LINK_HOLDER,
    "participation:invitation_deputy": ("405 405 405 405 405 405 405 2fa", LINK_HOLDER),
    "participation:invitation_link": TOKEN_LINK,
    "participation:invitation_reply": LINK_HOLDER,
    "participation:legal_page_edit": COORDINATOR,
    "participation:mail_list": (COORDINATOR, POST_ONLY),
    "participation:membership_create": COORDINATOR,
    "participation:membership_edit": COORDINATOR,
    "participation:membership_end": COORDINATOR,
    "participation:organisation_create": COORDINATOR,
    "participation:organisation_detail": OWNER,
    "participation:organisation_edit": COORDINATOR,
    "participation:organisation_list": SIGNED_IN,
    "participation:person_create": COORDINATOR,
    "participation:person_detail": OWNER,
    "participation:person_edit": COORDINATOR,
    "participation:person_grant_account": (POST_ONLY, COORDINATOR_DONE),
    "participation:person_import": COORDINATOR,
    "participation:person_list": SIGNED_IN,
    "participation:privacy": PUBLIC,
    "participation:seat_create": COORDINATOR,
    "participation:seat_edit": COORDINATOR,
    "participation:seat_end": COORDINATOR,
    "set_language": "302 302 302 302 302 302 302 302",
    "surveys:answer_file": NOBODY,
    "surveys:builder": COORDINATOR,
    "surveys:close": (POST_ONLY, COORDINATOR_DONE),
    "surveys:compare": (COORDINATOR, POST_ONLY),
    "surveys:export_csv": (COORDINATOR, POST_ONLY),
    "surveys:export_xlsx": (COORDINATOR, POST_ONLY),
    "surveys:open_response": (POST_ONLY, RESPONDENT_DONE),
    "surveys:preview": COORDINATOR,
    "surveys:progress": COORDINATOR,
    "surveys:progress_extend": (POST_ONLY, COORDINATOR_REFUSED),
    "surveys:progress_remind": (POST_ONLY, COORDINATOR_DONE),
    "surveys:progress_reopen": (POST_ONLY, COORDINATOR_DONE),
    "surveys:publish": (POST_ONLY, COORDINATOR_DONE),
    "surveys:publish_results": (POST_ONLY, COORDINATOR_DONE),
    "surveys:question_create": COORDINATOR_DONE,
    "surveys:question_delete": (POST_ONLY, COORDINATOR_DONE),
    "surveys:question_edit": COORDINATOR_DONE,
    "surveys:question_move": (POST_ONLY, COORDINATOR_REFUSED),
    "surveys:reopen": (POST_ONLY, COORDINATOR_DONE),
    "surveys:reopen_survey": (POST_ONLY, COORDINATOR_DONE),
    "surveys:response": OWNER,
    "surveys:response_print": (OWNER, POST_ONLY),
    "surveys:save_answer": (POST_ONLY, "login login 200 404 404 404 404 2fa"),
    "surveys:save_section": (POST_ONLY, RESPONDENT_DONE),
    "surveys:section_create": COORDINATOR_DONE,
    "surveys:section_edit": COORDINATOR_DONE,
    "surveys:section_move": (POST_ONLY, COORDINATOR_REFUSED),
    "surveys:start_new_version": (POST_ONLY, COORDINATOR_DONE),
    "surveys:submit": (POST_ONLY, RESPONDENT_REFUSED),
    "surveys:survey_create": COORDINATOR,
    "surveys:survey_detail": "login login 200 200 404 404 200 2fa",
    "surveys:survey_list": SIGNED_IN,
    "surveys:withdraw_results": (POST_ONLY, COORDINATOR_DONE),
    "surveys:survey_edit": COORDINATOR,
    "workshops:agenda": (COORDINATOR, COORDINATOR_REFUSED),
    "workshops:agenda_item": (COORDINATOR, COORDINATOR_REFUSED),
    "workshops:agenda_item_delete": (POST_ONLY, COORDINATOR_DONE),
    "workshops:attendance": (COORDINATOR, POST_ONLY),
    "workshops:audience": COORDINATOR,
    "workshops:audience_add": (POST_ONLY, COORDINATOR_REFUSED),
    "workshops:audience_remove": (POST_ONLY, COORDINATOR_DONE),
    "workshops:audience_send": (POST_ONLY, COORDINATOR_REFUSED),
    "workshops:check_in": (POST_ONLY, COORDINATOR_DONE),
    "workshops:document_delete": (POST_ONLY, COORDINATOR_DONE),
    "workshops:document_documentation": (POST_ONLY, COORDINATOR_DONE),
    "workshops:document_download": (
        "404 200 200 404 404 404 200 2fa",
        "405 405 405 405 405 405 405 2fa",
    ),
    "workshops:documentation": (
        "404 404 404 404 404 404 200 2fa",
        "405 405 405 405 405 405 405 2fa",
    ),
    "workshops:documentation_edit": COORDINATOR,
    "workshops:documentation_share": (POST_ONLY, COORDINATOR_DONE),
    "workshops:documents": (COORDINATOR, COORDINATOR_REFUSED),
    "workshops:export_live_results": (COORDINATOR, POST_ONLY),
    "workshops:invitation_progress": (COORDINATOR, POST_ONLY),
    "workshops:invitations": (COORDINATOR, POST_ONLY),
    "workshops:live_console": COORDINATOR,
    "workshops:live_projector": COORDINATOR,
    "workshops:record_reply": (COORDINATOR, COORDINATOR_REFUSED),
    "workshops:resend_all": (POST_ONLY, COORDINATOR_DONE),
    "workshops:resend_one": (POST_ONLY, COORDINATOR_DONE),
    "workshops:sign_in_sheet": (COORDINATOR, POST_ONLY),
    "workshops:workshop_cancel": (COORDINATOR, COORDINATOR_DONE),
    "workshops:workshop_create": COORDINATOR,
    "workshops:workshop_detail": OWNER,
    "workshops:workshop_done": (POST_ONLY, COORDINATOR_DONE),
    "workshops:workshop_edit": COORDINATOR,
    "workshops:workshop_list": SIGNED_IN,
    "workshops:workshop_publish": (POST_ONLY, COORDINATOR_DONE),
}
API = {
    # Data protection and security.
    "GET /api/v1/my-data/": API_SIGNED_IN,
    "POST /api/v1/my-data/": "401 401 202 202 202 202 202 403",
    "GET /api/v1/my-data/{id}/": "401 401 200 404 404 404 404 403",
    "GET /api/v1/my-data/{id}/download/": "401 401 404 404 404 404 404 403",
    "GET /api/v1/records-of-processing/": API_COORDINATOR,
    "GET /api/v1/retention-periods/": API_COORDINATOR,
    # Members get an empty list: the runs are the coordinators'.
    "GET /api/v1/retention-runs/": API_SIGNED_IN,
    "GET /api/v1/retention-runs/{id}/": API_COORDINATOR,
    "GET /api/v1/security-events/": "401 401 403 403 403 403 200 403",
    "GET /api/v1/security-events/{id}/": "401 401 403 403 403 403 200 403",
    "GET /api/v1/api-tokens/": API_SIGNED_IN,
    "POST /api/v1/api-tokens/": "401 401 400 400 400 400 400 403",
    "GET /api/v1/api-tokens/{id}/": "401 401 200 404 404 404 404 403",
    "DELETE /api/v1/api-tokens/{id}/": "401 401 204 404 404 404 404 403",
    "GET /api/v1/erasure-requests/": "401 401 403 403 403 403 200 403",
    "POST /api/v1/erasure-requests/": "401 401 400 400 400 400 400 403",
    "GET /api/v1/erasure-requests/{id}/": API_COORDINATOR,
    "POST /api/v1/erasure-requests/{id}/erase/": API_COORDINATOR,
    "POST /api/v1/erasure-requests/{id}/dismiss/": API_COORDINATOR_REFUSED,
    "POST /api/v1/people/{id}/erase/": API_OWNER_READS,
    "POST /api/v1/invitation-reply/erasure/": "404 404 404 404 404 404 404 403",
    "GET /api/v1/barrier-reports/": "401 401 403 403 403 403 200 403",
    "POST /api/v1/barrier-reports/": "400 400 400 400 400 400 400 403",
    "GET /api/v1/barrier-reports/{id}/": "401 401 403 403 403 403 200 403",
    "POST /api/v1/barrier-reports/{id}/answered/": "401 401 403 403 403 403 200 403",
    # The social monitoring.
    "GET /api/v1/spaces/": API_SIGNED_IN,
    "POST /api/v1/spaces/": "401 401 400 400 400 400 400 403",
    "GET /api/v1/spaces/csv/": API_SIGNED_IN,
    "GET /api/v1/spaces/geojson/": API_SIGNED_IN,
    "GET /api/v1/spaces/{id}/": API_OWNER,
    "PUT /api/v1/spaces/{id}/": "401 401 400 404 404 404 400 403",
    "PATCH /api/v1/spaces/{id}/": API_OWNER,
    "POST /api/v1/spaces/{id}/confirm/": "401 401 403 403 403 403 200 403",
    "POST /api/v1/spaces/{id}/new-version/": "401 401 400 404 404 404 400 403",
    "POST /api/v1/spaces/successions/": "401 401 400 400 400 400 400 403",
    "GET /api/v1/indicators/": API_SIGNED_IN,
    "POST /api/v1/indicators/": API_COORDINATOR_WRITES,
    "GET /api/v1/indicators/{id}/": API_SIGNED_IN,
    "PUT /api/v1/indicators/{id}/": "401 401 403 403 403 403 400 403",
    "PATCH /api/v1/indicators/{id}/": "401 401 403 403 403 403 200 403",
    "GET /api/v1/indicator-sets/": API_SIGNED_IN,
    "POST /api/v1/indicator-sets/": API_COORDINATOR_WRITES,
    "GET /api/v1/indicator-sets/{id}/": API_SIGNED_IN,
    "PUT /api/v1/indicator-sets/{id}/": "401 401 403 403 403 403 400 403",
    "PATCH /api/v1/indicator-sets/{id}/": "401 401 403 403 403 403 200 403",
    "GET /api/v1/indicators/{id}/results/": API_SIGNED_IN,
    "GET /api/v1/indicators/{id}/kommonitor/": API_COORDINATOR,
    "GET /api/v1/delivery-rounds/{id}/export/": API_COORDINATOR,
    # Rounds: members of a supplier (A, B) read the round, coordinators change it.
    "GET /api/v1/delivery-rounds/": API_SIGNED_IN,
    "POST /api/v1/delivery-rounds/": API_COORDINATOR_WRITES,
    "GET /api/v1/delivery-rounds/{id}/": "401 401 200 200 404 404 200 403",
    "PUT /api/v1/delivery-rounds/{id}/": "401 401 403 403 404 404 400 403",
    "PATCH /api/v1/delivery-rounds/{id}/": "401 401 403 403 404 404 200 403",
    "GET /api/v1/delivery-rounds/{id}/completeness/": "401 401 200 200 404 404 200 403",
    # A's delivery: A's members fill it in (it is submitted, so a write is refused),
    # coordinators read and review it; a member of A asking to review is told 403 why.
    "GET /api/v1/deliveries/": API_SIGNED_IN,
    "GET /api/v1/deliveries/{id}/": API_OWNER,
    "GET /api/v1/deliveries/{id}/grid/": API_OWNER,
    "POST /api/v1/deliveries/{id}/cells/": API_RESPONDENT_REFUSED,
    "PATCH /api/v1/deliveries/{id}/cells/": API_RESPONDENT_REFUSED,
    "POST /api/v1/deliveries/{id}/submit/": API_RESPONDENT_REFUSED,
    "POST /api/v1/deliveries/{id}/approve/": API_OWNER_READS,
    "POST /api/v1/deliveries/{id}/send-back/": API_OWNER_READS_REFUSED,
    "POST /api/v1/deliveries/{id}/extend/": API_OWNER_READS_REFUSED,
    "GET /api/v1/deliveries/{id}/template/": API_OWNER,
    "POST /api/v1/deliveries/{id}/upload/": API_RESPONDENT_REFUSED,
    "GET /api/v1/agenda-documents/{id}/": API_OWNER,
    "GET /api/v1/agenda-items/{id}/": API_OWNER,
    "PATCH /api/v1/agenda-items/{id}/": API_COORDINATOR,
    "POST /api/v1/agenda-items/{id}/accept/": API_COORDINATOR_REFUSED,
    "POST /api/v1/agenda-items/{id}/documents/": API_COORDINATOR_REFUSED,
    "GET /api/v1/agenda-items/{id}/minutes/": API_COORDINATOR,
    "PUT /api/v1/agenda-items/{id}/minutes/": API_COORDINATOR_REFUSED,
    "POST /api/v1/agenda-items/{id}/reject/": API_COORDINATOR_REFUSED,
    "GET /api/v1/bodies/": API_SIGNED_IN,
    "POST /api/v1/bodies/": API_COORDINATOR_WRITES,
    "GET /api/v1/bodies/{id}/": API_OWNER,
    "PATCH /api/v1/bodies/{id}/": API_OWNER_READS,
    "PUT /api/v1/bodies/{id}/": API_OWNER_READS_REFUSED,
    "GET /api/v1/bodies/{id}/meetings.ics": API_OWNER,
    "GET /api/v1/body-memberships/": API_SIGNED_IN,
    "POST /api/v1/body-memberships/": API_COORDINATOR_WRITES,
    "DELETE /api/v1/body-memberships/{id}/": "401 401 403 404 404 404 204 403",
    "GET /api/v1/body-memberships/{id}/": API_OWNER,
    "PATCH /api/v1/body-memberships/{id}/": API_OWNER_READS,
    "PUT /api/v1/body-memberships/{id}/": API_OWNER_READS_REFUSED,
    "POST /api/v1/body-memberships/{id}/end/": API_OWNER_READS,
    "GET /api/v1/consultations/": API_SIGNED_IN,
    "POST /api/v1/consultations/": API_COORDINATOR_WRITES,
    "GET /api/v1/consultations/sections/": API_SIGNED_IN,
    "POST /api/v1/consultations/sections/": API_COORDINATOR_WRITES,
    "DELETE /api/v1/consultations/sections/{id}/": "401 401 403 403 404 404 400 403",
    "GET /api/v1/consultations/sections/{id}/": "401 401 200 200 404 404 200 403",
    "PATCH /api/v1/consultations/sections/{id}/": "401 401 403 403 404 404 400 403",
    "PUT /api/v1/consultations/sections/{id}/": "401 401 403 403 404 404 400 403",
    "GET /api/v1/consultations/statements/": API_SIGNED_IN,
    "POST /api/v1/consultations/statements/": "401 401 400 400 400 400 400 403",
    "GET /api/v1/consultations/statements/{id}/": API_OWNER,
    "POST /api/v1/consultations/statements/{id}/extend/": API_COORDINATOR_REFUSED,
    "POST /api/v1/consultations/statements/{id}/no-statement/": API_RESPONDENT_REFUSED,
    "POST /api/v1/consultations/statements/{id}/release/": API_RESPONDENT_REFUSED,
    "POST /api/v1/consultations/statements/{id}/reopen/": API_COORDINATOR_REFUSED,
    "POST /api/v1/consultations/statements/{id}/responsible/": API_RESPONDENT_REFUSED,
    "PUT /api/v1/consultations/statements/{id}/sections/{section_id}/": API_RESPONDENT_REFUSED,
    "DELETE /api/v1/consultations/weighing-points/{point_id}/": "401 401 404 404 404 404 204 403",
    "GET /api/v1/consultations/weighing-points/{point_id}/": API_COORDINATOR,
    "PUT /api/v1/consultations/weighing-points/{point_id}/": API_COORDINATOR_REFUSED,
    "GET /api/v1/consultations/{id}/": "401 401 200 200 404 404 200 403",
    "PATCH /api/v1/consultations/{id}/": API_COORDINATOR_REFUSED,
    "PUT /api/v1/consultations/{id}/": API_COORDINATOR_REFUSED,
    "POST /api/v1/consultations/{id}/close/": API_COORDINATOR_REFUSED,
    "POST /api/v1/consultations/{id}/consult/": API_COORDINATOR_REFUSED,
    "POST /api/v1/consultations/{id}/files/": API_COORDINATOR_REFUSED,
    "DELETE /api/v1/consultations/{id}/files/{attachment_id}/": API_COORDINATOR_REFUSED,
    "GET /api/v1/consultations/{id}/files/{attachment_id}/": "401 401 200 200 404 404 200 403",
    "POST /api/v1/consultations/{id}/open/": API_COORDINATOR_REFUSED,
    "POST /api/v1/consultations/{id}/publish/": API_COORDINATOR_REFUSED,
    "GET /api/v1/consultations/{id}/record/": API_COORDINATOR,
    "GET /api/v1/consultations/{id}/record/file/": API_COORDINATOR,
    "POST /api/v1/consultations/{id}/remind/": API_COORDINATOR_REFUSED,
    "GET /api/v1/consultations/{id}/result/": "401 401 200 200 404 404 200 403",
    "GET /api/v1/consultations/{id}/revised-draft/": API_COORDINATOR,
    "POST /api/v1/consultations/{id}/revised-draft/": API_COORDINATOR,
    "PUT /api/v1/consultations/{id}/revised-draft/{section_id}/": API_COORDINATOR_REFUSED,
    "POST /api/v1/consultations/{id}/stop-consulting/": API_COORDINATOR_REFUSED,
    "GET /api/v1/consultations/{id}/weighing/": API_COORDINATOR,
    "GET /api/v1/consultations/{id}/weighing/file/": API_COORDINATOR,
    "POST /api/v1/consultations/{id}/weighing/points/": API_COORDINATOR_REFUSED,
    "GET /api/v1/decisions/": API_SIGNED_IN,
    "POST /api/v1/decisions/": API_COORDINATOR_WRITES,
    "GET /api/v1/decisions/export/": API_SIGNED_IN,
    "GET /api/v1/decisions/{id}/": API_OWNER,
    "GET /api/v1/home/": API_SIGNED_IN,
    "GET /api/v1/invitation-reply/": API_LINK_HOLDER,
    "POST /api/v1/invitation-reply/": API_LINK_HOLDER_REFUSED,
    "GET /api/v1/invitation-reply/calendar/": API_LINK_HOLDER,
    "GET /api/v1/legal-pages/": API_PUBLIC,
    "GET /api/v1/legal-pages/{kind}/": API_PUBLIC,
    "PATCH /api/v1/legal-pages/{kind}/": "401 401 403 403 403 403 200 403",
    "PUT /api/v1/legal-pages/{kind}/": API_COORDINATOR_WRITES,
    "GET /api/v1/me/": API_SIGNED_IN,
    "DELETE /api/v1/meeting-calendar-subscription/": "401 401 204 404 404 404 404 403",
    "GET /api/v1/meeting-calendar-subscription/": API_SIGNED_IN,
    "POST /api/v1/meeting-calendar-subscription/": "401 401 201 201 201 201 201 403",
    "GET /api/v1/meeting-poll-answer/": API_LINK_HOLDER,
    "POST /api/v1/meeting-poll-answer/": API_LINK_HOLDER_REFUSED,
    "GET /api/v1/meeting-polls/": API_SIGNED_IN,
    "POST /api/v1/meeting-polls/": API_COORDINATOR_WRITES,
    "GET /api/v1/meeting-polls/{id}/": API_OWNER,
    "POST /api/v1/meeting-polls/{id}/close/": API_OWNER_READS,
    "POST /api/v1/meeting-polls/{id}/decide/": API_OWNER_READS_REFUSED,
    "POST /api/v1/meeting-polls/{id}/edit/": API_OWNER_READS,
    "GET /api/v1/meeting-polls/{id}/matrix/": API_COORDINATOR,
    "POST /api/v1/meeting-polls/{id}/remind/": API_OWNER_READS,
    "POST /api/v1/meeting-polls/{id}/send/": API_OWNER_READS,
    "GET /api/v1/meeting-series/": API_SIGNED_IN,
    "POST /api/v1/meeting-series/": API_COORDINATOR_WRITES,
    "GET /api/v1/meeting-series/{id}/": API_OWNER,
    "PATCH /api/v1/meeting-series/{id}/": API_OWNER_READS,
    "PUT /api/v1/meeting-series/{id}/": API_OWNER_READS_REFUSED,
    "GET /api/v1/meeting-task-link/": API_LINK_HOLDER,
    "POST /api/v1/meeting-task-link/": API_LINK_HOLDER_REFUSED,
    "GET /api/v1/meeting-tasks/": API_SIGNED_IN,
    "POST /api/v1/meeting-tasks/": API_COORDINATOR_WRITES,
    "GET /api/v1/meeting-tasks/{id}/": API_OWNER,
    "PATCH /api/v1/meeting-tasks/{id}/": API_OWNER_READS,
    "PUT /api/v1/meeting-tasks/{id}/": API_OWNER_READS_REFUSED,
    "POST /api/v1/meeting-tasks/{id}/links/new/": "401 401 404 404 404 404 202 403",
    "POST /api/v1/meeting-tasks/{id}/links/revoke/": API_COORDINATOR,
    "POST /api/v1/meeting-tasks/{id}/status/": API_COORDINATOR_REFUSED,
    "GET /api/v1/meetings/": API_SIGNED_IN,
    "GET /api/v1/meetings/{id}/": API_OWNER,
    "GET /api/v1/meetings/{id}/agenda-update/": API_COORDINATOR,
    "GET /api/v1/meetings/{id}/agenda/": API_OWNER,
    "POST /api/v1/meetings/{id}/agenda/": API_COORDINATOR_REFUSED,
    "POST /api/v1/meetings/{id}/agenda/propose/": "401 401 400 404 404 404 400 403",
    "GET /api/v1/meetings/{id}/attendance/": API_COORDINATOR,
    "PUT /api/v1/meetings/{id}/attendance/": API_COORDINATOR_REFUSED,
    "POST /api/v1/meetings/{id}/cancel/": API_OWNER_READS,
    "GET /api/v1/meetings/{id}/carried-tasks/": API_OWNER,
    "POST /api/v1/meetings/{id}/change-preview/": API_OWNER_READS_REFUSED,
    "GET /api/v1/meetings/{id}/invitation-preview/": API_COORDINATOR,
    "GET /api/v1/meetings/{id}/invitations/": API_COORDINATOR,
    "POST /api/v1/meetings/{id}/invitations/{invitation_id}/record-reply/": API_COORDINATOR_REFUSED,
    "GET /api/v1/meetings/{id}/minutes/": API_OWNER,
    "POST /api/v1/meetings/{id}/minutes/approve/": API_COORDINATOR_REFUSED,
    "POST /api/v1/meetings/{id}/minutes/circulate/": API_COORDINATOR_REFUSED,
    "GET /api/v1/meetings/{id}/minutes/file/": API_OWNER,
    "POST /api/v1/meetings/{id}/move/": API_OWNER_READS_REFUSED,
    "POST /api/v1/meetings/{id}/send-agenda-update/": API_COORDINATOR,
    "POST /api/v1/meetings/{id}/send-invitations/": API_COORDINATOR,
    "GET /api/v1/memberships/": API_SIGNED_IN,
    "POST /api/v1/memberships/": API_COORDINATOR_WRITES,
    "DELETE /api/v1/memberships/{id}/": "401 401 403 404 404 404 204 403",
    "GET /api/v1/memberships/{id}/": API_OWNER,
    "PATCH /api/v1/memberships/{id}/": API_OWNER_READS,
    "PUT /api/v1/memberships/{id}/": API_OWNER_READS_REFUSED,
    "POST /api/v1/memberships/{id}/end/": API_OWNER_READS,
    "GET /api/v1/organisations/": API_SIGNED_IN,
    "POST /api/v1/organisations/": API_COORDINATOR_WRITES,
    "GET /api/v1/organisations/{id}/": API_OWNER,
    "PATCH /api/v1/organisations/{id}/": API_OWNER_READS,
    "PUT /api/v1/organisations/{id}/": API_OWNER_READS_REFUSED,
    "GET /api/v1/outbound-mails/": API_SIGNED_IN,
    "GET /api/v1/outbound-mails/{id}/": API_COORDINATOR,
    "GET /api/v1/people/": API_SIGNED_IN,
    "POST /api/v1/people/": API_COORDINATOR_WRITES,
    "GET /api/v1/people/{id}/": API_OWNER,
    "PATCH /api/v1/people/{id}/": API_OWNER_READS,
    "PUT /api/v1/people/{id}/": API_OWNER_READS_REFUSED,
    "GET /api/v1/reports/": API_SIGNED_IN,
    "POST /api/v1/reports/": API_COORDINATOR_REFUSED,
    "GET /api/v1/reports/{id}/": API_COORDINATOR,
    "GET /api/v1/reports/{id}/download/": API_COORDINATOR,
    "GET /api/v1/survey-responses/": API_SIGNED_IN,
    "GET /api/v1/survey-responses/{id}/": API_OWNER,
    "PUT /api/v1/survey-responses/{id}/answers/{key}/": API_RESPONDENT_REFUSED,
    "POST /api/v1/survey-responses/{id}/submit/": API_RESPONDENT_REFUSED,
    "GET /api/v1/surveys/": API_SIGNED_IN,
    "GET /api/v1/surveys/{id}/": "401 401 200 200 404 404 200 403",
    "POST /api/v1/surveys/{id}/close/": API_COORDINATOR,
    "GET /api/v1/surveys/{id}/comparison/": API_COORDINATOR,
    "GET /api/v1/surveys/{id}/export/": API_COORDINATOR,
    "POST /api/v1/surveys/{id}/publish-results/": API_COORDINATOR_REFUSED,
    "POST /api/v1/surveys/{id}/reopen/": API_COORDINATOR_REFUSED,
    "POST /api/v1/surveys/{id}/withdraw-results/": API_COORDINATOR_REFUSED,
    "GET /api/v1/workshops/": API_SIGNED_IN,
    "POST /api/v1/workshops/": API_COORDINATOR_WRITES,
    "GET /api/v1/workshops/{id}/": API_OWNER,
    "PATCH /api/v1/workshops/{id}/": API_COORDINATOR,
    "PUT /api/v1/workshops/{id}/": API_COORDINATOR_REFUSED,
    "GET /api/v1/workshops/{id}/activities/": API_COORDINATOR,
    "GET /api/v1/workshops/{id}/activities/export/": API_COORDINATOR,
    "GET /api/v1/workshops/{id}/activities/{activity_id}/": API_COORDINATOR,
    "GET /api/v1/workshops/{id}/agenda/": API_OWNER,
    "POST /api/v1/workshops/{id}/agenda/": API_COORDINATOR_REFUSED,
    "DELETE /api/v1/workshops/{id}/agenda/{item_id}/": "401 401 404 404 404 404 204 403",
    "PATCH /api/v1/workshops/{id}/agenda/{item_id}/": API_COORDINATOR,
    "GET /api/v1/workshops/{id}/attendance/": API_COORDINATOR,
    "GET /api/v1/workshops/{id}/audience/": API_COORDINATOR,
    "POST /api/v1/workshops/{id}/audience/": API_COORDINATOR_REFUSED,
    "DELETE /api/v1/workshops/{id}/audience/{entry_id}/": "401 401 404 404 404 404 204 403",
    "POST /api/v1/workshops/{id}/cancel/": API_COORDINATOR,
    "POST /api/v1/workshops/{id}/check-in/": API_COORDINATOR_REFUSED,
    "GET /api/v1/workshops/{id}/delivery/": API_COORDINATOR,
    "GET /api/v1/workshops/{id}/documentation/": API_COORDINATOR,
    "PATCH /api/v1/workshops/{id}/documentation/": API_COORDINATOR,
    "POST /api/v1/workshops/{id}/done/": API_COORDINATOR_REFUSED,
    "GET /api/v1/workshops/{id}/invitations/": API_COORDINATOR,
    "POST /api/v1/workshops/{id}/invitations/{invitation_id}/record-reply/": (  # noqa: E501
        API_COORDINATOR_REFUSED
    ),
    "POST /api/v1/workshops/{id}/publish/": API_COORDINATOR_REFUSED,
    "POST /api/v1/workshops/{id}/resend-failed/": API_COORDINATOR,
    "POST /api/v1/workshops/{id}/send-invitations/": API_COORDINATOR_REFUSED,
}

# Operations under /api/v1/ that the schema leaves out on purpose (none today).
API_NOT_IN_SCHEMA: set[str] = set()


def is_admin(key):
    return key.startswith(("admin:", "admin/"))


def _answers(row):
    from tests.security.world import ROLES  # noqa: PLC0415 - the roles' one definition

    answers = row.split()
    assert len(answers) == len(ROLES), f"a row needs {len(ROLES)} answers: {row!r}"
    return dict(zip(ROLES, answers, strict=True))


def page_expectation(key, method):
    row = PAGES.get(key, ADMIN if is_admin(key) else None)
    assert row is not None, f"{key} is not in PAGES"
    get, post = row if isinstance(row, tuple) else (row, row)
    return _answers(get if method == "GET" else post)


def api_expectation(key):
    return _answers(API[key])
