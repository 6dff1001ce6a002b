from django.urls import path

from . import views, views_builder, views_closing, views_files, views_progress
from .views_results import compare_answers, export_responses

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/compare/", compare_answers, name="compare"),
    path("<int:pk>/close/", views_closing.close, name="close"),
    path("<int:pk>/reopen/", views_closing.reopen, name="reopen_survey"),
    path("<int:pk>/results/publish/", views_closing.publish_results, name="publish_results"),
    path("<int:pk>/results/withdraw/", views_closing.withdraw_results, name="withdraw_results"),
    path("<int:pk>/export.csv", export_responses, {"file_format": "csv"}, name="export_csv"),
    path("<int:pk>/export.xlsx", export_responses, {"file_format": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/progress/", views_progress.progress_page, name="progress"),
    path("<int:pk>/progress/remind/", views_progress.remind, name="progress_remind"),
    path(
        "<int:pk>/progress/<int:organisation_pk>/reopen/",
        views_progress.reopen,
        name="progress_reopen",
    ),
    path(
        "<int:pk>/progress/<int:organisation_pk>/extend/",
        views_progress.extend,
        name="progress_extend",
    ),
    path("new/", views_builder.survey_form, name="survey_create"),
    path("<int:pk>/settings/", views_builder.survey_form, name="survey_edit"),
    path("<int:pk>/build/", views_builder.builder, name="builder"),
    path("<int:pk>/build/new-version/", views_builder.start_new_version, name="start_new_version"),
    path("<int:pk>/build/sections/new/", views_builder.section_form, name="section_create"),
    path(
        "<int:pk>/build/sections/<int:section_pk>/", views_builder.section_form, name="section_edit"
    ),
    path(
        "<int:pk>/build/sections/<int:section_pk>/move/",
        views_builder.section_move,
        name="section_move",
    ),
    path("<int:pk>/build/questions/new/", views_builder.question_form, name="question_create"),
    path(
        "<int:pk>/build/questions/<int:question_pk>/",
        views_builder.question_form,
        name="question_edit",
    ),
    path(
        "<int:pk>/build/questions/<int:question_pk>/delete/",
        views_builder.question_delete,
        name="question_delete",
    ),
    path(
        "<int:pk>/build/questions/<int:question_pk>/move/",
        views_builder.question_move,
        name="question_move",
    ),
    path("<int:pk>/preview/", views_builder.preview, name="preview"),
    path("<int:pk>/publish/", views_builder.publish, name="publish"),
    path("<int:pk>/open/<int:organisation_pk>/", views.open_response, name="open_response"),
    path("responses/<int:pk>/", views.response_page, name="response"),
    path("responses/<int:pk>/sections/<int:section_pk>/", views.save_section, name="save_section"),
    path("responses/<int:pk>/answers/<slug:key>/", views.save_answer, name="save_answer"),
    path("responses/<int:pk>/submit/", views.submit, name="submit"),
    path("responses/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("responses/<int:pk>/files/<slug:key>/", views_files.answer_file, name="answer_file"),
    path("responses/<int:pk>/print/", views_files.response_print, name="response_print"),
]
