"""The translation catalogues: German is complete and current, English is explicit, the
committed .mo files match the .po files, and a rendered page follows the chosen language."""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
DE_PO = LOCALE / "de" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# The same options as the documented makemessages call.
MAKEMESSAGES_IGNORES = [
    "--ignore=.venv",
    "--ignore=staticfiles",
    "--ignore=tests",
    "--ignore=bench",
]
SOURCE_TREES = [
    "config",
    "overview",
    "participation",
    "surveys",
    "workshops",
    "meetings",
    "consultations",
    "monitoring",
    "templates",
]

# %(name)s, %s, %d, %5.2f … ; "%%" is a literal percent sign, not a placeholder.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")

# Wordings fixed by the domain's vocabulary; other tests and the demo rely on them.
GLOSSARY = {
    "body": "Gremium",
    "bodies": "Gremien",
    "organisation": "Organisation",
    "Municipality": "Kommune",
    "Political group": "Fraktion",
    "Welfare association": "Wohlfahrtsverband",
    "County office": "Kreisverwaltung (Amt)",
    "Steering group": "Lenkungsgruppe",
    "Working group": "Arbeitsgruppe",
    "Project group": "Projektgruppe",
    "Recurring talk": "Regelmäßiges Gespräch",
    "Committee": "Ausschuss",
    "Chair": "Vorsitz",
    "Deputy": "Stellvertretung",
    "Guest": "Gast",
    "Member": "Mitglied",
    "coordinator": "Koordination",
    "official municipality key (AGS)": "Amtlicher Gemeindeschlüssel (AGS)",
    "Skip to main content": "Zum Hauptinhalt springen",
    "Change history": "Änderungsverlauf",
    "ended": "beendet",
    "Demo installation": "Demo-Installation",
    "A municipality needs its AGS.": "Eine Kommune braucht ihren AGS.",
    "The end lies before the start.": "Das Ende liegt vor dem Beginn.",
}


def placeholders(text):
    text = text.replace("%%", "")
    return Counter(PERCENT_PLACEHOLDER.findall(text)) + Counter(BRACE_PLACEHOLDER.findall(text))


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def live_entries(catalogue):
    return [entry for entry in catalogue if not entry.obsolete]


