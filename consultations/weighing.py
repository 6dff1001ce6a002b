"""The weighing table (Abwägungstabelle) of a closed consultation: per section every
consulted organisation's position, comment and proposed wording; the answers split into
points with the administration's response and reasons; the revised draft as the next
version with a diff of the sections; and the result published to the organisations as a
frozen version (`Publication.content`), so that a later change makes a new version and
never alters what was sent."""

import difflib
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import responses
from participation.models import OrganisationKind

from .models import (
    Consultation,
    Position,
    Publication,
    Reply,
    ResultNotice,
    RevisedSection,
    SectionAnswer,
    Statement,
    WeighingPoint,
)

TEXT_MAX_LENGTH = 10_000


class PointConflict(Exception):
    """Someone else saved the point since the editor loaded it; carries the point as it is."""

    def __init__(self, point):
        super().__init__(f"point {point.pk} is at revision {point.revision}")
        self.point = point


# --- reading the table -------------------------------------------------------------------------


@dataclass
class Entry:
    """One organisation's answer on one section (answer None: no statement received)."""

    organisation: object
    statement: object
    answer: object
    points: list = field(default_factory=list)

    @property
    def received(self):
        return self.statement is not None and self.statement.is_released

    @property
    def declined(self):
        return self.statement is not None and self.statement.no_statement

    @property
    def position(self):
        return (self.answer.value or {}).get("position", "") if self.answer else ""

    @property
    def position_label(self):
        return str(Position(self.position).label) if self.position else ""

    @property
    def comment(self):
        return (self.answer.value or {}).get("comment", "") if self.answer else ""

    @property
    def wording(self):
        return (self.answer.value or {}).get("wording", "") if self.answer else ""


@dataclass
class SectionRows:
    section: object
    entries: list


def current_version(consultation) -> int:
    """The version the weighing table is at: one after the last published."""
    last = consultation.publications.aggregate(last=Max("version"))["last"]
    return (last or 0) + 1


def table(consultation) -> list[SectionRows]:
    """Per section every consulted organisation, in name order, with its released answer
    and its points. Statements not released (drafts, "no statement") show no answer."""
    statements = {
        s.organisation_id: s for s in consultation.statements.select_related("organisation")
    }
    answers = {}
    for answer in (
        SectionAnswer.objects.filter(
            response__consultation=consultation,
            response__status=Statement.Status.SUBMITTED,
            response__no_statement=False,
        )
        .select_related("response")
        .prefetch_related("points")
    ):
        answers[(answer.response.organisation_id, answer.question_id)] = answer
    organisations = list(consultation.organisations.order_by("name"))
    rows = []
    for section in consultation.sections.all():
        entries = []
        for organisation in organisations:
            statement = statements.get(organisation.pk)
            answer = answers.get((organisation.pk, section.pk))
            entries.append(
                Entry(organisation, statement, answer, list(answer.points.all()) if answer else [])
            )
        rows.append(SectionRows(section, entries))
    return rows


def no_statement_text(entry) -> str:
    if entry.declined:
        return _("no statement (declared)")
    return _("no statement received")


# --- writing -----------------------------------------------------------------------------------


def ensure_weighable(consultation):
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(_("The weighing table is made once the consultation is closed."))


