"""The weighing table (Abwägungstabelle) of a closed consultation: per section every
consulted organisation's position, comment and proposed wording; the answers split into
points with the administration's response and reasons; the revised draft as the next
version with a diff of the sections; and the result published to the organisations as a
frozen version (`Publication.content`), so that a later change makes a new version and
never alters what was sent."""

import difflib
import json
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import responses
from participation.models import Organisation, OrganisationKind

from .models import (
    Consultation,
    ConsultationSection,
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


PAGE_SIZE = 100  # organisations per page of the weighing table


def consulted(consultation):
    """The consulted organisations in the table's order: by name."""
    return consultation.organisations.order_by("name", "pk")


def page_of(consultation, organisation) -> int:
    """The number of the table's page that shows `organisation`."""
    before = consulted(consultation).filter(
        Q(name__lt=organisation.name) | Q(name=organisation.name, pk__lt=organisation.pk)
    )
    return before.count() // PAGE_SIZE + 1


def table(consultation, *, organisations=None) -> list[SectionRows]:
    """Per section every consulted organisation (or those of `organisations`, a page of
    `consulted`), in name order, with its released answer and its points. Statements not
    released (drafts, "no statement") show no answer. Five queries whatever the number."""
    statements = consultation.statements.select_related("organisation")
    answers = SectionAnswer.objects.filter(
        response__consultation=consultation,
        response__status=Statement.Status.SUBMITTED,
        response__no_statement=False,
    )
    if organisations is None:
        organisations = list(consulted(consultation))
    else:
        ids = [organisation.pk for organisation in organisations]
        statements = statements.filter(organisation__in=ids)
        answers = answers.filter(response__organisation__in=ids)
    statements = {s.organisation_id: s for s in statements}
    by_key = {}
    for answer in answers.select_related("response").prefetch_related("points"):
        by_key[(answer.response.organisation_id, answer.question_id)] = answer
    rows = []
    for section in consultation.sections.all():
        entries = []
        for organisation in organisations:
            statement = statements.get(organisation.pk)
            answer = by_key.get((organisation.pk, section.pk))
            entries.append(
                Entry(organisation, statement, answer, list(answer.points.all()) if answer else [])
            )
        rows.append(SectionRows(section, entries))
    return rows


class PlainPoint(NamedTuple):
    number: int
    text: str
    reply: str
    reasons: str


class PlainEntry(NamedTuple):
    """One organisation's answer on one section as plain values (`Entry` without model
    instances): `value` the answer's stored value, None without a released answer."""

    section_id: int
    section: str  # as str(section): "1. Title"
    section_number: int
    section_title: str
    organisation_id: int
    organisation: str
    kind: str
    declined: bool
    received: bool  # a released answer (of a statement released and not declined)
    value: dict | None
    points: list

    @property
    def position_label(self):
        position = (self.value or {}).get("position", "") if self.received else ""
        return str(Position(position).label) if position else ""


# Every section × consulted organisation with its released answer and the answer's points,
# in the table's order (section, organisation by name, point by number): one query, read
# through a server-side cursor, so the exports stay flat in memory however many there are.
_ENTRIES_SQL = """
SELECT sec.id, sec.number, sec.title, o.id, o.name, o.kind, coalesce(st.no_statement, false),
       a.id, a.value, p.number, p.text, p.reply, p.reasons
FROM {consulted} co
JOIN {organisation} o ON o.id = co.organisation_id
JOIN {section} sec ON sec.consultation_id = co.consultation_id
LEFT JOIN {statement} st ON st.consultation_id = co.consultation_id AND st.organisation_id = o.id
LEFT JOIN {answer} a ON a.response_id = st.id AND a.question_id = sec.id
     AND st.status = %s AND NOT st.no_statement
LEFT JOIN {point} p ON p.answer_id = a.id
WHERE co.consultation_id = %s
ORDER BY sec.number, sec.id, o.name, o.id, p.number, p.id
"""
CHUNK_SIZE = 2000


def _json(value):
    # Django has PostgreSQL hand jsonb over as text (JSONField decodes it).
    return json.loads(value) if isinstance(value, str) else value


def plain_entries(consultation):
    """`table` as `PlainEntry` rows, section by section, streamed: for the files and the
    publication, which read every entry but need no model instances."""
    sql = _ENTRIES_SQL.format(
        consulted=Consultation.organisations.through._meta.db_table,
        organisation=Organisation._meta.db_table,
        section=ConsultationSection._meta.db_table,
        statement=Statement._meta.db_table,
        answer=SectionAnswer._meta.db_table,
        point=WeighingPoint._meta.db_table,
    )
    entry = None
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [Statement.Status.SUBMITTED, consultation.pk])
        while rows := cursor.fetchmany(CHUNK_SIZE):
            for row in rows:
                section_id, number, title, organisation_id = row[:4]
                if entry is None or (section_id, organisation_id) != (
                    entry.section_id,
                    entry.organisation_id,
                ):
                    if entry is not None:
                        yield entry
                    entry = PlainEntry(
                        section_id,
                        f"{number}. {title}",
                        number,
                        title,
                        organisation_id,
                        row[4],
                        row[5],
                        row[6],
                        row[7] is not None,
                        _json(row[8]) if row[7] is not None else None,
                        [],
                    )
                if row[9] is not None:
                    entry.points.append(PlainPoint(*row[9:]))
    if entry is not None:
        yield entry


