"""The imprint, privacy notice and accessibility statement: public pages in the reader's
language at stable German addresses, the coordinators' page to edit them, and the
statement's form for reporting a barrier."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from .. import barrier_reports, selectors, services
from ..forms import BarrierReportForm, LegalPageForm
from ..markdown import render_markdown
from ..models import BarrierReport, is_local_address
from .common import add_errors, require_coordinator, save_form_with

# The page's h1 is the title; the text writes its sections "##" (h2), and "#" is one too.
LEGAL_HEADINGS = {"heading_offset": 0, "top_heading": 2, "line_breaks": True}
# The preview sits below its own h2 and an h3 per language: its sections are h4.
PREVIEW_HEADINGS = {"heading_offset": 2, "top_heading": 4, "line_breaks": True}


# The language comes from the language cookie or Accept-Language, and a coordinator sees an
# edit button: no shared cache may hand one reader's page to another.
@vary_on_headers("Accept-Language", "Cookie")
@cache_control(private=True, no_cache=True)
def legal_page(request, kind):
    page = selectors.legal_page(kind)
    text, in_german = page.body_for(translation.get_language())
    return render(
        request,
        "participation/legal/page.html",
        {
            "page": page,
            "html": render_markdown(text, **LEGAL_HEADINGS),
            "in_german": in_german,
        },
    )


@login_required
def legal_page_edit(request, kind):
    require_coordinator(request.user)
    page = selectors.legal_page(kind)
    form = LegalPageForm(request.POST or None, instance=page)
    preview = None
    if request.method == "POST" and request.POST.get("action") == "preview":
        # Shown as typed, not yet checked: the texts stay in the form, unsaved.
        typed = {name: request.POST.get(name, "") for name in ("body_de", "body_en")}
        form = LegalPageForm(initial=typed, instance=page)
        preview = {
            language: render_markdown(typed[f"body_{language}"], **PREVIEW_HEADINGS)
            for language in ("de", "en")
        }
    elif request.method == "POST" and form.is_valid():
        saved = save_form_with(services.save_legal_page, form, actor=request.user)
        if saved:
            messages.success(request, _("%(page)s saved and published.") % {"page": saved})
            return redirect(saved)
    return render(
        request,
        "participation/legal/edit.html",
        {"page": page, "form": form, "preview": preview},
    )


def barrier_report(request):
    """Public: anyone reports a barrier. `?page=` names where they came from (a path here)."""
    came_from = request.GET.get("page", "")
    initial = {"page": came_from} if is_local_address(came_from) else {}
    form = BarrierReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            barrier_reports.report_barrier(
                form.save(commit=False),
                request=request,
                language=translation.get_language(),
            )
        except barrier_reports.TooManyReports as refused:
            return render(
                request,
                "participation/request_refused.html",
                {"message": refused.message},
                status=429,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return render(request, "participation/legal/barrier_report.html", {"sent": True})
    return render(request, "participation/legal/barrier_report.html", {"form": form})


@login_required
def barrier_report_list(request):
    require_coordinator(request.user)
    reports = list(barrier_reports.reports_for_coordinators())
    return render(
        request,
        "participation/legal/barrier_reports.html",
        {
            "reports": reports,
            "open_count": sum(report.answered_at is None for report in reports),
            "contact": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
        },
    )


@login_required
@require_POST
def barrier_report_answered(request, pk):
    require_coordinator(request.user)
    report = get_object_or_404(BarrierReport, pk=pk)
    barrier_reports.mark_answered(report, actor=request.user)
    messages.success(request, _("%(report)s marked answered.") % {"report": report})
    return redirect("participation:barrier_reports")
