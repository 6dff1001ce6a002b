"""A real Chromium (Debian's package) driven by Playwright, for the journeys people click."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

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


# Chromium reports every blocked script, style, image or connection on the console; the
# event listener adds the directive and what was blocked, for the failure message.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.effectiveDirective} blocked `
    + `${event.blockedURI || "inline"} at ${event.sourceFile || document.URL}:${event.lineNumber}`);
});
"""


class WatchedBrowser:
    """The browser, but every context it opens records Content-Security-Policy violations
    in `violations`: the pages must work under the policy they are served with."""

    def __init__(self, browser):
        self._browser = browser
        self.violations = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", self._console)
        return context

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def __getattr__(self, name):
        return getattr(self._browser, name)


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

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield WatchedBrowser(instance)
        instance.close()


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """A test that drove the browser fails when any page broke the Content-Security-Policy."""
    if "browser" not in request.fixturenames:
        yield
        return
    watched = request.getfixturevalue("browser")
    watched.violations.clear()
    yield
    violations, watched.violations[:] = list(watched.violations), []
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


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
