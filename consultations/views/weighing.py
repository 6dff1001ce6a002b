"""The coordination's pages after the deadline: the weighing table with its points and
responses, the revised draft with its diff, publishing the result, the participation record
and the files; and the published result as the organisations (and, if chosen, the public)
read it."""

import html
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participation.documents.pdf import PdfUnavailable
from participation.markdown import render_markdown
from participation.views.common import add_error_message, form_page

from .. import exports, record, selectors, weighing
from ..forms import PublishForm, RevisedSectionForm
from ..models import Position, Reply


def _version(request):
    version = request.GET.get("version", "")
    if not version:
        return None
    if not version.isdigit():
        raise Http404
    return int(version)


def _number(text):
    """A whole number from a query parameter, or None."""
    return int(text) if text and text.isdigit() else None


def _chosen_section(request, sections):
    """The section of `section` (its number, in the query or a form) the coordinator
    chose, from `sections`, or None for all; 404 for a section not there."""
    wanted = request.GET.get("section") or request.POST.get("section")
    if not wanted:
        return None
    for section in sections:
        if str(section.number) == wanted:
            return section
    raise Http404


def _html(text) -> SafeString:
    """`text` escaped for HTML, as Django's `escape` does it, without its check for lazy
    text (as dear as the escaping itself, on thousands of strings a page)."""
    return SafeString(html.escape(text))


def _built(text) -> SafeString:
    """`text` made only of `_html` strings, numbers and fixed text without any of
    `&<>"'`: escaped as a whole, since escaping works character by character. Marked safe
    as `mark_safe` would, without its check for lazy text."""
    return SafeString(text)


def _table_query(page, section, **more):
    """The table page's query: its page of organisations, its section, and `more`."""
    query = {"page": page}
    if section is not None:
        query["section"] = section.number
    return "?" + urlencode({**query, **more})


def _table_url(consultation, organisation, anchor, *, section=None, **more):
    """The table's page that shows `organisation`, at `anchor`."""
    page = weighing.page_of(consultation, organisation)
    query = _table_query(page, section, **more)
    if query == "?page=1":
        query = ""
    return f"{reverse('consultations:weighing', args=[consultation.pk])}{query}#{anchor}"


# A point as the table reads it (its form is consultations/_point_form.html), made here and
# not in the template: a page shows some 1,700 points, and the template's eight variables
# and three tags for one took six times as long as this format. Every value goes in
# escaped (`_html`, `_built`).
_POINT = """
    <div class="weighing-point" id="point-{pk}">
      {note}<p class="kern-body weighing-text">{number}. {text}</p>
      <p class="kern-body weighing-text">{response}{reasons}</p>
      <a class="kern-link" href="{edit_href}" hx-get="{edit_get}" hx-target="closest tr" \
hx-swap="outerHTML">{edit}<span class="visually-hidden"> – {name}</span></a>
    </div>"""
# What was just done, on a point or a row, as a status note that takes the focus.
_STATUS_NOTE = '<p class="kern-body weighing-note" role="status" tabindex="-1" autofocus>{}</p>'
_NOTE = _STATUS_NOTE + "\n      "
# An answer's row with none of its forms open, made here for the same reason, as the
# template (consultations/_weighing_rows.html) would print it: that prints the rows with a
# form open and must stay the same as this.
_ROW = (
    '\n<tr class="kern-table__row" id="answer-{answer}">'
    '\n  <th scope="row" class="kern-table__cell">{organisation}</th>'
    '\n  <td class="kern-table__cell">{position}</td>'
    '\n  <td class="kern-table__cell weighing-text">{comment}</td>'
    '\n  <td class="kern-table__cell weighing-text">{wording}</td>'
    '\n  <td class="kern-table__cell">'
    "\n    {note}"
    "\n    "
    "\n    {points}"
    "\n    "
    '\n    <a class="kern-link" href="{add_href}" hx-get="{add_get}" hx-target="closest tr"'
    ' hx-swap="outerHTML">{new_point}</a>'
    "\n  </td>"
    "\n</tr>"
)
_MISSING_ROW = (
    '\n<tr class="kern-table__row">'
    '\n  <th scope="row" class="kern-table__cell">{organisation}</th>'
    '\n  <td class="kern-table__cell" colspan="4">{missing}</td>'
    "\n</tr>"
)


