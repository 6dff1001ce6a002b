"""Files answering questions (upload and download, access-checked: nothing is served from
MEDIA_URL) and the printable view of one organisation's response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from participation.downloads import uploaded_file_download
from participation.request_limits import accepts_uploads, content_length
from participation.responses import posted_revision

from .. import selectors, services, uploads
from ..answer_types import DISPLAY, display_value
from ..inputs import field_name
from ..models import Answer, Question, QuestionKind, Response
from . import responses


def _file_question(response, key):
    return get_object_or_404(
        Question, section__version=response.version_id, key=key, kind=QuestionKind.FILE
    )


@accepts_uploads
@csrf_exempt  # checked in _upload, after the size limit is in place (see below)
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_file(request, pk, key):
    """GET: download the question's current file (or, with ?revision=n, the one that
    revision saved). POST: upload a file as the new answer (own organisation only)."""
    if request.method != "POST":
        return _download(request, pk, key)
    response = selectors.get_response_for_user(request.user, pk, write=True)
    question = _file_question(response, key)
    if content_length(request) > uploads.request_limit(question):
        # Refused unread. Nothing changes, so there is nothing for a forged request to gain.
        return _refused(request, response, question, uploads.too_large(question))
    # Upload handlers can only be changed before the body is read, which the CSRF check
    # does: hence csrf_exempt on the view and csrf_protect on what reads the body.
    guard = uploads.UploadSizeLimit(field_name(question), uploads.size_limit(question))
    request.upload_handlers.insert(0, guard)
    return _upload(request, response, question, guard)


@csrf_protect
def _upload(request, response, question, guard):
    name = field_name(question)
    uploaded = request.FILES.get(name)
    if guard.exceeded:
        return _refused(request, response, question, uploads.too_large(question))
    if uploaded is None:
        # Enter in a text field submits the section's form through its first submit button,
        # which may be this upload button: without a file, save the section as its own
        # button would.
        return responses.save_section(request, response.pk, question.section_id)
    try:
        answer = uploads.save_answer_file(
            response,
            question,
            uploaded,
            actor=request.user,
            base_revision=posted_revision(request.POST, question.key),
        )
    except services.AnswerConflict as conflict:
        message = _(
            "Someone else saved the file “%(name)s” for this question in the meantime. "
            "Your file has not been saved; choose it again to replace theirs."
        ) % {"name": display_value(question, conflict.answer.value) or "–"}
        return _refused(request, response, question, ValidationError(message))
    except ValidationError as error:
        return _refused(request, response, question, error)
    messages.success(request, _("The file “%(name)s” is saved.") % {"name": answer.value["name"]})
    url = response.get_absolute_url()
    return redirect(f"{url}?section={question.section_id}#question-{question.key}")


def _refused(request, response, question, error):
    """The response page again, the question showing why and its current file."""
    current = Answer.objects.filter(response=response, question=question).first()
    state = responses.QuestionState(
        question,
        None,
        error=" ".join(error.messages),
        submitted_value=current.value if current else None,
    )
    context = responses._page_context(request, response, question.section, {question.pk: state})
    return render(request, "surveys/response.html", context, status=400)


def _download(request, pk, key):
    response = selectors.get_response_for_user(request.user, pk)
    question = _file_question(response, key)
    answer = get_object_or_404(Answer, response=response, question=question)
    value = answer.value
    if "revision" in request.GET:
        try:
            revision = int(request.GET["revision"])
        except ValueError:
            raise Http404 from None
        value = get_object_or_404(answer.changes, revision=revision).new_value
    try:
        stored = uploads.open_answer_file(response, value)
    except LookupError:
        raise Http404 from None
    return uploaded_file_download(
        stored, filename=value["name"], content_type=uploads.content_type(value)
    )


# --- printable view ----------------------------------------------------------------------------


def _labels(options):
    return {option["value"]: option.get("label") or option["value"] for option in options}


def _printed_answer(question, answer):
    """What the print view shows for one question: text, or rows for a real table."""
    value = answer.value if answer else None
    item = {"question": question, "answer": answer, "text": display_value(question, value)}
    config = question.config or {}
    if not value:
        return item
    if question.kind == QuestionKind.MATRIX:
        rows, columns = _labels(config.get("rows", [])), _labels(config.get("columns", []))
        ordered = [row for row in rows if row in value] + [row for row in value if row not in rows]
        item["rows"] = [
            [rows.get(row, row), columns.get(value[row], value[row])] for row in ordered
        ]
    elif question.kind == QuestionKind.TABLE:
        columns = config.get("columns", [])
        item["columns"] = [column.get("label") or column["key"] for column in columns]
        item["rows"] = [
            [
                DISPLAY[column.get("kind", "short_text")](column, row[column["key"]])
                if row.get(column["key"]) not in (None, "")
                else "–"
                for column in columns
            ]
            for row in value
        ]
    return item


@login_required
@require_GET
def response_print(request, pk):
    """One organisation's whole response on one page, made for paper."""
    response = selectors.get_response_for_user(request.user, pk)
    response = Response.objects.select_related(
        "survey", "organisation", "version", "submitted_by__person"
    ).get(pk=response.pk)
    answers = {
        answer.question_id: answer
        for answer in response.answers.filter(
            question__section__version=response.version_id
        ).select_related("updated_by__person")
    }
    visible = {question.pk for question in services.visible_questions(response)}
    sections = []
    for section in response.version.sections.prefetch_related("questions"):
        items = [
            _printed_answer(question, answers.get(question.pk))
            for question in section.questions.all()
            if question.pk in visible
        ]
        sections.append({"section": section, "items": items})
    context = {
        "response": response,
        "survey": response.survey,
        "sections": sections,
        "printed_at": timezone.now(),
    }
    return render(request, "surveys/print.html", context)
