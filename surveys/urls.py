from django.urls import path

from .views import builder, closing, files, progress, responses, surveys
from .views.results import compare_answers, export_responses

app_name = "surveys"
urlpatterns = [
    path("", surveys.survey_list, name="survey_list"),
    path("<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("<int:pk>/compare/", compare_answers, name="compare"),
    path("<int:pk>/close/", closing.close, name="close"),
    path("<int:pk>/reopen/", closing.reopen, name="reopen_survey"),
    path("<int:pk>/results/publish/", closing.publish_results, name="publish_results"),
    path("<int:pk>/results/withdraw/", closing.withdraw_results, name="withdraw_results"),
    path("<int:pk>/export.csv", export_responses, {"file_format": "csv"}, name="export_csv"),
    path("<int:pk>/export.xlsx", export_responses, {"file_format": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/progress/", progress.progress_page, name="progress"),
    path("<int:pk>/progress/remind/", progress.remind, name="progress_remind"),
    path(
        "<int:pk>/progress/<int:organisation_pk>/reopen/",
        progress.reopen,
        name="progress_reopen",
    ),
    path(
        "<int:pk>/progress/<int:organisation_pk>/extend/",
        progress.extend,
        name="progress_extend",
    ),
    path("new/", builder.survey_form, name="survey_create"),
    path("<int:pk>/settings/", builder.survey_form, name="survey_edit"),
    path("<int:pk>/build/", builder.builder, name="builder"),
    path("<int:pk>/build/new-version/", builder.start_new_version, name="start_new_version"),
    path("<int:pk>/build/sections/new/", builder.section_form, name="section_create"),
    path("<int:pk>/build/sections/<int:section_pk>/", builder.section_form, name="section_edit"),
    path(
        "<int:pk>/build/sections/<int:section_pk>/move/",
        builder.section_move,
        name="section_move",
    ),
    path("<int:pk>/build/questions/new/", builder.question_form, name="question_create"),
    path(
        "<int:pk>/build/questions/<int:question_pk>/",
        builder.question_form,
        name="question_edit",
    ),
    path(
        "<int:pk>/build/questions/<int:question_pk>/delete/",
        builder.question_delete,
        name="question_delete",
    ),
    path(
        "<int:pk>/build/questions/<int:question_pk>/move/",
        builder.question_move,
        name="question_move",
    ),
    path("<int:pk>/preview/", builder.preview, name="preview"),
    path("<int:pk>/publish/", builder.publish, name="publish"),
    path("<int:pk>/open/<int:organisation_pk>/", responses.open_response, name="open_response"),
    path("responses/<int:pk>/", responses.response_page, name="response"),
    path(
        "responses/<int:pk>/sections/<int:section_pk>/", responses.save_section, name="save_section"
    ),
    path("responses/<int:pk>/answers/<slug:key>/", responses.save_answer, name="save_answer"),
    path("responses/<int:pk>/submit/", responses.submit, name="submit"),
    path("responses/<int:pk>/reopen/", responses.reopen, name="reopen"),
    path("responses/<int:pk>/files/<slug:key>/", files.answer_file, name="answer_file"),
    path("responses/<int:pk>/print/", files.response_print, name="response_print"),
]
