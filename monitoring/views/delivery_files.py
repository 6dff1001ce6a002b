"""A delivery as a file: the template to download (the supplier's members and the
coordinators) and the upload of the filled-in template (the supplier's members), whose errors
are listed on the delivery page by row and column."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participation.downloads import private_download
from participation.request_limits import accepts_uploads
from participation.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .. import delivery_files, selectors
from ..forms import DeliveryFileForm
from .deliveries import render_delivery_page

BUILDERS = {
    "csv": (delivery_files.template_csv, CSV_CONTENT_TYPE),
    "xlsx": (delivery_files.template_xlsx, XLSX_CONTENT_TYPE),
}


@login_required
def delivery_template(request, pk, file_type):
    delivery = selectors.get_delivery_for_user(request.user, pk)
    build, content_type = BUILDERS[file_type]
    response = HttpResponse(build(delivery), content_type=content_type)
    return private_download(response, delivery_files.template_name(delivery, file_type))


@accepts_uploads
@login_required
@require_POST
def delivery_upload(request, pk):
    delivery = selectors.get_delivery_for_user(request.user, pk, write=True)
    form = DeliveryFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_delivery_page(request, delivery, file_form=form, status=400)
    try:
        result = delivery_files.import_file(delivery, form.cleaned_data["file"], actor=request.user)
    except delivery_files.FileRejected as rejected:
        file_errors = {
            "general": [error for error in rejected.errors if error.row is None],
            "rows": [error for error in rejected.errors if error.row is not None],
        }
        return render_delivery_page(request, delivery, file_errors=file_errors, status=400)
    messages.success(
        request,
        ngettext(
            "The file is imported: %(changed)d figure changed, %(unchanged)d unchanged.",
            "The file is imported: %(changed)d figures changed, %(unchanged)d unchanged.",
            result.changed,
        )
        % {"changed": result.changed, "unchanged": result.unchanged},
    )
    return redirect(delivery)