def _rows(
    consultation,
    organisation_ids,
    sections,
    *,
    page,
    section,
    open_point=None,
    open_answer=None,
    notes=None,
    row_note="",
):
    """The table's rows (`weighing.table_page`) as the template prints them, escaped for
    HTML here (`_html`, `_built`), with what the page's controls need: their names
    ("Point 1 of …", "New point of …"), the links that open a point's form or the form for
    a new point, on the page here (`page`, `section`) and as the answer's row for htmx;
    every point as its HTML (`_POINT`), with its `note` from `notes` (by point), and every
    row without an open form as its HTML (`_ROW`, `_MISSING_ROW`: `html`), with `row_note`
    on it. Every entry with each key the template asks (a missing key costs it more than
    the key). `open_point`: the point whose form is open; `open_answer`: the answer whose
    form for a new point is.

    A page holds a thousand rows and some 1,700 points, so the template gets each string
    ready to print: it would escape every plain string again, and each variable and tag
    costs it more than a line here. So the texts come escaped (those of the page once per
    page), the default "–" put in, the ids as text."""
    notes = notes or {}
    here = _html(_table_query(page, section))
    also = f"&amp;section={section.number}" if section else ""
    # One answer's row URL made with `reverse`, the others from it: `reverse` for each of
    # a page's 850 answers took 13 ms, a sixth of the page's time.
    before, after = map(
        _html, reverse("consultations:answer_row", args=[consultation.pk, 0]).split("/0/")
    )
    point_of, new_point_of = (
        _html(_("Point %(number)s of %(organisation)s")),
        _html(_("New point of %(organisation)s")),
    )
    labels = _labels()
    missing = {True: labels["declined"], False: labels["not_received"]}
    none = _html("–")
    positions = {str(label): _html(label) for _value, label in Position.choices}
    responses = {value: f"<strong>{_html(label)}</strong>" for value, label in Reply.choices}
    not_weighed = f"<em>{labels['not_weighed']}</em>"
    names = {}
    rows = weighing.table_page(consultation, organisation_ids, sections)
    for section_rows in rows:
        for entry in section_rows["entries"]:
            answer, organisation = entry["answer_id"], entry["organisation"]
            if organisation not in names:
                names[organisation] = _html(organisation)
            entry["organisation"] = organisation = names[organisation]
            entry["note"] = row_note
            if answer is None:
                entry["missing"] = missing[entry["declined"]]
                entry["html"] = _built(
                    _MISSING_ROW.format(organisation=organisation, missing=entry["missing"])
                )
                continue
            entry["html_id"] = _built(f"answer-{answer}")
            entry["position_label"] = positions.get(entry["position_label"], none)
            entry["comment"] = _html(entry["comment"]) or none
            entry["wording"] = _html(entry["wording"]) or none
            entry["adding"] = answer == open_answer
            entry["new_point"] = _built(new_point_of % {"organisation": organisation})
            url = f"{before}/{answer}/{after}"
            entry["editing"] = open_point is not None and any(
                point["pk"] == open_point for point in entry["points"]
            )
            if entry["adding"] or entry["editing"]:  # the open form's way back
                entry["cancel_href"] = _built(f"{here}#answer-{answer}")
                entry["cancel_get"] = _built(f"{url}?{also[5:]}" if also else url)
            entry["add_href"] = _built(f"{here}&amp;add={answer}#answer-{answer}")
            entry["add_get"] = _built(f"{url}?add{also}")
            for point in entry["points"]:
                pk, number = point["pk"], point["number"]
                point["editing"] = pk == open_point
                point["name"] = name = _built(
                    point_of % {"number": number, "organisation": organisation}
                )
                if point["editing"]:
                    continue
                note, reasons = notes.get(pk), point["reasons"]
                point["html"] = _built(
                    _POINT.format(
                        pk=pk,
                        note=_NOTE.format(_html(note)) if note else "",
                        number=number,
                        text=html.escape(point["text"]),
                        response=responses.get(point["reply"], not_weighed),
                        reasons=f": {html.escape(reasons)}" if reasons else "",
                        edit_href=f"{here}&amp;edit={pk}#point-{pk}",
                        edit_get=f"{url}?edit={pk}{also}",
                        edit=labels["edit"],
                        name=name,
                    )
                )
            if not entry["editing"]:  # the points as one string, not a loop in the template
                entry["points_html"] = _built("".join(point["html"] for point in entry["points"]))
            if entry["editing"] or entry["adding"]:  # the template prints the row
                continue
            entry["html"] = _built(
                _ROW.format(
                    answer=answer,
                    organisation=organisation,
                    position=entry["position_label"],
                    comment=entry["comment"],
                    wording=entry["wording"],
                    note=_STATUS_NOTE.format(_html(row_note)) if row_note else "",
                    points=entry["points_html"],
                    add_href=entry["add_href"],
                    add_get=entry["add_get"],
                    new_point=entry["new_point"],
                )
            )
    return rows


