"""The coordination's pages after the deadline: the weighing table with its points and
responses, the revised draft with its diff, publishing the result, the participation record
and the files; and the published result as the organisations (and, if chosen, the public)
read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.documents.pdf import PdfUnavailable
from participation.markdown import render_markdown
from participation.views.common import add_error_message, form_page

from .. import exports, record, selectors, weighing
from ..forms import PublishForm, RevisedSectionForm
from ..models import Reply, SectionAnswer


def _version(request):
    version = request.GET.get("version", "")
    if not version:
        return None
    if not version.isdigit():
        raise Http404
    return int(version)


@login_required
def weighing_table(request, pk, kept=None, status=200, page=None):
    """The table, a page of organisations at a time (`?page=<n>`, by name) with every
    section; `page` (the page of the point just saved) instead of the query's."""
    consultation = selectors.get_weighing_consultation(request.user, pk)
    shown = Paginator(weighing.consulted(consultation), weighing.PAGE_SIZE).get_page(
        page or request.GET.get("page", 1)
    )
    rows = weighing.table(consultation, organisations=shown)
    for section_rows in rows:
        for entry in section_rows.entries:
            for point in entry.points:
                # Set on every point: the template looking up a missing attribute costs
                # more than the rest of the point's form.
                point.kept = kept if kept and point.pk == kept["pk"] else None
    context = {
        "consultation": consultation,
        "rows": rows,
        "page": shown,
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


def _table_url(consultation, organisation, anchor):
    """The table's page that shows `organisation`, at `anchor`."""
    page = weighing.page_of(consultation, organisation)
    query = f"?page={page}" if page > 1 else ""
    return f"{consultation.get_absolute_url()}weighing/{query}#{anchor}"


@login_required
@require_POST
def add_point(request, pk, answer_pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    answer = get_object_or_404(
        SectionAnswer.objects.filter(response__consultation=consultation), pk=answer_pk
    )
    try:
        weighing.add_point(answer, actor=request.user, text=request.POST.get("text", ""))
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("The point is added."))
    return redirect(_table_url(consultation, answer.response.organisation, f"answer-{answer.pk}"))


def _point_page(point):
    response = point.answer.response
    return weighing.page_of(response.consultation, response.organisation)


@login_required
@require_POST
def save_point(request, pk, point_pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    point = selectors.get_point_for_user(request.user, point_pk)
    if point.answer.response.consultation_id != consultation.pk:
        raise Http404
    posted = {
        "text": request.POST.get("text", ""),
        "reply": request.POST.get("reply", ""),
        "reasons": request.POST.get("reasons", ""),
    }
    try:
        revision = int(request.POST.get("revision", "-1"))
    except ValueError:
        revision = -1
    try:
        weighing.save_point(point, actor=request.user, base_revision=revision, **posted)
    except weighing.PointConflict as conflict:
        current = conflict.point
        kept = {
            "pk": point.pk,
            **posted,
            "revision": current.revision,
            "error": _(
                "Someone else changed this point in the meantime. It now reads: “%(text)s”, "
                "%(reply)s. Your input is kept below; save again to replace it."
            )
            % {"text": current.text, "reply": current.get_reply_display() or "–"},
        }
        return weighing_table(request, pk, kept=kept, status=409, page=_point_page(point))
    except ValidationError as error:
        kept = {"pk": point.pk, **posted, "revision": revision, "error": " ".join(error.messages)}
        return weighing_table(request, pk, kept=kept, status=400, page=_point_page(point))
    messages.success(request, _("Point %(number)s is saved.") % {"number": point.number})
    return redirect(
        _table_url(consultation, point.answer.response.organisation, f"point-{point.pk}")
    )


@login_required
@require_POST
def delete_point(request, pk, point_pk):
    consultation = selectors.get_weighing_consultation(request.user, pk)
    point = selectors.get_point_for_user(request.user, point_pk)
    if point.answer.response.consultation_id != consultation.pk:
        raise Http404
    try:
        weighing.delete_point(point, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("The point is removed."))
    return redirect(
        _table_url(consultation, point.answer.response.organisation, f"answer-{point.answer_id}")
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
