"""The imprint, privacy notice and accessibility statement: public pages in the reader's
language at stable German addresses, and the coordinators' page to edit them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from .. import selectors, services
from ..forms import LegalPageForm
from ..markdown import render_markdown
from .common import require_coordinator, save_form_with

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
