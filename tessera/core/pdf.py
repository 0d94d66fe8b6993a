"""Printable documents as PDF (WeasyPrint): one helper every module's print screen uses.

The template is rendered with `for_pdf=True` (so it can leave out its toolbar) and turned into an A4 PDF
with the page's own CSS (`@page`); Chinese text needs a CJK font installed (scripts/setup installs Noto
Sans CJK; templates name "Noto Sans CJK SC" first in their font-family).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def pdf_bytes(request, template_name: str, context: dict) -> bytes:
    """The PDF of `template_name` rendered with `context`. Raises ImportError/OSError when WeasyPrint or
    its system libraries (Pango) are missing."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "for_pdf": True}, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def pdf_response(request, template_name: str, context: dict, filename: str) -> HttpResponse:
    """An inline PDF response named `filename` (".pdf" added when missing); without WeasyPrint, a message
    and a redirect back to the page without `?format=pdf`."""
    try:
        content = pdf_bytes(request, template_name, context)
    except (ImportError, OSError):  # OSError: the Pango/cairo system libraries are missing
        messages.error(request, _("PDF export is not available on this server."))
        return redirect(request.path)
    name = filename.replace("/", "-").replace('"', "")
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
