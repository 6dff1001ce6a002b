"""Every way a file comes in (pages and API): its content is checked (a page or a script
dressed as a PDF or CSV is refused, nothing stored), it is stored under a generated name, never
the uploader's, and it goes out as a download a browser does not run.

The cases below are the registry: a URL whose view takes files, a model's FileField, or a
form or serializer with a file field that no case covers fails the walk at the end."""

import dataclasses
import datetime
import importlib
import inspect
from collections.abc import Callable

import pytest
from django import forms
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.parsers import FileUploadParser, MultiPartParser
from rest_framework.settings import api_settings

from consultations.models import Attachment
from meetings import minutes
from meetings.models import AgendaDocument
from monitoring import rounds, spaces
from monitoring.models import Delivery, Indicator, IndicatorSet, Round, Space, Value
from participation.models import Person
from participation.request_limits import takes_uploads
from surveys import services as survey_services
from surveys.models import Answer
from tests.consultations.conftest import build_consultation
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    WorkshopFactory,
)
from tests.meetings.conftest import make_series
from tests.monitoring.conftest import START
from workshops.models import Document

pytestmark = pytest.mark.django_db

OUR_APPS = (
    "participation",
    "surveys",
    "workshops",
    "meetings",
    "consultations",
    "overview",
    "monitoring",
)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = b"Vorname;Nachname;E-Mail;Organisation;Funktion\nAnna;Beispiel;;;\n"
DELIVERY_CSV = "AGS;Raumschlüssel;Indikator;Wert\n05382060;05382060-SR01;EW;1234\n".encode()
# What a browser would run if it rendered the file: refused whatever name it carries.
HOSTILE = {
    "html": b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)'
    b"</script></svg>",
    "xhtml": b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
    b"<script>alert(1)</script></html>",
}
UPLOADED_NAME = "Bericht<script>alert(1)</script>.pdf"
# Content types a browser would render and run.
UNSAFE_TYPES = (
    "text/html",
    "image/svg+xml",
    "application/xhtml+xml",
    "text/xml",
    "text/javascript",
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@dataclasses.dataclass
class UploadPath:
    """One way a file comes in. `prepare(world)` returns the target; `upload(client, target,
    file)` posts it; `stored(target)` gives (storage name, download URL) of what is kept, or
    None; `url_name` is the URL pattern's name, `covers` the FileFields and form or
    serializer classes it exercises."""

    url_name: str
    prepare: Callable
    upload: Callable
    stored: Callable
    covers: tuple = ()
    valid: tuple = ("bericht.pdf", PDF)
    refused_names: tuple = ("bericht.pdf",)
    kept: bool = True  # False: the file is read, never stored
    uploader: str = "coordinator"  # the role in `world` that uploads


def _latest(model, **filters):
    return model.objects.filter(**filters).order_by("-pk").first()


def _workshop(world):
    return WorkshopFactory(title="Fachworkshop Wohnen")


def _agenda_item(world):
    series = make_series(world["body"], actor=world["coordinator"])
    meeting = series.meetings.order_by("start")[0]
    minutes.ensure_agenda(meeting)
    return minutes.agenda(meeting)[0]


def _consultation(world):
    return build_consultation(world["coordinator"], [world["own_org"]], open_it=False)


def _survey_response(world):
    survey = SurveyFactory(
        title="Fachplanungen", actor=world["coordinator"], audience=[world["own_org"]]
    )
    section = SectionFactory(version=survey.draft_version, position=1, title="Unterlagen")
    QuestionFactory(
        section=section,
        position=1,
        key="report",
        kind="file",
        text="Laden Sie die Fachplanung hoch.",
        config={"max_size_mb": 10, "types": ["pdf", "csv"]},
    )
    survey_services.publish(survey, actor=world["coordinator"])
    return survey_services.response_for(survey, world["own_org"])


def _document_stored(model, url):
    def stored(target):
        found = _latest(model)
        return (found.file.name, url(target, found)) if found else None

    return stored


def _delivery(world):
    today = timezone.localdate()
    spaces.confirm_space(
        spaces.save_space(
            Space(
                municipality=world["own_org"],
                level="social_space",
                key="05382060-SR01",
                name="Innenstadt",
                valid_from=START,
            ),
            actor=world["coordinator"],
        ),
        actor=world["coordinator"],
    )
    indicator = Indicator.objects.create(
        code="EW",
        name="Einwohner",
        definition="Hauptwohnsitz",
        unit="Personen",
        source="Melderegister",
        spatial_level="social_space",
        supplier_kind="municipality",
    )
    indicator_set = IndicatorSet.objects.create(name="Profil")
    indicator_set.indicators.set([indicator])
    delivery_round = rounds.save_round(
        Round(
            name="Stichtag",
            indicator_set=indicator_set,
            reference_date=today,
            opens_on=today - datetime.timedelta(days=7),
            closes_on=today + datetime.timedelta(days=14),
        ),
        actor=world["coordinator"],
        suppliers=[world["own_org"]],
    )
    return Delivery.objects.get(round=delivery_round)


def _answer_stored(response):
    answer = Answer.objects.filter(response=response, question__key="report").first()
    if answer is None:
        return None
    url = reverse("surveys:answer_file", args=[response.pk, "report"])
    return answer.value["storage_key"], url


UPLOAD_PATHS = [
    UploadPath(
        url_name="workshops:documents",
        prepare=_workshop,
        upload=lambda client, workshop, file: client.post(
            reverse("workshops:documents", args=[workshop.pk]), {"title": "", "file": file}
        ),
        stored=_document_stored(
            Document,
            lambda workshop, doc: reverse(
                "workshops:document_download", args=[workshop.pk, doc.pk]
            ),
        ),
        covers=("workshops.Document.file", "workshops.forms.DocumentForm"),
    ),
    UploadPath(
        url_name="meetings:agenda_document",
        prepare=_agenda_item,
        upload=lambda client, item, file: client.post(
            reverse("meetings:agenda_document", args=[item.pk]), {"title": "", "file": file}
        ),
        stored=_document_stored(
            AgendaDocument,
            lambda item, doc: reverse("meetings:agenda_document_get", args=[doc.pk]),
        ),
        covers=("meetings.AgendaDocument.file", "meetings.minutes_forms.DocumentForm"),
    ),
    UploadPath(
        url_name="meetings_api:agenda-item-documents",
        prepare=_agenda_item,
        upload=lambda client, item, file: client.post(
            f"/api/v1/agenda-items/{item.pk}/documents/", {"file": file}
        ),
        stored=_document_stored(
            AgendaDocument, lambda item, doc: f"/api/v1/agenda-documents/{doc.pk}/"
        ),
        covers=("meetings.api.minutes.AgendaDocumentUploadSerializer",),
    ),
    UploadPath(
        url_name="consultations:attachment_add",
        prepare=_consultation,
        upload=lambda client, consultation, file: client.post(
            reverse("consultations:attachment_add", args=[consultation.pk]),
            {"title": "", "file": file},
        ),
        stored=_document_stored(
            Attachment,
            lambda c, a: reverse("consultations:attachment", args=[c.pk, a.pk]),
        ),
        covers=("consultations.Attachment.file", "consultations.forms.AttachmentForm"),
    ),
    UploadPath(
        url_name="consultation-files",
        prepare=_consultation,
        upload=lambda client, consultation, file: client.post(
            f"/api/v1/consultations/{consultation.pk}/files/", {"file": file}
        ),
        stored=_document_stored(
            Attachment, lambda c, a: f"/api/v1/consultations/{c.pk}/files/{a.pk}/"
        ),
        covers=("consultations.api.files.AttachmentUploadSerializer",),
    ),
    UploadPath(
        url_name="surveys:answer_file",
        prepare=_survey_response,
        upload=lambda client, response, file: client.post(
            reverse("surveys:answer_file", args=[response.pk, "report"]),
            {"q-report": file, "q-report-revision": 0, "upload": "report"},
        ),
        stored=_answer_stored,
        refused_names=("bericht.pdf", "bericht.csv"),
        uploader="member",
    ),
    UploadPath(
        url_name="participation:person_import",
        prepare=lambda world: None,
        upload=lambda client, _target, file: client.post(
            reverse("participation:person_import"), {"file": file, "check_only": "1"}
        ),
        # Read, never stored.
        stored=lambda _target: None,
        covers=("participation.forms.PeopleImportForm",),
        valid=("personen.csv", CSV),
        refused_names=("personen.csv",),
        kept=False,
    ),
    UploadPath(
        url_name="monitoring:delivery_upload",
        prepare=_delivery,
        upload=lambda client, delivery, file: client.post(
            reverse("monitoring:delivery_upload", args=[delivery.pk]), {"file": file}
        ),
        # Read into the delivery's figures, never stored as a file.
        stored=lambda _target: None,
        covers=("monitoring.forms.DeliveryFileForm",),
        valid=("lieferung.csv", DELIVERY_CSV),
        refused_names=("lieferung.csv", "lieferung.xlsx"),
        kept=False,
        uploader="member",
    ),
    UploadPath(
        url_name="delivery-upload",
        prepare=_delivery,
        upload=lambda client, delivery, file: client.post(
            f"/api/v1/deliveries/{delivery.pk}/upload/", {"file": file}
        ),
        stored=lambda _target: None,
        covers=("monitoring.api.delivery_files.UploadSerializer",),
        valid=("lieferung.csv", DELIVERY_CSV),
        refused_names=("lieferung.csv", "lieferung.xlsx"),
        kept=False,
        uploader="member",
    ),
]


@pytest.fixture
def world(coordinator, member, own_org):
    body = BodyFactory(name="Lenkungsgruppe Sozialplanung", short_name="LG")
    BodyMembershipFactory(body=body, person=member.person, represents=own_org)
    return {"coordinator": coordinator, "member": member, "own_org": own_org, "body": body}


def uploader(world, path):
    return world[path.uploader]


def _stored_count():
    return (
        Document.objects.count()
        + AgendaDocument.objects.count()
        + Attachment.objects.count()
        + Answer.objects.count()
        + Person.objects.count()
        + Value.objects.count()
    )


@pytest.mark.parametrize("path", UPLOAD_PATHS, ids=lambda path: path.url_name)
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_page_or_script_dressed_as_a_document_is_refused(client, world, path, kind):
    target = path.prepare(world)
    client.force_login(uploader(world, path))
    before = _stored_count()

    for name in path.refused_names:
        response = path.upload(
            client, target, SimpleUploadedFile(name, HOSTILE[kind], content_type="application/pdf")
        )
        assert response.status_code in (200, 400), response.status_code
        text = response.content.decode()
        assert "does not match its type" in text or "passt nicht zu ihrem Typ" in text, text[:500]

    assert _stored_count() == before
    assert path.stored(target) is None


@pytest.mark.parametrize("path", UPLOAD_PATHS, ids=lambda path: path.url_name)
def test_a_file_is_stored_under_a_generated_name_and_served_as_a_download(client, world, path):
    target = path.prepare(world)
    client.force_login(uploader(world, path))
    name, content = path.valid
    if path.kept:
        name = UPLOADED_NAME
    response = path.upload(client, target, SimpleUploadedFile(name, content, "text/html"))
    assert response.status_code in (200, 201, 302), response.content.decode()[:500]

    stored = path.stored(target)
    if stored is None:
        assert not path.kept
        assert "does not match its type" not in response.content.decode()
        return
    storage_name, download_url = stored
    assert "Bericht" not in storage_name and "script" not in storage_name
    assert default_storage.exists(storage_name)

    download = client.get(download_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert not download["Content-Type"].startswith(UNSAFE_TYPES)
    assert "no-store" in download["Cache-Control"]


def test_a_file_as_large_as_allowed_passes_every_upload_path(client, world):
    """Each upload view is marked as taking files, so its request may carry more than a
    form (the body limit), and a PDF of several megabytes comes through."""
    large = PDF + b"%" + b"x" * (4 * 1024 * 1024)
    for path in UPLOAD_PATHS:
        if not path.kept:
            continue
        target = path.prepare(world)
        client.force_login(uploader(world, path))
        response = path.upload(client, target, SimpleUploadedFile("gross.pdf", large))
        assert response.status_code in (201, 302), (path.url_name, response.status_code)


# --- the registry is complete -----------------------------------------------------------------


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{prefix}{entry.name}" if entry.name else str(entry.pattern)), entry.callback


def _takes_files(view):
    # An API view that takes files names its parsers (DRF's default list takes multipart
    # too, but only a view that reads a file field keeps one).
    parsers = vars(getattr(view, "view_class", object)).get("parser_classes", ())
    if list(parsers) == list(api_settings.DEFAULT_PARSER_CLASSES):
        parsers = ()  # what @api_view copies onto every function view
    return takes_uploads(view) or any(
        issubclass(parser, (MultiPartParser, FileUploadParser)) for parser in parsers
    )


def test_every_url_that_takes_files_is_a_case_and_marked():
    upload_views = {name: view for name, view in _patterns() if _takes_files(view)}
    assert set(upload_views) == {path.url_name for path in UPLOAD_PATHS}
    # Marked, so the body limit lets an upload through (participation/request_limits.py).
    assert all(takes_uploads(view) for view in upload_views.values())


def _our_modules():
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module_name in (
            "forms",
            "minutes_forms",
            "api.minutes",
            "api.files",
            "api.views",
            "api.delivery_files",
        ):
            try:
                yield importlib.import_module(f"{package.__name__}.{module_name}")
            except ModuleNotFoundError:
                continue


def test_every_file_field_is_covered_by_a_case():
    covered = {name for path in UPLOAD_PATHS for name in path.covers}
    fields = {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    classes = set()
    for module in _our_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            if issubclass(cls, forms.BaseForm):
                declared = cls.base_fields.values()
                kind = forms.FileField
            elif issubclass(cls, serializers.Serializer):
                declared = cls().fields.values()
                kind = serializers.FileField
            else:
                continue
            if any(isinstance(field, kind) for field in declared):
                classes.add(f"{module.__name__}.{name}")
    assert fields | classes <= covered, (fields | classes) - covered
    for model_field in fields:
        app_label, model_name, field_name = model_field.split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert callable(field.upload_to), f"{model_field} keeps the uploader's file name"
