"""The WebSocket side of the one door: a socket opened with the session of an account that
must first set up its second factor is refused before any consumer sees it, as its pages and
API calls are. Inactive accounts never get this far: their session resolves to nobody."""

from channels.db import database_sync_to_async

from .middleware import coordinator_needs_totp

# The close code a refused socket gets: "no access", as the live sessions' protocol names it
# (docs/live-protocol.md), so their client says why and does not reconnect.
REFUSED = 4401


class SocketDoor:
    """ASGI middleware inside channels' AuthMiddlewareStack (it needs scope["user"])."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is not None and await database_sync_to_async(_refused)(user):
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": REFUSED})
            return None
        return await self.inner(scope, receive, send)


def _refused(user) -> bool:
    return coordinator_needs_totp(getattr(user, "_wrapped", user))
