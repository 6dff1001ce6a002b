"""Every mail allauth sends takes the one mail path: text and HTML, in the recipient's
language, with Content-Language."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from participation.models import OutboundMail
from participation.services import grant_account
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

# Sentences of each mail in both languages (allauth's own translations and ours).
SIGN_IN_CODE = {
    "en": "Your sign-in code is listed below",
    "de": "Ihr Anmeldecode steht unten.",
}
PASSWORD_RESET = {
    "en": "Click the link below to reset your password.",
    "de": "Über den folgenden Link setzen Sie Ihr Passwort zurück.",
}
UNKNOWN_ACCOUNT = {
    "en": "but there is no account with this address",
    "de": "es gibt aber kein Konto mit dieser Adresse",
}
ACCOUNT_INVITATION = {
    "en": "You now have access to mitplanen",
    "de": "Sie haben jetzt Zugang zu mitplanen",
}
OTHER = {"en": "de", "de": "en"}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def account(language):
    user = UserFactory(email=f"konto-{language}@example.org")
    PersonFactory(user=user, email=user.email, language=language)
    return user


def assert_in_language(message, language, sentence):
    """Text and HTML both in `language`, labelled so, and neither in the other one."""
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    assert message.extra_headers["Content-Language"] == language
    assert message.message()["Content-Language"] == language
    assert sentence[language] in message.body
    assert sentence[language] in html
    assert sentence[OTHER[language]] not in message.body + html
    assert f'<html lang="{language}">' in html


@pytest.mark.parametrize("language", ["de", "en"])
def test_sign_in_code_mail_is_in_the_accounts_language(
    language, client, mailoutbox, django_capture_on_commit_callbacks
):
    user = account(language)
    with django_capture_on_commit_callbacks(execute=True):
        # The page is in the other language: the person's preference wins.
        client.post(
            reverse("account_request_login_code"),
            {"email": user.email},
            HTTP_ACCEPT_LANGUAGE=OTHER[language],
        )

    [message] = mailoutbox
    assert_in_language(message, language, SIGN_IN_CODE)
    assert OutboundMail.objects.get().language == language


@pytest.mark.parametrize("language", ["de", "en"])
def test_password_reset_mail_is_in_the_accounts_language(
    language, client, mailoutbox, django_capture_on_commit_callbacks
):
    user = account(language)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": user.email},
            HTTP_ACCEPT_LANGUAGE=OTHER[language],
        )

    [message] = mailoutbox
    assert_in_language(message, language, PASSWORD_RESET)
    assert "/accounts/password/reset/key/" in message.body


@pytest.mark.parametrize("language", ["de", "en"])
def test_unknown_account_mail_is_in_the_language_of_the_page(
    language, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": "niemand@example.org"},
            HTTP_ACCEPT_LANGUAGE=language,
        )

    for message in mailoutbox:  # whether it is sent at all is the accounts' rule
        assert_in_language(message, language, UNKNOWN_ACCOUNT)


@pytest.mark.parametrize("language", ["de", "en"])
def test_account_invitation_is_in_the_persons_language(
    language, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    person = PersonFactory(email=f"neu-{language}@example.org", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        grant_account(person, actor=coordinator)

    [message] = mailoutbox
    assert_in_language(message, language, ACCOUNT_INVITATION)
