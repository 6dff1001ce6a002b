"""One ASGI application serving HTTP and WebSocket."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.signals import request_finished  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from participation.request_connections import close_request_connections  # noqa: E402
from participation.request_limits import BodyLimitMiddleware  # noqa: E402
from participation.socket_door import SocketDoorStack  # noqa: E402

# Each HTTP request runs in a thread of its own: its connection must not outlive it.
request_finished.connect(close_request_connections)

application = ProtocolTypeRouter(
    {
        # uvicorn takes bodies of any size: oversized ones are refused before Django reads them.
        "http": BodyLimitMiddleware(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            # Channels' AuthMiddlewareStack, with the second factor checked at the door.
            SocketDoorStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
