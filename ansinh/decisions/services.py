"""Writes on decisions (quyết định): prepare a draft, sign it (which applies it to the
entitlements), cancel a draft.

The month a decision takes effect follows Decree 335/2026 Art. 8–9:
- grant: from the month the commune chairman signs;
- adjust: from the month the conditions change (event_date), else from the month signed;
- stop: from the month after the event (death on 10 Mar 2026 → no payment from April 2026);
- suspend: from the suspension month;
- resume: payment resumes from the suspension date, the months in between paid as arrears;
- transfer, in two steps (Decree 335/2026 Art. 8): the OLD commune's chairman stops payment
  and hands the dossier over (a transfer decision of the old commune, target_commune = the new
  one); only then may the NEW commune's chairman decide the benefit at the new place (a transfer
  decision of the new commune) from the month payment stopped at the old place: no gap, no double
  payment. A commune can never take another commune's beneficiary on its own;
- funeral support (Decree 335/2026 Art. 11): a one-off grant for a person recorded as dead.

Life events built on these: `death_stop_prepare` (a recorded death → stop drafts from the next
month), `suspension_prepare` and `suspension_review_prepare` (resume with arrears from the
suspension date, or stop from the suspension date: Art. 9(4)).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F as models_F
from django.db.models import Q
from django.utils import timezone

from ansinh.accounts.roles import can_prepare, can_sign
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune
from ansinh.core.audit import audit_record, create_audited, snapshot
from ansinh.core.errors import Conflict, InvalidInput, NotAllowed
from ansinh.core.money import amount_from_coefficient, format_vnd
from ansinh.core.months import add_months, current_month, format_month, month_start, next_month
from ansinh.core.text import nfc
from ansinh.decisions.models import Benefit, Decision, DecisionKind, DecisionStatus, Entitlement
from ansinh.payments.levels import level_amount

MONTHLY_BENEFITS = {Benefit.MONTHLY_ALLOWANCE, Benefit.SOCIAL_PENSION, Benefit.CARE_SUPPORT}
# Decree 335/2026 Art. 5: the categories of the monthly social allowance.
ALLOWANCE_CATEGORIES = {"1", "2", "3", "4", "5a", "5b", "6", "7", "8"}
MAX_COEFFICIENT = Decimal("99.99")  # Decision.coefficient is numeric(5, 2)

KIND_NEEDS_ENTITLEMENT = {
    DecisionKind.ADJUST,
    DecisionKind.SUSPEND,
    DecisionKind.RESUME,
    DecisionKind.STOP,
    DecisionKind.TRANSFER,
}
# Kinds that keep money flowing: refused for a person recorded as dead.
KIND_PAYS = {DecisionKind.GRANT, DecisionKind.ADJUST, DecisionKind.RESUME, DecisionKind.TRANSFER}


# --- helpers -------------------------------------------------------------------------------


def _open_entitlement(person, benefit: str, *, lock: bool = False) -> Entitlement | None:
    qs = Entitlement.objects.filter(person=person, benefit=benefit, end_month__isnull=True)
    if lock:
        qs = qs.select_for_update()
    return qs.select_related("commune").first()


def is_transfer_out(decision: Decision) -> bool:
    """A transfer decision of the old commune (stop and hand over), as opposed to the new
    commune's decision taking the person in."""
    return decision.kind == DecisionKind.TRANSFER and decision.commune_id != decision.target_commune_id


def pending_handover(person, benefit: str) -> tuple[Decision, Entitlement] | None:
    """The signed hand-over of the old commune still waiting for the new commune: the person's
    latest entitlement of this benefit was closed by the old commune's transfer decision and
    nothing has been opened since."""
    if Entitlement.objects.filter(person=person, benefit=benefit, end_month__isnull=True).exists():
        return None
    last = (
        Entitlement.objects.filter(person=person, benefit=benefit)
        .select_related("closed_by", "closed_by__target_commune", "commune")
        .order_by("-start_month", "-id")
        .first()
    )
    if last is None or last.closed_by is None:
        return None
    handover = last.closed_by
    if (
        handover.kind != DecisionKind.TRANSFER
        or handover.status != DecisionStatus.SIGNED
        or not is_transfer_out(handover)
    ):
        return None
    return handover, last


def handovers_pending_for(scope: AreaScope):
    """Signed hand-overs to a commune inside the scope not yet taken in (for the new commune's
    list of people to receive)."""
    outgoing = Decision.objects.filter(
        kind=DecisionKind.TRANSFER, status=DecisionStatus.SIGNED, closed_entitlements__isnull=False
    ).exclude(commune=models_F("target_commune"))
    outgoing = scope.filter(outgoing, "target_commune").select_related("person", "commune", "target_commune")
    return [d for d in outgoing.order_by("signed_on", "id") if pending_handover(d.person, d.benefit)]


