from django.urls import path

from .views import consultations, setup, statements, weighing

app_name = "consultations"
urlpatterns = [
    path("", consultations.consultation_list, name="list"),
    path("new/", consultations.consultation_form, name="create"),
    path("<int:pk>/", consultations.consultation_detail, name="detail"),
    path("<int:pk>/edit/", consultations.consultation_form, name="edit"),
    path("<int:pk>/open/", consultations.open_consultation, name="open"),
    path("<int:pk>/close/", consultations.close_consultation, name="close"),
    path("<int:pk>/remind/", consultations.remind, name="remind"),
    path(
        "<int:pk>/organisations/<int:organisation_pk>/extend/",
        consultations.extend,
        name="extend",
    ),
    path(
        "<int:pk>/organisations/<int:organisation_pk>/reopen/",
        consultations.reopen_statement,
        name="reopen_statement",
    ),
    path("<int:pk>/sections/new/", setup.section_form, name="section_create"),
    path("<int:pk>/sections/<int:section_pk>/", setup.section_form, name="section_edit"),
    path("<int:pk>/sections/<int:section_pk>/delete/", setup.section_delete, name="section_delete"),
    path("<int:pk>/files/new/", setup.attachment_add, name="attachment_add"),
    path("<int:pk>/files/<int:attachment_pk>/", setup.attachment_download, name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_pk>/delete/",
        setup.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/organisations/", setup.organisations, name="organisations"),
    path(
        "<int:pk>/organisations/<int:organisation_pk>/remove/",
        setup.organisation_remove,
        name="organisation_remove",
    ),
    path(
        "<int:pk>/organisations/<int:organisation_pk>/statement/",
        statements.open_statement,
        name="open_statement",
    ),
    path("<int:pk>/weighing/", weighing.weighing_table, name="weighing"),
    path("<int:pk>/answers/<int:answer_pk>/row/", weighing.answer_row, name="answer_row"),
    path("<int:pk>/answers/<int:answer_pk>/points/", weighing.add_point, name="add_point"),
    path("<int:pk>/points/<int:point_pk>/", weighing.save_point, name="save_point"),
    path("<int:pk>/points/<int:point_pk>/delete/", weighing.delete_point, name="delete_point"),
    path("<int:pk>/weighing.<str:file_format>", weighing.weighing_file, name="weighing_file"),
    path("<int:pk>/publish/", weighing.publish, name="publish"),
    path("<int:pk>/record/", weighing.participation_record, name="record"),
    path(
        "<int:pk>/record.<str:file_format>",
        weighing.participation_record_file,
        name="record_file",
    ),
    path("<int:pk>/revised/", weighing.revised_draft, name="revised"),
    path("<int:pk>/revised/start/", weighing.start_revised_draft, name="start_revised"),
    path(
        "<int:pk>/revised/<int:section_pk>/",
        weighing.revised_section_form,
        name="revised_section_edit",
    ),
    path("<int:pk>/result/", weighing.result, name="result"),
    path("<int:pk>/public/", weighing.public_result, name="public_result"),
    path("statements/<int:pk>/", statements.statement_page, name="statement"),
    path("statements/<int:pk>/save/", statements.save_statement, name="save_statement"),
    path("statements/<int:pk>/sections/<str:key>/", statements.save_section, name="save_section"),
    path(
        "statements/<int:pk>/responsible/",
        statements.name_responsible,
        name="name_responsible",
    ),
    path("statements/<int:pk>/release/", statements.release, name="release"),
    path("statements/<int:pk>/no-statement/", statements.no_statement, name="no_statement"),
]
