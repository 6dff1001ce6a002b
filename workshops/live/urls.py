"""The short addresses of live sessions: /live/ to join (the QR code points here) and each
workshop's participant page."""

from django.urls import path

from . import views

app_name = "live"
urlpatterns = [
    path("", views.join, name="join"),
    path("<int:pk>/", views.participant_page, name="participant"),
]
