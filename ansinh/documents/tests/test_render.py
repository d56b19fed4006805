"""Documents: the official layout renders to a real PDF with Vietnamese text intact; a province's
own template copy wins over ours; DOCX templates are filled; the Vietnamese long date."""

import datetime as dt
import io

import pytest
from django.template import engines

from ansinh.core.errors import InvalidInput
from ansinh.documents.render import docx_render, docx_template_path, pdf_render
from ansinh.documents.templatetags.documents import vn_long_date
from ansinh.documents.testing import pdf_page_count, pdf_png, pdf_text

DOC = {
    "issuer_parent": "Ủy ban nhân dân tỉnh Bắc Ninh",
    "issuer": "Ủy ban nhân dân xã Thử",
    "number": "12/QĐ-UBND",
    "place": "Thử",
    "date": dt.date(2026, 10, 5),
    "title": "Quyết định",
    "subtitle": "Về việc trợ cấp xã hội hằng tháng",
    "recipients": ["Như Điều 3"],
    "signer_capacity": "TM. Ủy ban nhân dân",
    "signer_title": "Chủ tịch",
    "signer_name": "Nguyễn Văn Bình",
}

BODY = '{% extends "documents/official_base.html" %}{% block body %}<p>Trợ cấp cho bà Trần Thị Ánh.</p>{% endblock %}'


def test_long_date_follows_decree_30():
    assert vn_long_date(dt.date(2026, 10, 5)) == "ngày 05 tháng 10 năm 2026"
    assert vn_long_date(dt.date(2027, 2, 14)) == "ngày 14 tháng 02 năm 2027"
    assert vn_long_date(dt.date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
    assert vn_long_date(None) == "ngày … tháng … năm …"


def test_official_layout_renders_to_pdf_with_its_key_fields(tmp_path, settings):
    template = tmp_path / "sample" / "decision.html"
    template.parent.mkdir()
    template.write_text(BODY, encoding="utf-8")
    settings.ANSINH_DOCUMENT_TEMPLATES = str(tmp_path)

    pdf = pdf_render("sample/decision.html", {"doc": DOC})

    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) == 1
    text = pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/QĐ-UBND",
        "Thử, ngày 05 tháng 10 năm 2026",
        "QUYẾT ĐỊNH",
        "Trần Thị Ánh",
        "Nguyễn Văn Bình",
    ):
        assert expected in text, expected
    png = pdf_png(pdf)
    assert png.startswith(b"\x89PNG")


def test_province_copy_of_a_template_wins(tmp_path, settings):
    ours = engines["django"].from_string(BODY)  # the same template, as if shipped by us
    assert "Trần Thị Ánh" in ours.render({"doc": DOC})
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "decision.html").write_text(
        BODY.replace("Trợ cấp cho", "Tỉnh sửa mẫu: trợ cấp cho"), encoding="utf-8"
    )
    settings.ANSINH_DOCUMENT_TEMPLATES = str(tmp_path)
    assert "Tỉnh sửa mẫu" in pdf_text(pdf_render("sample/decision.html", {"doc": DOC}))


def test_docx_template_is_filled(tmp_path, settings):
    from docx import Document

    source = Document()
    source.add_paragraph("Số: {{ doc.number }}")
    source.add_paragraph("Người ký: {{ doc.signer_name }}")
    (tmp_path / "sample").mkdir()
    source.save(tmp_path / "sample" / "letter.docx")
    settings.ANSINH_DOCUMENT_TEMPLATES = str(tmp_path)

    filled = Document(io.BytesIO(docx_render("sample/letter.docx", {"doc": DOC})))
    texts = [p.text for p in filled.paragraphs]
    assert texts == ["Số: 12/QĐ-UBND", "Người ký: Nguyễn Văn Bình"]


def test_missing_docx_template_is_a_clear_error(settings):
    settings.ANSINH_DOCUMENT_TEMPLATES = ""
    with pytest.raises(InvalidInput) as error:
        docx_template_path("khong/co.docx")
    assert "khong/co.docx" in error.value.message