def _parse_coefficient(value) -> Decimal:
    if isinstance(value, float):
        value = str(value)  # a float typed by a caller: read its decimal text, never its binary value
    try:
        coefficient = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput.for_field(
            "coefficient", f"Hệ số “{value}” không phải là số: nhập dạng 1,5 hoặc 2."
        ) from None
    if not coefficient.is_finite() or coefficient <= 0 or coefficient > MAX_COEFFICIENT:
        raise InvalidInput.for_field("coefficient", f"Hệ số phải lớn hơn 0 và không quá {MAX_COEFFICIENT}.")
    if coefficient != coefficient.quantize(Decimal("0.01")):
        raise InvalidInput.for_field("coefficient", "Hệ số chỉ có tối đa 2 chữ số thập phân (ví dụ 1,5).")
    return coefficient.quantize(Decimal("0.01"))


def _monthly_amount(*, benefit: str, coefficient, commune: Commune, month: dt.date) -> int:
    level = level_amount(benefit=benefit, province_code=commune.province_id, month=month)
    if level is None:
        raise Conflict(
            f"Chưa có mức chuẩn áp dụng cho tháng {format_month(month)}: không tính được số tiền hằng tháng.",
            fields={"effective_month": f"Không có mức chuẩn cho tháng {format_month(month)}."},
        )
    return amount_from_coefficient(coefficient, level)


def _decision_commune(*, kind: str, person, entitlement: Entitlement | None, target_commune) -> Commune:
    if kind == DecisionKind.TRANSFER:
        # Step 1 is the old commune's (it pays now); step 2 the new commune's.
        return entitlement.commune if entitlement is not None else target_commune
    if entitlement is not None:
        return entitlement.commune
    return person.commune


def _check_person_alive(person, kind: str) -> None:
    if kind in KIND_PAYS and person.date_of_death:
        raise InvalidInput.for_field(
            "person",
            f"{person.full_name} đã chết ngày {person.date_of_death:%d/%m/%Y}: không lập quyết định "
            f"“{DecisionKind(kind).label}”. Nếu cần, lập quyết định thôi hưởng.",
        )


# Law 41/2024 Art. 22(3): a person eligible for both the monthly social allowance and the social
# pension receives only the higher of the two, so neither is granted while the other is paid.
EXCLUSIVE_BENEFITS = {
    Benefit.MONTHLY_ALLOWANCE: Benefit.SOCIAL_PENSION,
    Benefit.SOCIAL_PENSION: Benefit.MONTHLY_ALLOWANCE,
}


def _check_no_entitlement_for_grant(person, benefit: str, month: dt.date) -> None:
    open_from_month = Entitlement.objects.filter(person=person).filter(
        Q(end_month__isnull=True) | Q(end_month__gt=month)
    )
    if open_from_month.filter(benefit=benefit).exists():
        raise Conflict(
            f"{person.full_name} đang hưởng “{Benefit(benefit).label}”: không trợ cấp lần nữa. "
            "Muốn đổi hệ số hoặc đối tượng, lập quyết định điều chỉnh.",
            fields={"benefit": "Người này đang hưởng chế độ này."},
        )
    other = EXCLUSIVE_BENEFITS.get(benefit)
    held = open_from_month.filter(benefit=other).first() if other else None
    if held is not None:
        raise Conflict(
            f"{person.full_name} đang hưởng “{Benefit(other).label}”"
            + (f" đến hết tháng {format_month(add_months(held.end_month, -1))}" if held.end_month else "")
            + f": người đủ điều kiện cả “{Benefit(other).label}” và “{Benefit(benefit).label}” chỉ hưởng "
            "một chế độ có mức cao hơn (khoản 3 Điều 22 Luật Bảo hiểm xã hội 2024). Nếu chuyển sang chế độ "
            "này, lập quyết định thôi hưởng chế độ đang hưởng trước; quyết định trợ cấp ký từ tháng thôi hưởng.",
            fields={"benefit": f"Đang hưởng {Benefit(other).label.lower()}: chỉ hưởng một trong hai chế độ."},
        )


# --- prepare -------------------------------------------------------------------------------


