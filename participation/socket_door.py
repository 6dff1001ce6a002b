"""The WebSocket side of the one door: a socket opened with the session of an account that
must first set up its second factor is refused before any consumer sees it, as its pages and
API calls are. Inactive accounts never get this far: their session resolves to nobody.

`SocketDoorStack(inner)` stands where Channels' `AuthMiddlewareStack(inner)` would: the same
cookie and session middleware, and in place of its AuthMiddleware the door, which resolves
`scope["user"]` with Channels' own `get_user` and checks the second factor in the same trip
to a worker thread. Channels would make two trips for that, both through its one database
thread, which every socket opening at the same moment queues for."""

from channels.auth import AuthMiddleware, get_user
from channels.sessions import CookieMiddleware, SessionMiddleware

from .db_threads import in_db_thread
from .middleware import coordinator_needs_totp

# The close code a refused socket gets: "no access", as the live sessions' protocol names it
# (docs/live-protocol.md), so their client says why and does not reconnect.
REFUSED = 4401


class SocketDoor(AuthMiddleware):
    """Channels' AuthMiddleware (it needs the session middleware above it), refusing the
    sockets of accounts that lack their second factor."""

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        self.populate_scope(scope)
        user, refused = await _user_at_the_door(scope)
        scope["user"]._wrapped = user
        if refused:
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": REFUSED})
            return None
        return await self.inner(scope, receive, send)


def SocketDoorStack(inner):  # noqa: N802 - named like Channels' AuthMiddlewareStack
    return CookieMiddleware(SessionMiddleware(SocketDoor(inner)))


def _user_and_refusal(scope):
    """(the session's user, whether the door refuses them)."""
    user = get_user.func(scope)  # Channels' get_user, undecorated: this is a thread already
    return user, coordinator_needs_totp(user)


# In any worker thread, not Channels' single database thread: session and user are read on
# that thread's own database connection.
_user_at_the_door = in_db_thread(_user_and_refusal)
