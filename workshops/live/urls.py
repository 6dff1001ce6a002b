"""The short addresses of live sessions: /live/ to join (the QR code points here) and each
workshop's participant page."""

from django.urls import path

from workshops import views_live

app_name = "live"
urlpatterns = [
    path("", views_live.join, name="join"),
    path("<int:pk>/", views_live.participant_page, name="participant"),
]