def decision_prepare(
    *,
    actor,
    person,
    kind: str,
    benefit: str,
    category: str = "",
    coefficient=None,
    event_date: dt.date | None = None,
    target_commune=None,
    reason: str = "",
    effective_month: dt.date | None = None,
    legal_basis: str = "",
) -> Decision:
    """Record a draft decision for the chairman to sign. Raises InvalidInput / NotAllowed /
    Conflict naming the field; nothing is written then. `legal_basis` is the law's citation and
    explanation when the decision was prepared from an assessment."""
    if kind not in DecisionKind.values:
        raise InvalidInput.for_field(
            "kind", f"Loại quyết định “{kind}” không có: chọn một trong {', '.join(DecisionKind.values)}."
        )
    if benefit not in Benefit.values:
        raise InvalidInput.for_field(
            "benefit", f"Chế độ “{benefit}” không có: chọn một trong {', '.join(Benefit.values)}."
        )
    if benefit not in MONTHLY_BENEFITS:
        raise InvalidInput.for_field(
            "benefit", "Hỗ trợ chi phí mai táng là khoản chi một lần, không lập quyết định hưởng hằng tháng."
        )
    if not can_prepare(actor):
        raise NotAllowed(
            "Chỉ công chức văn hóa - xã hội cấp xã (hoặc cán bộ cấp tỉnh) được lập quyết định.",
            fields={"actor": "Tài khoản này không được lập quyết định."},
        )
    _check_person_alive(person, kind)
    category = nfc(category)
    if category and benefit == Benefit.MONTHLY_ALLOWANCE:
        parts = category.split("+")  # cat. 4 stacks with 5, 6 or 8 (Decree 335 Art. 6): "4+6"
        if any(part not in ALLOWANCE_CATEGORIES for part in parts):
            raise InvalidInput.for_field(
                "category",
                f"Đối tượng “{category}” không có trong Điều 5 Nghị định 335/2026: chọn "
                f"{', '.join(sorted(ALLOWANCE_CATEGORIES))} (hoặc 4+6, 4+5a, …).",
            )
    if kind in (DecisionKind.GRANT, DecisionKind.ADJUST):
        if coefficient in (None, ""):
            raise InvalidInput.for_field(
                "coefficient", "Chưa nhập hệ số: quyết định trợ cấp, điều chỉnh cần hệ số."
            )
        coefficient = _parse_coefficient(coefficient)
    elif coefficient not in (None, ""):
        raise InvalidInput.for_field(
            "coefficient", f"Quyết định “{DecisionKind(kind).label}” không đặt hệ số: để trống ô hệ số."
        )
    else:
        coefficient = None
    if event_date is not None and not isinstance(event_date, dt.date):
        raise InvalidInput.for_field("event_date", "Ngày phát sinh không hợp lệ: nhập theo dạng dd/mm/yyyy.")
    if effective_month is not None:
        if kind not in (DecisionKind.SUSPEND, DecisionKind.TRANSFER):
            raise InvalidInput.for_field(
                "effective_month",
                f"Quyết định “{DecisionKind(kind).label}” có hiệu lực theo luật (Điều 8 Nghị định 335/2026): "
                "không chọn tháng hiệu lực.",
            )
        effective_month = month_start(effective_month)

    if kind == DecisionKind.TRANSFER:
        if target_commune in (None, ""):
            raise InvalidInput.for_field("target_commune", "Chưa chọn xã chuyển đến.")
        code = getattr(target_commune, "pk", target_commune)
        target_commune = Commune.objects.filter(code=str(code)).first()
        if target_commune is None:
            raise InvalidInput.for_field("target_commune", f"Mã xã chuyển đến “{code}” không tồn tại.")
    elif target_commune not in (None, ""):
        raise InvalidInput.for_field("target_commune", "Chỉ quyết định chuyển địa bàn mới có xã chuyển đến.")
    else:
        target_commune = None

    entitlement = _open_entitlement(person, benefit)
    handover = handed = None
    if kind == DecisionKind.TRANSFER and entitlement is None:
        found = pending_handover(person, benefit)
        if found is not None:
            handover, handed = found
            if handover.target_commune_id != target_commune.pk:
                raise InvalidInput.for_field(
                    "target_commune",
                    f"Hồ sơ của {person.full_name} được {handover.commune.name} chuyển đến "
                    f"{handover.target_commune.name}, không phải {target_commune.name}.",
                )
            if effective_month is not None:
                raise InvalidInput.for_field(
                    "effective_month",
                    f"Xã chuyển đến chi trả từ tháng xã cũ đã dừng ({format_month(handed.end_month)}), "
                    "theo Điều 8 Nghị định 335/2026: không chọn tháng hiệu lực.",
                )
    if kind in KIND_NEEDS_ENTITLEMENT and entitlement is None and handover is None:
        raise Conflict(
            f"{person.full_name} không đang hưởng “{Benefit(benefit).label}”: "
            f"không lập quyết định “{DecisionKind(kind).label}”.",
            fields={"benefit": "Không có chế độ đang hưởng."},
        )
    if kind == DecisionKind.SUSPEND and entitlement.suspended_from:
        raise Conflict(
            f"Chế độ đã tạm dừng từ tháng {format_month(entitlement.suspended_from)}.",
            fields={"kind": "Đã tạm dừng."},
        )
    if kind == DecisionKind.RESUME and not entitlement.suspended_from:
        raise Conflict(
            "Chế độ không bị tạm dừng: không cần quyết định tiếp tục.", fields={"kind": "Chưa tạm dừng."}
        )
    if (
        kind == DecisionKind.TRANSFER
        and entitlement is not None
        and target_commune.pk == entitlement.commune_id
    ):
        raise InvalidInput.for_field("target_commune", "Xã chuyển đến trùng với xã đang chi trả.")
    if kind == DecisionKind.STOP and event_date is None:
        event_date = person.date_of_death  # Decree 335 Art. 9(2)(a): death
        if event_date is None and not entitlement.suspended_from:
            raise InvalidInput.for_field(
                "event_date",
                "Chưa nhập ngày phát sinh (chết, không còn đủ điều kiện…): thôi hưởng từ tháng sau đó.",
            )
    if kind == DecisionKind.GRANT:
        _check_no_entitlement_for_grant(person, benefit, current_month())

    commune = _decision_commune(
        kind=kind, person=person, entitlement=entitlement, target_commune=target_commune
    )
    scope = AreaScope.for_user(actor)
    if kind == DecisionKind.TRANSFER and entitlement is not None and not scope.contains_commune(commune.pk):
        # Decree 335/2026 Art. 8: the old commune stops and hands over first.
        raise NotAllowed(
            f"{person.full_name} đang hưởng tại {commune.name}: Chủ tịch UBND {commune.name} phải quyết "
            "định dừng chi trả và chuyển hồ sơ trước (Điều 8 Nghị định 335/2026), sau đó xã chuyển đến "
            "mới tiếp nhận.",
            fields={"person": "Xã cũ chưa dừng chi trả và chuyển hồ sơ."},
        )
    if not scope.contains_commune(commune.pk):
        raise NotAllowed(
            f"{person.full_name} không thuộc địa bàn của bạn: không lập quyết định cho xã {commune.name}.",
            fields={"person": "Người này ở ngoài địa bàn của bạn."},
        )

    if entitlement is not None and coefficient is None:
        coefficient = entitlement.coefficient
        category = category or entitlement.category
    elif handed is not None:
        # The new commune continues the benefit as the old one paid it.
        coefficient = handed.coefficient
        category = category or handed.category
    # A preview at the level in force now; signing recomputes it for the effective month.
    preview_month = effective_month or current_month()
    monthly_amount = _monthly_amount(
        benefit=benefit, coefficient=coefficient, commune=commune, month=preview_month
    )

    with transaction.atomic():
        return create_audited(
            Decision,
            actor=actor,
            action="decision.prepare",
            area_code=commune.pk,
            kind=kind,
            person=person,
            commune=commune,
            benefit=benefit,
            category=category,
            coefficient=coefficient,
            monthly_amount=monthly_amount,
            event_date=event_date,
            target_commune=target_commune,
            reason=nfc(reason),
            legal_basis=nfc(legal_basis),
            effective_month=effective_month,
            prepared_by=actor,
        )