def _clean_text(text, *, required):
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({"text": _("Quote or paraphrase the point.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("A text may have at most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}
        )
    return text


def add_point(answer: SectionAnswer, *, actor, text) -> WeighingPoint:
    """Split a released answer into one more point (numbered after the last)."""
    consultation = answer.response.consultation
    ensure_weighable(consultation)
    if not answer.response.is_released or answer.response.no_statement:
        raise ValidationError(_("Only a released statement can be split into points."))
    text = _clean_text(text, required=True)
    with transaction.atomic(), set_actor(actor):
        SectionAnswer.objects.select_for_update().get(pk=answer.pk)
        last = answer.points.aggregate(last=Max("number"))["last"]
        return WeighingPoint.objects.create(
            answer=answer,
            number=(last or 0) + 1,
            text=text,
            version=current_version(consultation),
            updated_by=actor,
        )


def save_point(point: WeighingPoint, *, actor, base_revision: int, text, reply, reasons):
    """Change a point's text and the administration's response under the conflict rule:
    PointConflict if someone saved it since `base_revision` (nothing changes). A change
    after a publication belongs to the next version of the table."""
    consultation = point.answer.response.consultation
    ensure_weighable(consultation)
    text = _clean_text(text, required=True)
    reasons = _clean_text(reasons, required=False)
    if reply and reply not in Reply.values:
        raise ValidationError({"reply": _("Choose a response from the list.")})
    with transaction.atomic(), set_actor(actor):
        locked = WeighingPoint.objects.select_for_update().get(pk=point.pk)
        if (locked.text, locked.reply, locked.reasons) == (text, reply, reasons):
            return locked
        if locked.revision != base_revision:
            raise PointConflict(locked)
        locked.text, locked.reply, locked.reasons = text, reply, reasons
        locked.revision += 1
        locked.version = current_version(consultation)
        locked.updated_by = actor
        locked.save()
    return locked


def delete_point(point: WeighingPoint, *, actor):
    ensure_weighable(point.answer.response.consultation)
    with transaction.atomic(), set_actor(actor):
        point.delete()


# --- the revised draft -------------------------------------------------------------------------


def start_revised_draft(consultation, *, actor) -> list[RevisedSection]:
    """Begin the next version of the draft as a copy of its sections (once)."""
    ensure_weighable(consultation)
    with transaction.atomic(), set_actor(actor):
        Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.revised_sections.exists():
            for section in consultation.sections.all():
                RevisedSection.objects.create(
                    consultation=consultation,
                    original=section,
                    number=section.number,
                    title=section.title,
                    text=section.text,
                )
    return list(consultation.revised_sections.all())


def save_revised_section(section: RevisedSection, *, actor) -> RevisedSection:
    ensure_weighable(section.consultation)
    with transaction.atomic(), set_actor(actor):
        section.full_clean()
        section.save()
    return section


@dataclass
class DiffPart:
    kind: str  # "same", "inserted", "deleted"
    text: str


@dataclass
class SectionDiff:
    number: int
    title: str
    old_title: str
    parts: list
    changed: bool


def _words(text):
    return (text or "").replace("\r\n", "\n").split(" ")


def diff_parts(old: str, new: str) -> list[DiffPart]:
    """The words of `new` against `old`: runs kept, deleted and inserted."""
    old_words, new_words = _words(old), _words(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("same", " ".join(old_words[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(DiffPart("deleted", " ".join(old_words[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(DiffPart("inserted", " ".join(new_words[j1:j2])))
    return parts


def revised_diff(consultation) -> list[SectionDiff]:
    """Each section of the revised draft against the one it was copied from; sections of
    the draft left out appear as deleted."""
    diffs = []
    revised = list(consultation.revised_sections.select_related("original"))
    kept = {r.original_id for r in revised}
    for section in revised:
        old_text = section.original.text if section.original else ""
        old_title = section.original.title if section.original else ""
        diffs.append(
            SectionDiff(
                section.number,
                section.title,
                old_title,
                diff_parts(old_text, section.text),
                old_text != section.text or old_title != section.title,
            )
        )
    if revised:
        for section in consultation.sections.exclude(pk__in=kept):
            diffs.append(
                SectionDiff(
                    section.number, "", section.title, [DiffPart("deleted", section.text)], True
                )
            )
    return diffs


# --- publishing --------------------------------------------------------------------------------


def _frozen(consultation) -> dict:
    """The result as it is now, as plain data: what a publication keeps."""
    sections = []
    for rows in table(consultation):
        sections.append(
            {
                "number": rows.section.number,
                "title": rows.section.title,
                "entries": [
                    {
                        "organisation_id": entry.organisation.pk,
                        "organisation": entry.organisation.name,
                        "kind": entry.organisation.kind,
                        "received": bool(entry.answer),
                        "declined": entry.declined,
                        "position": entry.position,
                        "comment": entry.comment,
                        "wording": entry.wording,
                        "points": [
                            {
                                "number": point.number,
                                "text": point.text,
                                "reply": point.reply,
                                "reasons": point.reasons,
                            }
                            for point in entry.points
                        ],
                    }
                    for entry in rows.entries
                ],
            }
        )
    revised = [
        {"number": s.number, "title": s.title, "text": s.text}
        for s in consultation.revised_sections.all()
    ]
    return {"sections": sections, "revised_draft": revised}


def _shown(entry: dict, name: str) -> dict:
    """A frozen entry as a page shows it, in the reader's language."""
    missing = ""
    if not entry["received"]:
        missing = _("no statement (declared)") if entry["declined"] else _("no statement received")
    return {
        **{k: v for k, v in entry.items() if k not in ("organisation_id", "kind")},
        "organisation": name,
        "missing": missing,
        "position": Position(entry["position"]).label if entry["position"] else "",
        "points": [
            {**point, "reply": Reply(point["reply"]).label if point["reply"] else ""}
            for point in entry["points"]
        ],
    }


def anonymised(content: dict, mode: str) -> list[dict]:
    """The weighing table without names: "Statement 1, 2, …" by the organisations' order,
    or their kind."""
    numbers = {}
    sections = []
    for section in content["sections"]:
        entries = []
        for entry in section["entries"]:
            number = numbers.setdefault(entry["organisation_id"], len(numbers) + 1)
            label = (
                OrganisationKind(entry["kind"]).label
                if mode == Publication.PublicTable.BY_KIND
                else _("Statement %(number)s") % {"number": number}
            )
            entries.append(_shown(entry, str(label)))
        sections.append({**section, "entries": entries})
    return sections


def own_part(content: dict, organisation_ids) -> list[dict]:
    """Of a published result, only the given organisations' answers and responses."""
    ids = set(organisation_ids)
    return [
        {
            **section,
            "entries": [
                _shown(e, e["organisation"])
                for e in section["entries"]
                if e["organisation_id"] in ids
            ],
        }
        for section in content["sections"]
    ]


def publish(consultation, *, actor, public_table="", notify=True) -> Publication:
    """Publish the result as the table's current version and tell every consulted
    organisation's contact people (each once per version, after commit). `notify=False`
    for the demo, which mails nobody."""
    ensure_weighable(consultation)
    if public_table not in Publication.PublicTable.values:
        raise ValidationError({"public_table": _("Choose how the public table is shown.")})
    with transaction.atomic(), set_actor(actor):
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        content = _frozen(consultation)
        latest = latest_publication(consultation)
        if latest is not None and latest.content == content:
            raise ValidationError(
                _("Nothing has changed since version %(version)s was published.")
                % {"version": latest.version}
            )
        publication = Publication.objects.create(
            consultation=consultation,
            version=current_version(consultation),
            public_table=public_table,
            content=content,
            published_by=actor,
        )
        if notify:
            send_notices(publication)
    return publication


def send_notices(publication) -> int:
    """Tell every consulted organisation's contact people that the result is out, each
    once per version (held by the `ResultNotice` row). Returns how many were sent now."""
    consultation = publication.consultation
    return responses.mail_contacts_once(
        consultation.organisations.all(),
        claim=lambda membership: ResultNotice.objects.get_or_create(
            publication=publication,
            organisation=membership.organisation,
            person=membership.person,
        ),
        template="consultations/mail/result",
        context={
            "consultation": consultation,
            "version": publication.version,
            "result_url": f"{settings.SITE_URL}"
            f"{reverse('consultations:result', args=[consultation.pk])}",
        },
    )


def latest_publication(consultation):
    return consultation.publications.order_by("-version").first()


def changed_since_publication(consultation) -> bool:
    latest = latest_publication(consultation)
    return latest is not None and latest.content != _frozen(consultation)


def touch(consultation):
    """The moment of the table's last change, for the files' dates."""
    moments = [
        consultation.closed_at,
        WeighingPoint.objects.filter(answer__response__consultation=consultation).aggregate(
            last=Max("updated_at")
        )["last"],
    ]
    return max(m for m in moments if m is not None) if any(moments) else timezone.now()