def _only_entry(rows):
    return rows[0]["entries"][0]


def _labels():
    # Translated and escaped once per page, not once per row.
    return {
        key: _html(label)
        for key, label in (
            ("edit", _("Edit")),
            ("not_weighed", _("not weighed yet")),
            ("declined", _("no statement (declared)")),
            ("not_received", _("no statement received")),
        )
    }


def _render_table(
    request,
    consultation,
    *,
    page,
    section,
    sections=None,
    open_point=None,
    open_answer=None,
    kept=None,
    status=200,
):
    """The table's page `page` on every section (`sections`, read if not given) or on
    `section`, with the forms `_rows` opens and what `_keep` keeps."""
    if sections is None:
        sections = list(consultation.sections.all())
    consulted = weighing.consulted(consultation).values_list("pk", flat=True)
    shown = Paginator(consulted, weighing.PAGE_SIZE).get_page(page)
    rows = _rows(
        consultation,
        list(shown),
        [section] if section else sections,
        page=shown.number,
        section=section,
        open_point=open_point,
        open_answer=open_answer,
    )
    if kept:
        _keep(rows, kept)
    context = {
        "consultation": consultation,
        "rows": rows,
        "page": shown,
        "sections": sections,
        "shown_section": section,
        "replies": Reply.choices,
        "closed": consultation.status == "closed",
        "version": weighing.current_version(consultation),
        # The list of versions needs neither their content nor its summary.
        "publications": consultation.publications.defer("content", "summary"),
        "changed": weighing.changed_since_publication(consultation),
        "publish_form": PublishForm(),
        "formats": exports.FORMATS,
    }
    return render(request, "consultations/weighing.html", context, status=status)


def _keep(rows, kept):
    """Put what the coordinator typed back into the form that refused it, with the error."""
    for section_rows in rows:
        for entry in section_rows["entries"]:
            if entry["answer_id"] is not None and kept.get("answer") == entry["answer_id"]:
                entry["kept_text"], entry["error"] = kept["text"], kept["error"]
            for point in entry["points"]:
                if point["pk"] == kept.get("point"):
                    point.update(kept["form"])


@login_required
def weighing_table(request, pk):
    """The table, a page of organisations at a time (`?page=<n>`, by name) with every
    section or one (`?section=<number>`). The points read as text; `?edit=<point>` opens
    one point's form, `?add=<answer>` the form for a new point of one answer (without
    JavaScript; with it, the row comes from `answer_row`)."""
    consultation = selectors.get_weighing_consultation(request.user, pk)
    sections = list(consultation.sections.all())
    return _render_table(
        request,
        consultation,
        page=request.GET.get("page", 1),
        section=_chosen_section(request, sections),
        sections=sections,
        open_point=_number(request.GET.get("edit")),
        open_answer=_number(request.GET.get("add")),
    )


def _render_row(
    request,
    consultation,
    answer,
    *,
    section,
    status=200,
    open_point=None,
    open_answer=None,
    kept=None,
    note="",
    noted_point=None,
):
    """One answer's row of the table, for htmx: with the forms `_rows` opens, what
    `_keep` keeps, and a `note` (what was done) on the row or on `noted_point`'s pk."""
    rows = _rows(
        consultation,
        [answer.response.organisation_id],
        [answer.question],
        page=weighing.page_of(consultation, answer.response.organisation),
        section=section,
        open_point=open_point,
        open_answer=open_answer,
        notes={} if noted_point is None else {noted_point: note},
        row_note=note if noted_point is None else "",
    )
    if kept:
        _keep(rows, kept)
    entry = _only_entry(rows)
    context = {
        "consultation": consultation,
        "entries": [entry],
        "shown_section": section,
        "replies": Reply.choices,
    }
    return render(request, "consultations/_weighing_rows.html", context, status=status)