# --- sign ----------------------------------------------------------------------------------


def _effective_month(decision: Decision, entitlement: Entitlement | None, signed_month: dt.date) -> dt.date:
    kind = decision.kind
    if kind == DecisionKind.GRANT:
        return signed_month  # Decree 335/2026 Art. 8: from the month the chairman signs
    if kind == DecisionKind.ADJUST:
        # Decree 335/2026 Art. 8: from the month the conditions change
        month = month_start(decision.event_date) if decision.event_date else signed_month
        return max(month, entitlement.start_month)
    if kind == DecisionKind.STOP:
        if decision.event_date is None:
            # Decree 335/2026 Art. 9(4): no longer eligible after review → ends from the suspension date
            return max(entitlement.suspended_from, entitlement.start_month)
        # Decree 335/2026 Art. 8: stop from the month after the event
        return max(next_month(month_start(decision.event_date)), entitlement.start_month)
    if kind == DecisionKind.SUSPEND:
        month = decision.effective_month or (
            month_start(decision.event_date) if decision.event_date else signed_month
        )
        return max(month, entitlement.start_month)
    if kind == DecisionKind.RESUME:
        # Decree 335/2026 Art. 9(4): resumes from the suspension date, the gap paid as arrears
        return entitlement.suspended_from
    if kind == DecisionKind.TRANSFER:
        if decision.effective_month:
            return max(decision.effective_month, entitlement.start_month)
        # Decree 335/2026 Art. 8: the new commune pays from the month payment stopped at the old one
        from ansinh.payments.selectors import last_paid_month

        last = last_paid_month(entitlement)
        return max(next_month(last), entitlement.start_month) if last else entitlement.start_month
    raise AssertionError(kind)


def _entitlement_change(entitlement: Entitlement, *, actor, action: str, stops_from=None, **changes) -> None:
    """Set `changes` on an entitlement and audit them (the whole row before and after, under its
    commune). With `stops_from`, the entitlement no longer pays from that month: its draft
    payment lines from then on are withdrawn."""
    before = snapshot(entitlement)
    for name, value in changes.items():
        setattr(entitlement, name, value)
    entitlement.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        action=action,
        entity=entitlement,
        area_code=entitlement.commune_id,
        before=before,
        after=snapshot(entitlement),
    )
    if stops_from is not None:
        from ansinh.payments.payroll import withdraw_draft_lines

        withdraw_draft_lines(entitlement=entitlement, from_month=stops_from, actor=actor)


def _close(entitlement: Entitlement, *, end_month: dt.date, decision: Decision, actor) -> None:
    _entitlement_change(
        entitlement,
        actor=actor,
        action="entitlement.close",
        stops_from=end_month,
        end_month=end_month,
        closed_by=decision,
    )


