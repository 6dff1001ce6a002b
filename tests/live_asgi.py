"""The application the live-session tests serve: config.asgi's, unchanged, except that
content type ids are looked up afresh for every connection. The test database is flushed
between tests and its content types are created again under new ids, which a server
process that lives through several tests would otherwise keep in its cache (a real server
never sees content types change under it)."""

from django.apps import apps

from config.asgi import application as served


async def application(scope, receive, send):
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()
    await served(scope, receive, send)
