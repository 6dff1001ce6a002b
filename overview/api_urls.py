from django.urls import path

from . import api

app_name = "overview-api"
urlpatterns = [
    path("home/", api.home, name="home"),
]
