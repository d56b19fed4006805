"""Official documents as PDF (WeasyPrint, from Django HTML templates) and DOCX (docxtpl).

A province edits its own copies of the templates: files in settings.ANSINH_DOCUMENT_TEMPLATES
(same relative names, e.g. "documents/decision.html") take precedence over ours, for both the
HTML and the .docx templates. A province's HTML copy may still `{% extends %}` ours.
"""

import io
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.template.utils import get_app_template_dirs

from ansinh.core.errors import InvalidInput


def pdf_render(template_name: str, context: dict) -> bytes:
    """Render a Django template (extending documents/official_base.html or documents/list_base.html) to PDF."""
    import weasyprint  # heavy import, only where a PDF is made

    override = _province_copy(template_name)
    if override is not None:
        html = engines["django"].from_string(override.read_text(encoding="utf-8")).render(context)
    else:
        html = render_to_string(template_name, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _province_copy(template_name: str) -> Path | None:
    folder = getattr(settings, "ANSINH_DOCUMENT_TEMPLATES", "")
    candidate = Path(folder) / template_name if folder else None
    return candidate if candidate is not None and candidate.is_file() else None


def docx_template_path(template_name: str) -> Path:
    """Where a .docx template lives: the province's folder first, then the apps' templates/."""
    override = _province_copy(template_name)
    if override is not None:
        return override
    for folder in get_app_template_dirs("templates"):
        candidate = Path(folder) / template_name
        if candidate.is_file():
            return candidate
    raise InvalidInput.for_field("template", f"Không tìm thấy mẫu văn bản “{template_name}”.")


def docx_render(template_name: str, context: dict) -> bytes:
    """Fill a .docx template written with docxtpl's {{ … }} tags (editable in Word)."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(docx_template_path(template_name)))
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
