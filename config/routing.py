"""WebSocket routes. The live-session issue adds the workshop consumers here."""

from django.urls import path

from participation.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
]