def _partial(request):
    return request.htmx and not request.htmx.boosted


@login_required
@require_GET
def answer_row(request, pk, answer_pk):
    """One answer's row for htmx: its points as text, or with one point's form open
    (`?edit=<point>`), or with the form for a new point (`?add`). Without htmx: the
    table's page that shows the answer, with that form open."""
    consultation = selectors.get_weighing_consultation(request.user, pk)
    answer = selectors.get_weighing_answer(consultation, answer_pk)
    section = _chosen_section(request, consultation.sections.all())
    editing = _number(request.GET.get("edit"))
    if "edit" in request.GET and not answer.points.filter(pk=editing or 0).exists():
        raise Http404
    adding = "add" in request.GET
    if not _partial(request):
        if editing:
            anchor, more = f"point-{editing}", {"edit": editing}
        else:
            anchor, more = f"answer-{answer.pk}", {"add": answer.pk} if adding else {}
        organisation = answer.response.organisation
        return redirect(_table_url(consultation, organisation, anchor, section=section, **more))
    return _render_row(
        request,
        consultation,
        answer,
        section=section,
        open_point=editing,
        open_answer=answer.pk if adding else None,
    )


def _kept_point(point, posted, revision, error):
    return {
        "point": point.pk,
        "form": {**posted, "revision": revision, "error": error},
    }


