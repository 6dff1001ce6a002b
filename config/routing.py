"""WebSocket routes. The live-session issue adds the workshop consumers here."""

from django.urls import path

from participation.consumers import PingConsumer
from workshops.live.routing import websocket_urlpatterns as live_urlpatterns

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    *live_urlpatterns,
]
