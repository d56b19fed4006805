"""The printed signature list (danh sách ký nhận hỗ trợ khẩn cấp) of one commune for an event, as
PDF in the landscape list layout of documents/list_base.html (heading of Decree 30/2020): the
households the chairman decided to help, grouped by village, each with what it is to receive and
a cell to sign on receipt, subtotals per village, the total and the signature blocks of the
preparer, the person handing over and the commune chairman."""

from django.db.models import Prefetch
from django.utils import timezone

from ansinh.areas.models import Commune
from ansinh.core.money import format_number, format_vnd
from ansinh.core.text import fold
from ansinh.documents.headers import commune_province_authority
from ansinh.relief.models import Event, LineKind, Support, SupportLine, SupportStatus

NO_VILLAGE = "Chưa ghi thôn, tổ dân phố"


def _kg(quantity: int) -> str:
    return format_number(quantity) if quantity else ""


def _goods(support: Support) -> str:
    return "; ".join(f"{line.item.name} {_kg(line.quantity)} {line.item.unit}" for line in support.goods)


def signature_list_groups(event: Event, commune: Commune) -> list[dict]:
    """The households of `commune` decided for `event`, grouped by village (Vietnamese reading
    order, households without a village last), with the rice and cash subtotals of each."""
    supports = (
        Support.objects.filter(event=event, commune=commune, status=SupportStatus.DECIDED)
        .select_related("affected__village", "proposed_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=SupportLine.objects.filter(kind=LineKind.GOODS).select_related("item"),
                to_attr="goods",
            )
        )
    )
    groups: dict[str, dict] = {}
    for support in sorted(supports, key=lambda s: (fold(s.affected.head_name), s.pk)):
        village = support.affected.village.name if support.affected.village_id else ""
        group = groups.setdefault(village, {"village": village, "rows": [], "rice_kg": 0, "cash_amount": 0})
        group["rows"].append(
            {
                "support": support,
                "head_name": support.affected.head_name,
                "personal_id": support.affected.head_personal_id,
                "size": support.affected.size,
                "decision": support.decision_number,
                "rice": _kg(support.rice_kg),
                "cash": format_vnd(support.cash_amount) if support.cash_amount else "",
                "goods": _goods(support),
            }
        )
        group["rice_kg"] += support.rice_kg
        group["cash_amount"] += support.cash_amount
    for group in groups.values():
        group["label"] = group["village"] or NO_VILLAGE
        group["rice"] = _kg(group["rice_kg"])
        group["cash"] = format_vnd(group["cash_amount"])
    return sorted(groups.values(), key=lambda g: (g["village"] == "", fold(g["village"])))


def _only_name(users) -> str:
    """The name to print under a signature block: the one person who did it, else blank to write in."""
    names = {user.get_full_name() for user in users if user is not None}
    return names.pop() if len(names) == 1 else ""


def signature_list_pdf(event: Event, commune: Commune) -> bytes:
    from ansinh.documents.render import pdf_render

    groups = signature_list_groups(event, commune)
    supports = [row["support"] for group in groups for row in group["rows"]]
    doc = {
        "title": "Danh sách ký nhận hỗ trợ khẩn cấp",
        "subtitle": f"{event.name} ({event.get_kind_display().lower()}, xảy ra ngày "
        f"{event.occurred_on:%d/%m/%Y}) – {commune.name}",
        "issuer_parent": commune_province_authority(commune),
        "issuer": f"UBND {commune.name}",
        "place": commune.name,
        "date": timezone.localdate(),
        "signatures": [
            {"title": "Người lập danh sách", "name": _only_name(s.proposed_by for s in supports)},
            {"title": "Người cấp phát"},
            {
                "title": f"TM. UBND {commune.name}",
                "note": "CHỦ TỊCH",
                "name": _only_name(s.decided_by for s in supports),
            },
        ],
    }
    context = {
        "doc": doc,
        "event": event,
        "groups": groups,
        "household_count": len(supports),
        "rice": _kg(sum(g["rice_kg"] for g in groups)),
        "cash": format_vnd(sum(g["cash_amount"] for g in groups)),
    }
    return pdf_render("relief/signature_list.html", context)