# A page of the table for the coordinator: the given organisations (a page of `consulted`)
# on every section or one, with what the page shows and the ids its controls need.
_PAGE_SQL = """
SELECT sec.id, o.id, o.name, coalesce(st.no_statement, false), a.id,
       coalesce({position}, ''), coalesce({comment}, ''), coalesce({wording}, ''),
       p.id, p.number, p.text, p.reply, p.reasons, p.revision
FROM {organisation} o
JOIN {section} sec ON sec.consultation_id = %s
LEFT JOIN {statement} st ON st.consultation_id = sec.consultation_id AND st.organisation_id = o.id
LEFT JOIN {answer} a ON a.response_id = st.id AND a.question_id = sec.id
     AND st.status = %s AND NOT st.no_statement
LEFT JOIN {point} p ON p.answer_id = a.id
WHERE o.id IN ({organisation_ids}) AND sec.id IN ({section_ids})
ORDER BY sec.number, sec.id, o.name, o.id, p.number, p.id
"""


def _json_text(column, key) -> str:
    """SQL for the text under `key` of a JSON column, on PostgreSQL and on the embedded
    SQLite (whose `->>` needs 3.38; `json_extract` is as old as its JSON support)."""
    if connection.vendor == "postgresql":
        return f"{column}->>'{key}'"
    return f"json_extract({column}, '$.{key}')"


def table_page(consultation, organisation_ids, sections) -> list[dict]:
    """Per section of `sections` the organisations of `organisation_ids` (in name order)
    with their released answers and points, as plain dicts (a template reads a dict's key
    faster than an object's attribute, and a page holds a thousand rows): per section
    `{"section", "entries"}`, an entry `{"organisation", "answer_id", "declined",
    "position_label", "comment", "wording", "points"}`, a point `{"pk", "number", "text",
    "reply", "reply_label", "reasons", "revision"}`. One query."""
    section_ids = [section.pk for section in sections]
    organisation_ids = list(organisation_ids)
    if not section_ids or not organisation_ids:
        return [{"section": section, "entries": []} for section in sections]
    sql = _PAGE_SQL.format(
        organisation=Organisation._meta.db_table,
        section=ConsultationSection._meta.db_table,
        statement=Statement._meta.db_table,
        answer=SectionAnswer._meta.db_table,
        point=WeighingPoint._meta.db_table,
        organisation_ids=", ".join(["%s"] * len(organisation_ids)),
        section_ids=", ".join(["%s"] * len(section_ids)),
        **{key: _json_text("a.value", key) for key in ("position", "comment", "wording")},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [consultation.pk, Statement.Status.SUBMITTED, *organisation_ids, *section_ids],
        )
        rows = cursor.fetchall()
    positions = {value: str(label) for value, label in Position.choices}
    replies = {value: str(label) for value, label in Reply.choices}
    entries_of = {section_id: [] for section_id in section_ids}
    entry, key = None, None
    for row in rows:
        section_id, organisation_id, name, declined, answer_id, position, comment, wording = row[:8]
        if (section_id, organisation_id) != key:
            key = (section_id, organisation_id)
            entry = {
                "organisation": name,
                "answer_id": answer_id,
                "declined": declined,
                "position_label": positions.get(position, ""),
                "comment": comment,
                "wording": wording,
                "points": [],
            }
            entries_of[section_id].append(entry)
        point_id, number, text, reply, reasons, revision = row[8:]
        if point_id is not None:
            entry["points"].append(
                {
                    "pk": point_id,
                    "number": number,
                    "text": text,
                    "reply": reply,
                    "reply_label": replies.get(reply, ""),
                    "reasons": reasons,
                    "revision": revision,
                }
            )
    return [{"section": section, "entries": entries_of[section.pk]} for section in sections]


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
        _count_change(consultation)
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
        _count_change(consultation)
    return locked