@login_required
@require_POST
def add_point(request, pk, answer_pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    answer = selectors.get_weighing_answer(consultation, answer_pk)
    section = _chosen_section(request, consultation.sections.all())
    organisation = answer.response.organisation
    text = request.POST.get("text", "")
    try:
        point = weighing.add_point(answer, actor=request.user, text=text)
    except ValidationError as error:
        kept = {"answer": answer.pk, "text": text, "error": " ".join(error.messages)}
        if _partial(request):
            return _render_row(
                request,
                consultation,
                answer,
                section=section,
                status=400,
                open_answer=answer.pk,
                kept=kept,
            )
        return _render_table(
            request,
            consultation,
            page=weighing.page_of(consultation, organisation),
            section=section,
            open_answer=answer.pk,
            kept=kept,
            status=400,
        )
    added = _("The point is added.")
    if _partial(request):
        return _render_row(
            request, consultation, answer, section=section, note=added, noted_point=point.pk
        )
    messages.success(request, added)
    return redirect(_table_url(consultation, organisation, f"point-{point.pk}", section=section))


def _weighing_point(request, consultation, point_pk):
    point = selectors.get_point_for_user(request.user, point_pk)
    if point.answer.response.consultation_id != consultation.pk:
        raise Http404
    return point


@login_required
@require_POST
def save_point(request, pk, point_pk):
    """Save a point's text, response and reasons: htmx gets the answer's row back with the
    point as text, or with its form again and the refusal (400) or the conflict (409)
    above what the coordinator typed; without htmx the same on the table's page."""
    consultation = selectors.get_weighing_consultation(request.user, pk)
    point = _weighing_point(request, consultation, point_pk)
    answer = selectors.get_weighing_answer(consultation, point.answer_id)
    section = _chosen_section(request, consultation.sections.all())
    posted = {
        "text": request.POST.get("text", ""),
        "reply": request.POST.get("reply", ""),
        "reasons": request.POST.get("reasons", ""),
    }
    revision = _number(request.POST.get("revision", "")) or -1
    try:
        weighing.save_point(point, actor=request.user, base_revision=revision, **posted)
    except weighing.PointConflict as conflict:
        current = conflict.point
        error = _(
            "Someone else changed this point in the meantime. It now reads: “%(text)s”, "
            "%(reply)s. Your input is kept below; save again to replace it."
        ) % {"text": current.text, "reply": current.get_reply_display() or "–"}
        kept, status = _kept_point(point, posted, current.revision, error), 409
    except ValidationError as error:
        kept, status = _kept_point(point, posted, revision, " ".join(error.messages)), 400
    else:
        saved = _("Point %(number)s is saved.") % {"number": point.number}
        if _partial(request):
            return _render_row(
                request, consultation, answer, section=section, note=saved, noted_point=point.pk
            )
        messages.success(request, saved)
        return redirect(
            _table_url(
                consultation, answer.response.organisation, f"point-{point.pk}", section=section
            )
        )
    if _partial(request):
        return _render_row(
            request,
            consultation,
            answer,
            section=section,
            status=status,
            open_point=point.pk,
            kept=kept,
        )
    return _render_table(
        request,
        consultation,
        page=weighing.page_of(consultation, answer.response.organisation),
        section=section,
        open_point=point.pk,
        kept=kept,
        status=status,
    )


@login_required
@require_POST
def delete_point(request, pk, point_pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    point = _weighing_point(request, consultation, point_pk)
    answer = selectors.get_weighing_answer(consultation, point.answer_id)
    section = _chosen_section(request, consultation.sections.all())
    try:
        weighing.delete_point(point, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        removed = _("The point is removed.")
        if _partial(request):
            return _render_row(request, consultation, answer, section=section, note=removed)
        messages.success(request, removed)
    return redirect(
        _table_url(
            consultation, answer.response.organisation, f"answer-{answer.pk}", section=section
        )
    )


@login_required
@require_POST
def publish(request, pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        add_error_message(request, ValidationError(_("Choose how the public table is shown.")))
        return redirect(f"{consultation.get_absolute_url()}weighing/")
    try:
        publication = weighing.publish(
            consultation, actor=request.user, public_table=form.cleaned_data["public_table"]
        )
    except ValidationError as error:
        add_error_message(request, error)
        return redirect(f"{consultation.get_absolute_url()}weighing/")
    messages.success(
        request,
        _("Version %(version)s of the result is published; the organisations are told.")
        % {"version": publication.version},
    )
    return redirect(f"{consultation.get_absolute_url()}result/")


@login_required
def weighing_file(request, pk, file_format):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    if file_format not in exports.FORMATS:
        raise Http404
    try:
        return exports.download(consultation, file_format)
    except PdfUnavailable:
        return render(request, "participation/documents/unavailable.html", status=503)


@login_required
def participation_record(request, pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    return render(
        request,
        "consultations/record.html",
        {"consultation": consultation, "rows": record.record(consultation)},
    )


@login_required
def participation_record_file(request, pk, file_format):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    if file_format not in record.FORMATS:
        raise Http404
    return record.download(consultation, file_format)


@login_required
def revised_draft(request, pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    return render(
        request,
        "consultations/revised.html",
        {
            "consultation": consultation,
            "revised": consultation.revised_sections.all(),
            "diffs": weighing.revised_diff(consultation),
        },
    )


@login_required
@require_POST
def start_revised_draft(request, pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    try:
        weighing.start_revised_draft(consultation, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("The revised draft begins as a copy of the sections."))
    return redirect(f"{consultation.get_absolute_url()}revised/")


@login_required
def revised_section_form(request, pk, section_pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    section = get_object_or_404(consultation.revised_sections, pk=section_pk)
    form = RevisedSectionForm(request.POST or None, instance=section)
    return form_page(
        request,
        form,
        service=weighing.save_revised_section,
        title=_("Edit the revised section"),
        saved_message=_("“%(record)s” is saved."),
        back=section,
    )


@login_required
def result(request, pk):
    """The published result: a member reads their own organisations' statements with the
    responses; a coordinator reads all of it."""
    consultation = selectors.get_consultation_for_user(request.user, pk)
    publication = selectors.get_publication_for_user(request.user, consultation, _version(request))
    own = selectors.result_organisation_ids(request.user, consultation)
    return render(
        request,
        "consultations/result.html",
        {
            "consultation": consultation,
            "publication": publication,
            "sections": weighing.own_part(publication.content, own),
            "revised": [
                (section, render_markdown(section["text"]))
                for section in publication.content.get("revised_draft", [])
            ],
            "versions": consultation.publications.defer("content", "summary"),
        },
    )


def public_result(request, pk):
    """The anonymised weighing table, for everyone, if the coordination chose to show it."""
    publication = selectors.get_public_publication(pk, _version(request))
    return render(
        request,
        "consultations/public_result.html",
        {
            "consultation": publication.consultation,
            "publication": publication,
            "sections": weighing.anonymised(publication.content, publication.public_table),
        },
    )
