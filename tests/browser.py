"""A real Chromium (Debian's package) driven by Playwright, for the journeys people click."""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


# Per module, not per session: while Playwright's sync API runs, the main thread holds a
# running event loop, and every later test that calls async code (async_to_sync, the live
# sessions' clients) would fail.
@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is required (REQUIRE_SERVICES=1) but not installed.")
        pytest.skip("Chromium is not installed: browser journeys SKIPPED")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def wait_for_htmx(page):
    """htmx wires up swapped-in content once it has settled; a person never types faster."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
