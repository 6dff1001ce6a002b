"""Download my data (Art. 15 and 20 GDPR): request, build, hand out, expire.

`request_for_user` and `request_for_invitation` record a request and, after commit, queue the
task `participation.privacy.build_data_export`; `build` gathers every declared kind of
record about the person (`inventory.declarations()`, found by `subjects.records`) into a
plain ZIP: `my-data.json` with everything and one CSV per kind of record. The file is kept on
the row until `expires_at` (the period `data_exports` of `retention.PERIODS`), handed out only
to whoever asked, and removed by `purge_expired`."""

import datetime
import io
import json
import zipfile

from celery import shared_task
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils import timezone

from .. import security_log
from ..models import DataExport
from ..queueing import enqueue_each
from ..retention import PERIODS
from ..spreadsheets import csv_bytes
from . import inventory, subjects

JSON_NAME = "my-data.json"
CSV_FOLDER = "csv"
DEFAULT_DAYS = 7


class Expired(Exception):
    """The download has expired; its file is gone or about to be."""


def _expiry(now):
    days = PERIODS["data_exports"].kept_days or DEFAULT_DAYS
    return now + datetime.timedelta(days=days)


def _request(**owner) -> DataExport:
    """A waiting or running request of the same owner is reused: asking twice builds once.
    Its task is queued again (a build already done or under way ignores it), so a request
    whose task never reached the broker is built when the person asks again."""
    now = timezone.now()
    with transaction.atomic():
        export = DataExport.objects.filter(
            status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING], **owner
        ).first()
        if export is None:
            export = DataExport.objects.create(created_at=now, expires_at=_expiry(now), **owner)
        transaction.on_commit(lambda: enqueue_each(build_data_export, [(export.pk,)]))
    return export


def request_for_user(user) -> DataExport:
    """Ask for the data the platform holds about a signed-in person."""
    return _request(user=user)


def request_for_invitation(invitation) -> DataExport:
    """Ask for the data about the invitee of `invitation`, who opened its personal link."""
    return _request(invitation=invitation)


def subject_of(export) -> subjects.DataSubject:
    if export.user_id is not None:
        return subjects.of_user(export.user)
    return subjects.of_invitation(export.invitation)


def _plain(value):
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, memoryview | bytes):
        return None
    return value


def _value(record, name):
    model_field = record._meta.get_field(name)
    if model_field.is_relation:
        related = getattr(record, name)
        return None if related is None else str(related)
    return _plain(model_field.value_from_object(record))


def _names(declaration):
    # A session's and an API token's key is their primary key: then no id is handed out.
    model = declaration.model_class
    hidden = model._meta.pk.name in declaration.withheld
    return [*([] if hidden else ["id"]), *declaration.fields, *declaration.context]


def rows_of(declaration, subject) -> list[dict]:
    """The declared fields and their context, of every record of `declaration` about
    `subject`; never a withheld field."""
    names = _names(declaration)
    return [
        {name: record.pk if name == "id" else _value(record, name) for name in names}
        for record in subjects.records(declaration, subject)
    ]


def _csv(rows, names):
    def cell(value):
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
        return value

    return csv_bytes([names, *([cell(row[name]) for name in names] for row in rows)])


def archive_bytes(subject, *, created, advance=None) -> bytes:
    """The ZIP for `subject`; `advance(percent)` is told how far it has come."""
    declarations = [d for d in inventory.declarations() if d.findable]
    kinds, files = [], {}
    for index, declaration in enumerate(declarations, start=1):
        rows = rows_of(declaration, subject)
        kinds.append(
            {
                "kind": declaration.key,
                "category": str(declaration.category),
                "model": declaration.model,
                "purpose": str(declaration.purpose),
                "legal_basis": str(declaration.legal_basis),
                "kept": str(declaration.period.label),
                "records": rows,
            }
        )
        if rows:
            files[f"{CSV_FOLDER}/{declaration.key}.csv"] = _csv(rows, _names(declaration))
        if advance is not None and index % 5 == 0:
            advance(5 + 90 * index // len(declarations))
    document = {
        "created": created,
        "person": {
            "account": subject.user.email if subject.user is not None else None,
            "person": str(subject.person) if subject.person is not None else None,
            "emails": sorted(subject.emails),
        },
        "kinds": kinds,
    }
    stamp = timezone.localtime(created).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
        archive.writestr(zipfile.ZipInfo(JSON_NAME, stamp), text.encode())
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, stamp), data)
    return buffer.getvalue()


def _advance(export, **fields):
    DataExport.objects.filter(pk=export.pk).update(**fields)


def build(export_id):
    """Build the ZIP of a request not finished yet; one left "being built" by a lost worker
    is built again when its task comes back."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "invitation__person")
            .filter(
                pk=export_id,
                status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING],
            )
            .first()
        )
        if export is None:
            return
        _advance(export, status=DataExport.Status.RUNNING, progress=5)
    try:
        data = archive_bytes(
            subject_of(export),
            created=export.created_at,
            advance=lambda percent: _advance(export, progress=percent),
        )
    except Exception:
        _advance(export, status=DataExport.Status.FAILED)
        raise
    _advance(
        export,
        status=DataExport.Status.DONE,
        progress=100,
        archive=data,
        finished_at=timezone.now(),
    )


@shared_task(name="participation.privacy.build_data_export", acks_late=True)
def build_data_export(export_id):
    build(export_id)


def archive_for_download(export, *, request, now=None) -> bytes:
    """The finished file, logged as downloaded. Raises Expired after `expires_at` and 404
    while it is not built."""
    now = now or timezone.now()
    if export.is_expired(now):
        raise Expired
    if export.status != DataExport.Status.DONE:
        raise Http404
    data = DataExport.objects.filter(pk=export.pk).values_list("archive", flat=True).get()
    if data is None:
        raise Expired
    DataExport.objects.filter(pk=export.pk).update(downloaded_at=now)
    security_log.record(
        security_log.Kind.DATA_DOWNLOADED,
        request=request,
        user=export.user,
        export=export.pk,
        invitation=export.invitation_id or "",
    )
    return bytes(data)


def filename(export) -> str:
    return f"mitplanen-my-data-{timezone.localtime(export.created_at):%Y-%m-%d}.zip"


def purge_expired(*, now=None) -> int:
    """Remove the downloads whose time is up, file and all; how many."""
    deleted, _ = DataExport.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# A queued build normally starts within seconds; one waiting longer was never handed over.
WAITING_SINCE = datetime.timedelta(minutes=2)


def build_waiting(*, now=None) -> int:
    """Build the requests whose task never reached the broker; how many."""
    since = (now or timezone.now()) - WAITING_SINCE
    waiting = list(
        DataExport.objects.filter(
            status=DataExport.Status.QUEUED, created_at__lt=since
        ).values_list("pk", flat=True)
    )
    for export_id in waiting:
        build(export_id)
    return len(waiting)


@shared_task(name="participation.privacy.tend_data_exports")
def tend_data_exports():
    """Every few minutes (beat): expired downloads removed, lost builds made."""
    purge_expired()
    build_waiting()