def _open(*, decision: Decision, commune: Commune, start_month: dt.date, coefficient, category: str, actor):
    return create_audited(
        Entitlement,
        actor=actor,
        action="entitlement.open",
        area_code=commune.pk,
        person=decision.person,
        commune=commune,
        benefit=decision.benefit,
        category=category,
        coefficient=coefficient,
        start_month=start_month,
        arrears_from=start_month,  # the payroll pays every month from here not yet paid
        opened_by=decision,
    )


def _check_signing_day(
    decision: Decision, signed_on: dt.date, today: dt.date, earliest: dt.date | None = None
) -> None:
    """A chairman signing in the system signs on a day between the draft's preparation (or
    `earliest`, a dossier's receipt) and today: a day to come would put the decision in force
    later (nothing paid until then), a day before would back-date a grant and owe the months
    between as arrears (Decree 335/2026 Art. 8: in force from the month signed)."""
    prepared = earliest or (timezone.localtime(decision.created_at).date() if decision.created_at else today)
    if signed_on > today:
        raise InvalidInput.for_field(
            "signed_on",
            f"Ngày ký {signed_on:%d/%m/%Y} là ngày chưa đến: ghi ngày Chủ tịch thực tế ký (hôm nay "
            f"{today:%d/%m/%Y} hoặc trước đó).",
        )
    if signed_on < prepared:
        raise InvalidInput.for_field(
            "signed_on",
            f"Ngày ký {signed_on:%d/%m/%Y} trước ngày {'tiếp nhận hồ sơ' if earliest else 'lập dự thảo'} "
            f"({prepared:%d/%m/%Y}): quyết định có hiệu "
            "lực từ tháng ký, nên không ghi lùi ngày ký. Quyết định đã ký trên giấy trước khi dùng hệ thống "
            "thì nhập theo danh sách đối tượng đang hưởng.",
        )


