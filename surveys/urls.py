from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/open/<int:organisation_pk>/", views.open_response, name="open_response"),
    path("responses/<int:pk>/", views.response_page, name="response"),
    path("responses/<int:pk>/sections/<int:section_pk>/", views.save_section, name="save_section"),
    path("responses/<int:pk>/answers/<slug:key>/", views.save_answer, name="save_answer"),
    path("responses/<int:pk>/submit/", views.submit, name="submit"),
    path("responses/<int:pk>/reopen/", views.reopen, name="reopen"),
]
