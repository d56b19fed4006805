"""The printed signature list (danh sách chi trả có ký nhận) of a checked payroll, as PDF in the
landscape list layout of documents/list_base.html: the cash payees grouped by village, each with
a cell to sign on receipt, subtotals per village and the signature blocks of the preparer, the
provider and the commune chairman."""

from django.utils import timezone

from ansinh.core.errors import Conflict
from ansinh.core.months import format_month
from ansinh.documents.headers import commune_province_authority
from ansinh.payments.models import PayrollRun, PayrollStatus
from ansinh.payments.selectors import signature_list_groups


def signature_list_pdf(run: PayrollRun) -> bytes:
    from ansinh.documents.render import pdf_render

    if run.status == PayrollStatus.DRAFT:
        raise Conflict(
            "Danh sách chi trả còn là dự thảo: hãy kiểm tra (chốt) danh sách trước khi in danh sách ký nhận.",
            fields={"status": "Chưa kiểm tra."},
        )
    groups = signature_list_groups(run)
    commune = run.commune
    doc = {
        "title": f"Danh sách chi trả trợ cấp xã hội tháng {format_month(run.month)}",
        "subtitle": f"(Chi trả bằng tiền mặt qua đơn vị chi trả, {commune.name})",
        "issuer_parent": commune_province_authority(commune),
        "issuer": f"UBND {commune.name}",
        "place": commune.name,
        "date": timezone.localdate(run.approved_at) if run.approved_at else timezone.localdate(),
        "signatures": [
            {"title": "Người lập biểu", "name": getattr(run.prepared_by, "get_full_name", lambda: "")()},
            {"title": "Đại diện đơn vị chi trả"},
            {
                "title": f"TM. UBND {commune.name}",
                "note": "CHỦ TỊCH",
                "name": getattr(run.approved_by, "get_full_name", lambda: "")(),
            },
        ],
    }
    context = {
        "doc": doc,
        "run": run,
        "groups": groups,
        "person_count": sum(len(g["payees"]) for g in groups),
        "total": sum(g["amount"] for g in groups),
        "arrears": sum(g["arrears"] for g in groups),
    }
    return pdf_render("payments/signature_list.html", context)
