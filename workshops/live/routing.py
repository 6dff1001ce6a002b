"""WebSocket routes of live sessions (included by config/routing.py)."""

from django.urls import path

from .consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/workshops/<int:workshop_id>/live/", LiveConsumer.as_asgi()),
]
