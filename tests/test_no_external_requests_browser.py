"""No request from any page leaves the site: no CDN, no web fonts, no analytics.

A real Chromium walks the demo world as the demo coordinator and as the demo member, following
every link on the site (one page per URL pattern and query), and records every request each
page makes (documents, scripts, styles, fonts, images, htmx calls, WebSockets): all must go to
the site's own origin."""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from participation.models import User
from tests.factories import give_totp
from tests.test_accessibility_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Links not followed: they end the session or lead away from the pages.
SKIPPED_VIEWS = {"account_logout"}
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture
def demo_people():
    call_command("seed_demo", verbosity=0)
    call_command("ensure_demo_coordinator", "--force", verbosity=0)
    call_command("ensure_demo_member", "--force", verbosity=0)
    coordinator = User.objects.get(email=settings.MITPLANEN_DEMO_EMAIL)
    give_totp(coordinator)
    return coordinator, User.objects.get(email=settings.MITPLANEN_DEMO_MEMBER_EMAIL)


def _page_key(url):
    """One visit per URL pattern and set of query parameters; None for what is not a page."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name in SKIPPED_VIEWS:
        return None
    query = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return match.view_name, query


def walk(page, live_server, user, *, limit=400):
    """Visit every page reachable by links; return (pages visited, requests that left)."""
    origin = live_server.url
    left = []

    def watch(url):
        parts = urlsplit(url)
        if parts.scheme not in LOCAL_SCHEMES and f"{parts.scheme}://{parts.netloc}" != origin:
            left.append((page.url, url))

    page.on("request", lambda request: watch(request.url))
    page.on("websocket", lambda socket: watch(socket.url.replace("ws", "http", 1)))
    sign_in(page, live_server, user)
    queue, seen, visited = deque([f"{origin}/"]), set(), []
    while queue and len(visited) < limit:
        url = queue.popleft()
        key = _page_key(url)
        if key is None or key in seen:
            continue
        seen.add(key)
        try:
            page.goto(url)
            page.wait_for_load_state("networkidle")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # an export or an uploaded file: a download, not a page
            raise
        visited.append(url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = href.split("#")[0]
            if target.startswith(origin + "/"):
                queue.append(target)
    return visited, left


def test_no_page_requests_anything_from_another_site(page, live_server, demo_people):
    coordinator, member = demo_people

    visited, left = walk(page, live_server, coordinator)
    assert not left, left[:10]
    assert len(visited) >= 40, visited
    # The pages that bring the most of their own: the API's documentation, live sessions.
    assert any("/api/docs/" in url for url in visited)

    page.context.clear_cookies()
    visited, left = walk(page, live_server, member)
    assert not left, left[:10]
    assert len(visited) >= 15, visited
