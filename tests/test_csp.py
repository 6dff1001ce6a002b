"""Every page is served with a strict Content-Security-Policy: nothing inline, nothing from
elsewhere, no framing. (That the pages still work under it, the browser tests prove: each
fails on any violation.)"""

import pytest

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response):
    header = response.headers.get("Content-Security-Policy", "")
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/login/code/",
        "/admin/login/",
        "/api/docs/",
        "/live/",
        "/healthz",
        "/no-such-page/",
        "/",  # a redirect to the sign-in
    ],
)
def test_every_page_sends_a_strict_policy(client, path):
    policy = directives(client.get(path))
    for directive, value in STRICT.items():
        assert policy.get(directive) == value, (path, directive, policy)
    assert "unsafe" not in " ".join(policy.values())


def test_signed_in_pages_send_it_too(client, coordinator):
    client.force_login(coordinator)
    for path in ("/", "/organisations/", "/workshops/", "/surveys/", "/admin/"):
        assert directives(client.get(path))["script-src"] == "'self'", path


def test_the_api_docs_page_has_no_inline_style_or_script(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/api/docs/").content.decode()
    assert "<style" not in page
    assert "<script>" not in page
