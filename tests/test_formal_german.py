"""German texts address people formally ("Sie"), as a public body must: also the texts that
come from packages whose own German says "du" (allauth's sign-in pages and mails, REST
framework's API errors). Their overrides live in `participation/formal_german/`."""

import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation import trans_real

INFORMAL = re.compile(
    r"\b(du|dein\w*|dich|dir)\b"
    r"|(^|[.:!?]\s+)(Bitte\s+)?(Gib|Wähle|Bestätige|Melde|Versuche|Überprüfe|Klicke|Trage|"
    r"Füge|Lade|Nutze|Verwende|Prüfe|Sende|Ändere|Öffne|Stelle|Kontaktiere|Warte|Fordere|"
    r"Benutze|Speichere|Erstelle|Entferne|Rufe|Folge)\b",
    re.IGNORECASE,
)


def package_msgids():
    """Every msgid (with its context) of an installed app's German catalogue."""
    for config in apps.get_app_configs():
        catalogue = Path(config.path) / "locale" / "de" / "LC_MESSAGES" / "django.mo"
        if catalogue.exists():
            with catalogue.open("rb") as file:
                for key in GNUTranslations(file)._catalog:
                    if isinstance(key, str) and key:
                        yield config.label, key


def test_the_check_recognises_informal_german():
    assert INFORMAL.search("Gib eine gültige E-Mail Adresse an.")
    assert INFORMAL.search("Bist du sicher, dass du dich abmelden möchtest?")
    assert INFORMAL.search("Datum hat das falsche Format. Nutze stattdessen eines dieser Formate.")
    assert not INFORMAL.search("Bitte geben Sie eine gültige E-Mail-Adresse ein.")


def test_every_german_text_of_the_packages_addresses_people_formally():
    with translation.override("de"):
        catalogue = trans_real.translation("de")
        informal = sorted(
            f"{label}: {key!r} -> {catalogue.gettext(key)!r}"
            for label, key in package_msgids()
            if INFORMAL.search(catalogue.gettext(key))
        )
    assert not informal, "informal German left:\n" + "\n".join(informal)


@pytest.mark.django_db
def test_a_form_error_and_the_sign_out_page_say_sie(client, member):
    client.force_login(member)
    page = client.get("/accounts/logout/").content.decode()
    assert "Möchten Sie sich wirklich abmelden?" in page
    response = client.post("/barrierefreiheit/barriere-melden/", {"description": "x", "email": "x"})
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in response.content.decode()