def decision_sign(
    *,
    actor,
    decision: Decision,
    number: str,
    signed_on: dt.date,
    signer_name: str = "",
    today: dt.date | None = None,
    earliest: dt.date | None = None,
) -> Decision:
    """The commune chairman signs a draft; the decision takes effect on the entitlements in the
    same transaction, with audit rows. The preparer cannot sign (maker-checker). The web page and
    the API pass `today`: the signing day must then lie between the draft's preparation and
    today (_check_signing_day); history written by other code (tests, the demo) passes none."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Quyết định phải có người ký.", fields={"signed_by": "Chưa có người ký."})
    number = nfc(number)
    if not number:
        raise InvalidInput.for_field("number", "Chưa nhập số quyết định.")
    if len(number) > 50:
        raise InvalidInput.for_field("number", "Số quyết định dài quá 50 ký tự.")
    if not isinstance(signed_on, dt.date):
        raise InvalidInput.for_field("signed_on", "Ngày ký không hợp lệ: nhập theo dạng dd/mm/yyyy.")

    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update().select_related("person", "commune").get(pk=decision.pk)
        )
        if decision.status != DecisionStatus.DRAFT:
            raise Conflict(
                f"Quyết định đã ở trạng thái “{decision.get_status_display()}”: không ký lại.",
                fields={"status": "Chỉ ký được dự thảo."},
            )
        if not can_sign(actor) or actor.commune_id != decision.commune_id:
            raise NotAllowed(
                f"Chỉ Chủ tịch UBND {decision.commune.name} được ký quyết định này.",
                fields={"signed_by": "Người ký phải là Chủ tịch UBND xã của quyết định."},
            )
        if actor.pk == decision.prepared_by_id:
            raise NotAllowed(
                "Người lập quyết định không được tự ký (nguyên tắc người lập, người duyệt khác nhau).",
                fields={"signed_by": "Người ký phải khác người lập."},
            )
        if today is not None:
            _check_signing_day(decision, signed_on, today, earliest)
        if Decision.objects.filter(commune=decision.commune, number=number).exclude(pk=decision.pk).exists():
            raise Conflict(
                f"Số quyết định “{number}” đã dùng ở {decision.commune.name}.",
                fields={"number": "Số quyết định đã dùng: nhập số khác."},
            )
        person = decision.person
        if decision.benefit == Benefit.FUNERAL_SUPPORT:
            return _funeral_sign(
                actor=actor, decision=decision, number=number, signed_on=signed_on, signer_name=signer_name
            )
        _check_person_alive(person, decision.kind)
        entitlement = _open_entitlement(person, decision.benefit, lock=True)
        handed = None
        if decision.kind == DecisionKind.TRANSFER and not is_transfer_out(decision):
            found = pending_handover(person, decision.benefit)
            if entitlement is not None or found is None or found[0].target_commune_id != decision.commune_id:
                raise Conflict(
                    f"Chưa có quyết định dừng chi trả và chuyển hồ sơ của xã cũ đến {decision.commune.name} "
                    "(Điều 8 Nghị định 335/2026): không tiếp nhận được.",
                    fields={"kind": "Xã cũ chưa chuyển hồ sơ."},
                )
            handed = found[1]
        elif decision.kind in KIND_NEEDS_ENTITLEMENT and entitlement is None:
            raise Conflict(
                "Chế độ không còn đang hưởng: quyết định không áp dụng được.",
                fields={"benefit": "Không có chế độ đang hưởng."},
            )
        elif decision.kind == DecisionKind.TRANSFER and entitlement.commune_id != decision.commune_id:
            raise Conflict(
                f"Chế độ đang do {entitlement.commune.name} chi trả: chỉ xã đó dừng và chuyển hồ sơ.",
                fields={"kind": "Không phải xã đang chi trả."},
            )
        if decision.kind == DecisionKind.SUSPEND and entitlement.suspended_from:
            raise Conflict("Chế độ đã tạm dừng.", fields={"kind": "Đã tạm dừng."})
        if decision.kind == DecisionKind.RESUME and not entitlement.suspended_from:
            raise Conflict("Chế độ không bị tạm dừng.", fields={"kind": "Chưa tạm dừng."})
        if (
            decision.kind == DecisionKind.STOP
            and decision.event_date is None
            and not entitlement.suspended_from
        ):
            raise InvalidInput.for_field("event_date", "Chưa có ngày phát sinh để tính tháng thôi hưởng.")

        signed_month = month_start(signed_on)
        if decision.kind == DecisionKind.GRANT:
            _check_no_entitlement_for_grant(person, decision.benefit, signed_month)
        if handed is not None:
            # Decree 335/2026 Art. 8: from the month payment stopped at the old place.
            effective = handed.end_month
        else:
            effective = _effective_month(decision, entitlement, signed_month)
        before = snapshot(decision)

        if decision.kind == DecisionKind.GRANT:
            _open(
                decision=decision,
                commune=decision.commune,
                start_month=effective,
                coefficient=decision.coefficient,
                category=decision.category,
                actor=actor,
            )
        elif decision.kind == DecisionKind.TRANSFER and handed is None:
            # Step 1: the old commune stops payment and hands the dossier over.
            _close(entitlement, end_month=effective, decision=decision, actor=actor)
        elif decision.kind in (DecisionKind.ADJUST, DecisionKind.TRANSFER):
            source = entitlement if handed is None else handed
            suspended_from = source.suspended_from
            if handed is None:
                _close(entitlement, end_month=effective, decision=decision, actor=actor)
            new = _open(
                decision=decision,
                commune=decision.commune,
                start_month=effective,
                coefficient=decision.coefficient,
                category=decision.category,
                actor=actor,
            )
            if suspended_from:
                # A suspension carries over: it ends only by a resume or a stop decision.
                new.suspended_from = max(suspended_from, effective)
                new.save(update_fields=["suspended_from"])
            if decision.kind == DecisionKind.TRANSFER and person.commune_id != decision.commune_id:
                person_before = snapshot(person, ["commune_id", "village_id"])
                person.commune = decision.commune
                person.village = None
                person.save(update_fields=["commune", "village", "updated_at"])
                audit_record(
                    actor=actor,
                    action="person.transfer",
                    entity=person,
                    area_code=decision.commune_id,
                    before=person_before,
                    after=snapshot(person, ["commune_id", "village_id"]),
                )
        elif decision.kind == DecisionKind.STOP:
            _close(entitlement, end_month=effective, decision=decision, actor=actor)
        elif decision.kind == DecisionKind.SUSPEND:
            _entitlement_change(
                entitlement,
                actor=actor,
                action="entitlement.suspend",
                stops_from=effective,
                suspended_from=effective,
            )
        elif decision.kind == DecisionKind.RESUME:
            # The months since the suspension have no payment line: the next payroll pays them
            # as arrears (Decree 335/2026 Art. 9(4)).
            _entitlement_change(
                entitlement,
                actor=actor,
                action="entitlement.resume",
                suspended_from=None,
                arrears_from=min(entitlement.arrears_from or effective, effective),
            )

        decision.monthly_amount = _monthly_amount(
            benefit=decision.benefit,
            coefficient=decision.coefficient,
            commune=decision.commune,
            month=effective,
        )
        _mark_signed(
            decision,
            actor=actor,
            number=number,
            signed_on=signed_on,
            signer_name=signer_name,
            effective=effective,
            before=before,
            note=f"Hiệu lực từ tháng {format_month(effective)}; {format_vnd(decision.monthly_amount)}/tháng",
        )
    return decision


def _mark_signed(decision, *, actor, number, signed_on, signer_name, effective, before, note) -> None:
    decision.number = number
    decision.signed_on = signed_on
    decision.signed_by = actor
    decision.signer_name = nfc(signer_name) or actor.get_full_name() or actor.username
    decision.effective_month = effective
    decision.status = DecisionStatus.SIGNED
    decision.save()
    audit_record(
        actor=actor,
        action="decision.sign",
        entity=decision,
        area_code=decision.commune_id,
        before=before,
        after=snapshot(decision),
        note=note,
    )


def decision_cancel(*, actor, decision: Decision, reason: str = "") -> Decision:
    """Cancel a draft. A signed decision is never cancelled: a new decision changes it."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.status != DecisionStatus.DRAFT:
            raise Conflict(
                "Chỉ hủy được dự thảo; quyết định đã ký chỉ thay đổi bằng một quyết định mới.",
                fields={"status": "Không phải dự thảo."},
            )
        if not AreaScope.for_user(actor).contains_commune(decision.commune_id) or not (
            can_prepare(actor) or can_sign(actor)
        ):
            raise NotAllowed("Bạn không được hủy quyết định của xã này.", fields={"actor": "Ngoài địa bàn."})
        before = snapshot(decision)
        decision.status = DecisionStatus.CANCELLED
        if reason:
            decision.reason = (decision.reason + "\n" if decision.reason else "") + "Hủy: " + nfc(reason)
        decision.save(update_fields=["status", "reason"])
        audit_record(
            actor=actor,
            action="decision.cancel",
            entity=decision,
            area_code=decision.commune_id,
            before=before,
            after=snapshot(decision),
        )
    return decision