def translations(entry):
    """msgstr, or the plural forms in order."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.fixture(scope="module")
def de_catalogue():
    return polib.pofile(str(DE_PO))


@pytest.fixture(scope="module")
def en_catalogue():
    return polib.pofile(str(EN_PO))


def test_german_catalogue_is_complete(de_catalogue):
    assert live_entries(de_catalogue), "the German catalogue has no entries"
    assert not de_catalogue.metadata_is_fuzzy, "the German catalogue's header is marked fuzzy"
    obsolete = [entry.msgid for entry in de_catalogue if entry.obsolete]
    assert not obsolete, f"obsolete entries left in the German catalogue: {obsolete}"
    fuzzy = [entry.msgid for entry in de_catalogue if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy German translations: {fuzzy}"
    untranslated = [
        entry.msgid
        for entry in live_entries(de_catalogue)
        if not all(text.strip() for text in translations(entry))
        or (entry.msgid_plural and len(entry.msgstr_plural) < 2)
    ]
    assert not untranslated, f"untranslated German entries: {untranslated}"


def test_german_translations_keep_their_placeholders(de_catalogue):
    broken = []
    for entry in live_entries(de_catalogue):
        for index, text in enumerate(translations(entry)):
            source = entry.msgid if index == 0 else entry.msgid_plural
            if placeholders(text) != placeholders(source):
                broken.append(f"{source!r} -> {text!r}")
    assert not broken, "placeholders differ:\n" + "\n".join(broken)


@pytest.mark.parametrize(("msgid", "german"), sorted(GLOSSARY.items()))
def test_glossary_wordings(de_catalogue, msgid, german):
    entry = de_catalogue.find(msgid)
    assert entry is not None, f"{msgid!r} is no longer in the catalogue"
    assert entry.msgstr == german


def test_demo_notice_names_two_factor_authentication(de_catalogue):
    entries = [e for e in live_entries(de_catalogue) if e.msgid.startswith("This installation")]
    assert entries, "the demo-mode notice is no longer in the catalogue"
    for entry in entries:
        assert "Zwei-Faktor-Authentifizierung" in entry.msgstr


def test_english_catalogue_covers_every_german_msgid(de_catalogue, en_catalogue):
    english = {key(entry): entry for entry in live_entries(en_catalogue)}
    missing = [entry.msgid for entry in live_entries(de_catalogue) if key(entry) not in english]
    assert not missing, f"msgids missing from the English catalogue: {missing}"
    fuzzy = [entry.msgid for entry in live_entries(en_catalogue) if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy English entries: {fuzzy}"
    empty = [
        entry.msgid
        for entry in live_entries(en_catalogue)
        if not all(text.strip() for text in translations(entry))
    ]
    assert not empty, f"English entries without msgstr: {empty}"


@pytest.mark.parametrize("language", ["de", "en"])
def test_compiled_catalogue_matches_po(language):
    po_path = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing; run compilemessages"
    po = polib.pofile(str(po_path))
    mo = {key(entry): translations(entry) for entry in polib.mofile(str(mo_path)) if entry.msgid}
    expected = {key(entry): translations(entry) for entry in po.translated_entries()}
    stale = sorted(
        msgid for (context, msgid), texts in expected.items() if mo.get((context, msgid)) != texts
    )
    extra = sorted(msgid for (context, msgid) in mo.keys() - expected.keys())
    assert not stale, f"{language}: .mo differs from .po (run compilemessages) for: {stale}"
    assert not extra, f"{language}: .mo holds entries the .po no longer has: {extra}"


def test_catalogue_is_up_to_date_with_the_code(tmp_path, de_catalogue):
    """Catches: a code string missing from the catalogue; fails in CI if it cannot run."""
    if shutil.which("xgettext") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("GNU gettext (xgettext) is not on PATH; REQUIRE_SERVICES=1 needs it.")
        pytest.skip("GNU gettext (xgettext) not on PATH: the catalogue is NOT checked")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "staticfiles")
    for tree in SOURCE_TREES:
        shutil.copytree(ROOT / tree, tmp_path / tree, ignore=skip)
    shutil.copy2(ROOT / "manage.py", tmp_path / "manage.py")
    shutil.copytree(LOCALE, tmp_path / "locale")
    committed = DE_PO.read_bytes()

    # The copy's settings must win over the installed project: LOCALE_PATHS points at the
    # copy's locale/, so makemessages never touches the committed catalogue.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "PYTHONPATH": str(tmp_path),
    }
    command = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "de",
        "--no-obsolete",
        *MAKEMESSAGES_IGNORES,
    ]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert DE_PO.read_bytes() == committed, "makemessages wrote to the real catalogue"
    assert result.returncode == 0, result.stdout + result.stderr

    regenerated = polib.pofile(str(tmp_path / DE_PO.relative_to(ROOT)))
    current = {key(entry) for entry in live_entries(regenerated)}
    committed_ids = {key(entry) for entry in live_entries(de_catalogue)}
    missing = sorted(msgid for _, msgid in current - committed_ids)
    stale = sorted(msgid for _, msgid in committed_ids - current)
    assert not missing and not stale, (
        "the catalogue is out of date; run makemessages and translate.\n"
        f"missing from the catalogue: {missing}\nno longer in the code: {stale}"
    )


@pytest.mark.django_db
def test_pages_speak_german_by_default_and_english_after_switching(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="de"' in page
    assert "Anmelden" in page or "Anmeldung" in page
    assert "Zum Hauptinhalt springen" in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302

    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Sign In" in page
    assert "Skip to main content" in page
    assert "Anmelden" not in page