def delete_point(point: WeighingPoint, *, actor):
    consultation = point.answer.response.consultation
    ensure_weighable(consultation)
    with transaction.atomic(), set_actor(actor):
        point.delete()
        _count_change(consultation)


def _count_change(consultation):
    """One more change to the table's points (`Consultation.weighing_changes`)."""
    Consultation.objects.filter(pk=consultation.pk).update(
        weighing_changes=F("weighing_changes") + 1
    )


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
    for _section, entries in groupby(plain_entries(consultation), key=attrgetter("section_id")):
        entries = list(entries)
        sections.append(
            {
                "number": entries[0].section_number,
                "title": entries[0].section_title,
                "entries": [
                    {
                        "organisation_id": entry.organisation_id,
                        "organisation": entry.organisation,
                        "kind": entry.kind,
                        "received": entry.received,
                        "declined": entry.declined,
                        "position": (entry.value or {}).get("position", ""),
                        "comment": (entry.value or {}).get("comment", ""),
                        "wording": (entry.value or {}).get("wording", ""),
                        "points": [point._asdict() for point in entry.points],
                    }
                    for entry in entries
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
            summary=_summary(content, changes=consultation.weighing_changes),
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


def _summary(content: dict, *, changes: int) -> dict:
    """What can still change after the consultation is closed, as `content` holds it, and
    the count of the points' `changes` it holds."""
    return {
        "changes": changes,
        "points": sum(
            len(entry["points"]) for section in content["sections"] for entry in section["entries"]
        ),
        "revised_draft": content["revised_draft"],
    }


def changed_since_publication(consultation) -> bool:
    """Whether the result differs from the last published version. Once the consultation
    is closed (before that nothing is published) its statements stay as they are, so what
    can change is the points and the revised draft: the points' changes are counted
    (`Consultation.weighing_changes`, read here with the publication, fresh) and compared
    with the count published, and the revised draft with the one published
    (`Publication.summary`). So the page neither reads the publication's content, which
    holds every statement, nor counts the points."""
    latest = (
        consultation.publications.order_by("-version")
        # with its consultation's id, which the related manager reads
        .only("pk", "consultation", "version", "summary")
        .annotate(changes_now=F("consultation__weighing_changes"))
        .first()
    )
    if latest is None:
        return False
    if latest.summary is None:  # not summarised (cannot happen after the migration)
        return latest_publication(consultation).content != _frozen(consultation)
    if "changes" in latest.summary:
        if latest.changes_now != latest.summary["changes"]:
            return True
    else:  # published before the changes were counted: count the points
        points = WeighingPoint.objects.filter(
            answer__response__consultation=consultation
        ).aggregate(count=Count("pk"), newer=Count("pk", filter=Q(version__gt=latest.version)))
        if points["newer"] or points["count"] != latest.summary["points"]:
            return True
    revised = [
        {"number": s.number, "title": s.title, "text": s.text}
        for s in consultation.revised_sections.all()
    ]
    return revised != latest.summary["revised_draft"]


def touch(consultation):
    """The moment of the table's last change, for the files' dates."""
    moments = [
        consultation.closed_at,
        WeighingPoint.objects.filter(answer__response__consultation=consultation).aggregate(
            last=Max("updated_at")
        )["last"],
    ]
    return max(m for m in moments if m is not None) if any(moments) else timezone.now()