# --- funeral support (one-off) -----------------------------------------------------------


def _funeral_clash(person, exclude_pk=None) -> bool:
    qs = Decision.objects.filter(person=person, benefit=Benefit.FUNERAL_SUPPORT).exclude(
        status=DecisionStatus.CANCELLED
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def funeral_decision_prepare(
    *, actor, person, amount: int, reason: str = "", legal_basis: str = ""
) -> Decision:
    """A draft one-off funeral-support grant (Decree 335/2026 Art. 11) for a person recorded as
    dead; `amount` in đồng comes from the law (at least 20 × the standard level)."""
    if not can_prepare(actor):
        raise NotAllowed(
            "Chỉ công chức văn hóa - xã hội cấp xã được lập quyết định.",
            fields={"actor": "Tài khoản này không được lập quyết định."},
        )
    if person.date_of_death is None:
        raise InvalidInput.for_field(
            "person",
            f"{person.full_name} còn sống theo cơ sở dữ liệu: không hỗ trợ chi phí mai táng. "
            "Nếu người này đã chết, ghi nhận ngày mất trước.",
        )
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidInput.for_field("one_off_amount", "Số tiền hỗ trợ mai táng phải là số đồng lớn hơn 0.")
    if not AreaScope.for_user(actor).contains_commune(person.commune_id):
        raise NotAllowed(
            f"{person.full_name} không thuộc địa bàn của bạn.", fields={"person": "Ngoài địa bàn."}
        )
    if _funeral_clash(person):
        raise Conflict(
            f"Đã có quyết định hỗ trợ chi phí mai táng cho {person.full_name}: chỉ hỗ trợ một lần.",
            fields={"benefit": "Đã hỗ trợ mai táng."},
        )
    with transaction.atomic():
        return create_audited(
            Decision,
            actor=actor,
            action="decision.prepare",
            area_code=person.commune_id,
            kind=DecisionKind.GRANT,
            person=person,
            commune=person.commune,
            benefit=Benefit.FUNERAL_SUPPORT,
            one_off_amount=amount,
            event_date=person.date_of_death,
            reason=nfc(reason),
            legal_basis=nfc(legal_basis),
            prepared_by=actor,
        )


def _funeral_sign(
    *, actor, decision: Decision, number: str, signed_on: dt.date, signer_name: str
) -> Decision:
    # Runs inside decision_sign's transaction, on the locked draft, after the signer checks.
    if decision.person.date_of_death is None:
        raise InvalidInput.for_field(
            "person", f"{decision.person.full_name} còn sống: không hỗ trợ mai táng."
        )
    if (
        _funeral_clash(decision.person, exclude_pk=decision.pk)
        and Decision.objects.filter(
            person=decision.person, benefit=Benefit.FUNERAL_SUPPORT, status=DecisionStatus.SIGNED
        ).exists()
    ):
        raise Conflict("Đã hỗ trợ chi phí mai táng cho người này.", fields={"benefit": "Đã hỗ trợ."})
    _mark_signed(
        decision,
        actor=actor,
        number=number,
        signed_on=signed_on,
        signer_name=signer_name,
        effective=month_start(signed_on),
        before=snapshot(decision),
        note=f"Hỗ trợ mai táng một lần {format_vnd(decision.one_off_amount)}",
    )
    return decision


# --- life events -------------------------------------------------------------------------


def death_stop_prepare(*, actor, person) -> list[Decision]:
    """A death recorded in the registry: a stop draft for each benefit still paid, taking effect
    from the month after the death (Decree 335/2026 Art. 8, Art. 9(2)(a)). Benefits that already
    have a stop draft are left alone, so calling it twice writes nothing more."""
    if person.date_of_death is None:
        raise InvalidInput.for_field(
            "date_of_death",
            f"Chưa ghi nhận ngày mất của {person.full_name}: không lập quyết định thôi hưởng.",
        )
    open_benefits = Entitlement.objects.filter(person=person, end_month__isnull=True).values_list(
        "benefit", flat=True
    )
    drafted = set(
        Decision.objects.filter(
            person=person, kind=DecisionKind.STOP, status=DecisionStatus.DRAFT
        ).values_list("benefit", flat=True)
    )
    drafts = []
    with transaction.atomic():
        for benefit in sorted(set(open_benefits) - drafted):
            drafts.append(
                decision_prepare(
                    actor=actor,
                    person=person,
                    kind=DecisionKind.STOP,
                    benefit=benefit,
                    event_date=person.date_of_death,
                    reason=f"Đối tượng chết ngày {person.date_of_death:%d/%m/%Y}: thôi hưởng từ tháng sau.",
                )
            )
    return drafts


def suspension_prepare(*, actor, person, benefit: str, from_month: dt.date, reason: str = "") -> Decision:
    """A suspension draft (Decree 335/2026 Art. 9(1)(a): payments not collected for three or more
    consecutive months), from the first month not collected."""
    return decision_prepare(
        actor=actor,
        person=person,
        kind=DecisionKind.SUSPEND,
        benefit=benefit,
        effective_month=from_month,
        reason=reason
        or "Không nhận tiền trợ cấp từ 3 tháng liên tục trở lên (Điều 9 khoản 1 Nghị định 335/2026).",
    )


REVIEW_OUTCOMES = {"resume": DecisionKind.RESUME, "stop": DecisionKind.STOP}


def suspension_review_prepare(*, actor, person, benefit: str, outcome: str, reason: str = "") -> Decision:
    """After reviewing a suspended case (Decree 335/2026 Art. 9(4)): conditions unchanged → resume
    from the suspension date, the months in between paid as arrears; no longer eligible → stop
    from the suspension date."""
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput.for_field(
            "outcome", "Kết quả xem xét phải là “resume” (tiếp tục hưởng) hoặc “stop” (thôi hưởng)."
        )
    entitlement = _open_entitlement(person, benefit)
    if entitlement is None or entitlement.suspended_from is None:
        raise Conflict(
            f"{person.full_name} không bị tạm dừng “{Benefit(benefit).label}”: không có gì để xem xét.",
            fields={"benefit": "Chế độ không bị tạm dừng."},
        )
    if not reason:
        reason = (
            "Xem xét lại: điều kiện không thay đổi, tiếp tục hưởng từ ngày tạm dừng, truy lĩnh các tháng bị dừng."
            if outcome == "resume"
            else "Xem xét lại: không còn đủ điều kiện, thôi hưởng từ ngày tạm dừng."
        )
    # A stop without an event date ends from the suspension date (see _effective_month).
    return decision_prepare(
        actor=actor, person=person, kind=REVIEW_OUTCOMES[outcome], benefit=benefit, reason=reason
    )


def suspension_from_proposal(*, actor, proposal) -> list[Decision]:
    """Turn the payments side's SuspensionProposal (three or more months not collected, raised
    by reconciliation) into suspension drafts from its first uncollected month, one per benefit
    still paid, and mark the proposal decided, in one transaction."""
    from ansinh.payments.models import SuspensionProposal, SuspensionProposalStatus

    with transaction.atomic():
        proposal = (
            SuspensionProposal.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=proposal.pk)
        )
        if proposal.status != SuspensionProposalStatus.PROPOSED:
            raise Conflict(
                f"Đề xuất tạm dừng đã ở trạng thái “{proposal.get_status_display()}”.",
                fields={"status": "Đề xuất đã được xử lý."},
            )
        benefits = sorted(
            set(
                Entitlement.objects.filter(
                    person=proposal.person, end_month__isnull=True, suspended_from__isnull=True
                ).values_list("benefit", flat=True)
            )
        )
        if not benefits:
            raise Conflict(
                f"{proposal.person.full_name} không còn chế độ đang chi trả: không tạm dừng.",
                fields={"benefit": "Không có chế độ đang chi trả."},
            )
        reason = (
            f"Không nhận tiền từ tháng {format_month(proposal.first_month)} đến tháng "
            f"{format_month(proposal.last_month)} ({format_vnd(proposal.uncollected_amount)}): tạm dừng theo "
            "Điều 9 khoản 1 điểm a Nghị định 335/2026."
        )
        drafts = [
            suspension_prepare(
                actor=actor,
                person=proposal.person,
                benefit=benefit,
                from_month=proposal.first_month,
                reason=reason,
            )
            for benefit in benefits
        ]
        before = snapshot(proposal, ["status"])
        proposal.status = SuspensionProposalStatus.DECIDED
        proposal.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="suspension_proposal.decide",
            entity=proposal,
            area_code=proposal.commune_id,
            before=before,
            after=snapshot(proposal, ["status"]),
            note=", ".join(str(d.pk) for d in drafts),
        )
    return drafts
