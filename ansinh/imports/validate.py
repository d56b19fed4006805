"""Validate one data row into normalised values and errors (no database writes).

Each error names the column as the file writes it, the value found and the fix:
    Cột «Ngày sinh», giá trị «31/02/1950»: ngày 31/02/1950 không có thật: …
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from ansinh.areas.services import address_resolve
from ansinh.core.text import nfc
from ansinh.imports.headers import FIELD_LABELS
from ansinh.imports.models import ImportKind
from ansinh.imports.normalize import (
    CellError,
    clean_amount,
    clean_benefit,
    clean_category,
    clean_coefficient,
    clean_disability_level,
    clean_disability_type,
    clean_name,
    clean_personal_id,
    clean_phone,
    clean_poverty_status,
    clean_relationship,
    clean_sex,
    clean_year,
    fold,
    parse_date,
    parse_full_date,
    parse_month,
    text_of,
)

# Columns a file of each kind must have, beyond the person's name and date of birth; each entry is
# a set of alternatives.
REQUIRED_COLUMNS = {
    ImportKind.PERSONS: [],
    ImportKind.HOUSEHOLDS: [{"household_code", "head_name"}],
    ImportKind.POVERTY: [{"poverty_status"}, {"poverty_year"}],
    ImportKind.DISABILITIES: [{"disability_type"}, {"disability_level"}, {"determined_on"}],
    ImportKind.BENEFICIARIES: [{"coefficient"}, {"start_month"}],
}
BASE_REQUIRED = [{"full_name"}, {"birth_date", "birth_year"}]


def missing_columns(kind: str, mapping: dict) -> list[str]:
    """The Vietnamese names of required columns the mapping lacks."""
    missing = []
    for alternatives in BASE_REQUIRED + REQUIRED_COLUMNS[kind]:
        if not alternatives & set(mapping):
            missing.append(" hoặc ".join(f"«{FIELD_LABELS[f]}»" for f in sorted(alternatives)))
    return missing


@dataclass
class Context:
    kind: str
    mapping: dict  # field → header label
    scope: object | None  # AreaScope, or None when no actor is given (validation only)
    default_commune: str = ""  # a commune officer's own commune, for files without an address
    default_province: str = ""  # the officer's province name, to read addresses without one
    today: dt.date = field(default_factory=timezone.localdate)
    communes: dict = field(default_factory=dict)  # code → (name, province code), all of today's
    _resolved: dict = field(default_factory=dict)

    def resolve(self, province: str, district: str, commune: str):
        # Cached by the texts as written: a list names a few hundred communes, 100,000 times.
        key = (province, district, commune)
        result = self._resolved.get(key)
        if result is None:
            result = self._resolved[key] = address_resolve(
                province=province, district=district, commune=commune
            )
        return result

    def in_scope(self, code: str) -> bool:
        # The same rule as AreaScope.contains_commune, answered from memory (one file may name
        # thousands of communes).
        if self.scope is None or self.scope.is_country:
            return True
        if self.scope.level == "commune":
            return code == self.scope.commune_code
        if self.scope.level == "province":
            return self.communes.get(code, ("", ""))[1] == self.scope.province_code
        return False


def message(column: str, value: str, reason: str) -> str:
    if value == "":
        return f"Cột «{column}» để trống: {reason}"
    return f"Cột «{column}», giá trị «{value}»: {reason}"


@dataclass
class RowResult:
    values: dict
    errors: list
    key: str = ""
    person_key: str = ""


# Parts of a free-text address: 'Thôn 3, Xã Phúc Thịnh, Huyện Quỳnh Lưu, Tỉnh Nghệ An'.
_ADDRESS_PART = [
    (re.compile(r"^(tinh|thanh pho|tp)\b"), "province"),
    (re.compile(r"^(huyen|quan|thi xa|h\.|q\.|tx)\b"), "district"),
    (re.compile(r"^(xa|phuong|thi tran|dac khu|x\.|p\.|tt)\b"), "commune"),
    (re.compile(r"^(thon|to|xom|ap|ban|khu pho|khom|so nha)\b"), "village"),
]


def split_address(text: str) -> dict:
    parts = [p.strip() for p in nfc(text).split(",") if p.strip()]
    found: dict[str, str] = {}
    for part in parts:
        folded = fold(part)
        for pattern, name in _ADDRESS_PART:
            if pattern.match(folded) and name not in found:
                found[name] = part
                break
    # A trailing part without a prefix is usually the province ('…, Nghệ An').
    if "province" not in found and len(parts) >= 3 and parts[-1] not in found.values():
        found["province"] = parts[-1]
    return found


def _month_before(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def validate_row(cells: dict, ctx: Context) -> RowResult:
    """`cells`: {field: raw cell value}. Returns normalised values and the errors."""
    values: dict = {}
    errors: list = []

    def label(name: str) -> str:
        return ctx.mapping.get(name) or FIELD_LABELS[name]

    def fail(name: str, reason: str, raw=None) -> None:
        shown = text_of(cells.get(name) if raw is None else raw)
        errors.append({"column": label(name), "value": shown, "message": message(label(name), shown, reason)})

    def take(name: str, cleaner, **kwargs):
        try:
            return cleaner(cells.get(name), **kwargs)
        except CellError as exc:
            fail(name, exc.reason)
            return None

    name = take("full_name", clean_name)
    values["full_name"] = name
    # Date of birth: the date column, else the year column.
    has_date = text_of(cells.get("birth_date")) != ""
    birth_field = "birth_date" if has_date or "birth_year" not in ctx.mapping else "birth_year"
    birth = take(birth_field, parse_date, today=ctx.today)
    if birth is not None:
        values.update({"birth_year": birth.year, "birth_month": birth.month, "birth_day": birth.day})
    sex = None
    if text_of(cells.get("sex")):
        sex = take("sex", clean_sex)
    pid = None
    if text_of(cells.get("personal_id")):
        pid = take(
            "personal_id",
            clean_personal_id,
            birth_year=birth.year if birth else None,
            sex=sex,
            today=ctx.today,
        )
    values["personal_id"] = pid
    if sex is None and pid:
        sex = "M" if int(pid[3]) % 2 == 0 else "F"  # Circular 59/2021 Art. 7(2): even digit = male
    if sex is None and not text_of(cells.get("sex")):
        fail("sex", "chưa có giới tính: ghi “Nam” hoặc “Nữ” (hoặc ghi số định danh để lấy giới tính từ đó).")
    values["sex"] = sex
    values["ethnicity"] = text_of(cells.get("ethnicity"))[:50] or "Kinh"
    values["phone"] = take("phone", clean_phone) or ""
    values["address"] = text_of(cells.get("address"))[:255]

    _validate_place(cells, ctx, values, fail)

    kind = ctx.kind
    suffix = ""
    if kind == ImportKind.BENEFICIARIES:
        values["benefit"] = take("benefit", clean_benefit)
        category = take("category", clean_category)
        values["category"] = category or ""
        if values["benefit"] == "monthly_allowance" and category == "" and "category" in cells:
            fail(
                "category",
                "chưa ghi nhóm đối tượng hưởng trợ cấp xã hội hằng tháng: ghi mã nhóm, ví dụ “5a”.",
            )
        coefficient = take("coefficient", clean_coefficient)
        values["coefficient"] = str(coefficient) if coefficient is not None else None
        values["amount"] = take("amount", clean_amount)
        month = take("start_month", parse_month, today=ctx.today)
        values["start_month"] = month.isoformat() if month else None
        values["decision_number"] = text_of(cells.get("decision_number"))[:50]
        # The paper decision (signed before the system): its date and signer, as the list says.
        signed_on = None
        if text_of(cells.get("decision_date")):
            signed_on = take("decision_date", parse_full_date, what="ngày quyết định", today=ctx.today)
        values["decision_date"] = signed_on.isoformat() if signed_on else None
        values["decision_signer"] = (
            clean_name(cells.get("decision_signer")) if text_of(cells.get("decision_signer")) else ""
        )
        # The last month paid outside the system: the payroll owes the months after it.
        paid = None
        if text_of(cells.get("paid_through")):
            paid = take("paid_through", parse_month, today=ctx.today)
            if paid is not None and month is not None and paid < _month_before(month):
                fail(
                    "paid_through",
                    f"tháng đã chi trả ({paid:%m/%Y}) ở trước tháng bắt đầu hưởng ({month:%m/%Y}): "
                    "ghi tháng cuối cùng đã chi trả, hoặc để trống nếu chưa chi trả tháng nào.",
                )
                paid = None
        values["paid_through"] = paid.isoformat() if paid else None
        suffix = f"|{values['benefit']}"
    elif kind == ImportKind.POVERTY:
        values["poverty_status"] = take("poverty_status", clean_poverty_status)
        values["poverty_year"] = take("poverty_year", clean_year, today=ctx.today)
        values["certificate_number"] = text_of(cells.get("certificate_number"))[:50]
        suffix = f"|{values['poverty_year']}"
    elif kind == ImportKind.DISABILITIES:
        values["disability_type"] = take("disability_type", clean_disability_type)
        values["disability_level"] = take("disability_level", clean_disability_level)
        determined = take("determined_on", parse_full_date, what="ngày xác định", today=ctx.today)
        if determined is not None and birth is not None and determined < birth.earliest():
            fail("determined_on", f"ngày xác định ở trước ngày sinh ({birth.display()}): kiểm tra lại.")
            determined = None
        values["determined_on"] = determined.isoformat() if determined else None
        values["certificate_number"] = text_of(cells.get("certificate_number"))[:50]
        suffix = f"|{values['determined_on']}|{values['disability_type']}"
    elif kind == ImportKind.HOUSEHOLDS:
        code = text_of(cells.get("household_code"))[:30]
        head_name = text_of(cells.get("head_name"))
        relationship = clean_relationship(cells.get("relationship"))
        if not relationship and name and head_name and fold(name) == fold(head_name):
            relationship = "head"
        if not code and not head_name:
            column = "household_code" if "household_code" in ctx.mapping else "head_name"
            fail(column, "chưa ghi mã hộ hoặc họ tên chủ hộ: ghi để biết người này thuộc hộ nào.")
        if not relationship:
            fail("relationship", "chưa ghi quan hệ với chủ hộ: ghi “Chủ hộ”, “Vợ”, “Con”, … ")
        values.update(household_code=code, head_name=head_name, relationship=relationship)
        head_key = fold(head_name) or (fold(name) if relationship == "head" else "")
        values["household_key"] = f"{values.get('commune') or ''}|{code.lower() or head_key}"

    person_key = ""
    if pid:
        person_key = pid
    elif name and birth and values.get("commune"):
        person_key = f"{fold(name)}|{birth.display()}|{values['commune']}"
    values["person_key"] = person_key
    return RowResult(
        values=values, errors=errors, key=(person_key + suffix) if person_key else "", person_key=person_key
    )


_COMMUNE_CODE = re.compile(r"\d{4,5}")


def _validate_place(cells: dict, ctx: Context, values: dict, fail) -> None:
    commune_text = text_of(cells.get("commune"))
    district_text = text_of(cells.get("district"))
    province_text = text_of(cells.get("province"))
    village_text = text_of(cells.get("village"))
    column = "commune"
    if not commune_text and text_of(cells.get("address")):
        parts = split_address(text_of(cells.get("address")))
        if parts.get("commune"):
            commune_text = parts["commune"]
            district_text = district_text or parts.get("district", "")
            province_text = province_text or parts.get("province", "")
            village_text = village_text or parts.get("village", "")
            column = "address"
    values["village_name"] = " ".join(nfc(village_text).split())[:100]
    code = ""
    if commune_text:
        if _COMMUNE_CODE.fullmatch(commune_text):
            code = commune_text.zfill(5)
            result = None
            if code not in ctx.communes:
                fail(column, "không có xã/phường mang mã này: ghi tên xã hoặc mã xã 5 chữ số hiện nay.")
                values["commune"] = None
                return
        else:
            result = ctx.resolve(province_text or ctx.default_province, district_text, commune_text)
        if result is not None:
            if result.status == "resolved":
                code = result.commune.code
            else:
                shown = commune_text if column == "commune" else text_of(cells.get("address"))
                fail(column, result.message, raw=shown)
                values["commune"] = None
                return
    elif ctx.default_commune:
        code = ctx.default_commune
    else:
        fail(column, "chưa có xã/phường: ghi tên xã, phường hiện nay (hoặc xã, huyện, tỉnh theo địa chỉ cũ).")
        values["commune"] = None
        return
    if not ctx.in_scope(code):
        name = ctx.communes.get(code, (f"mã {code}", ""))[0]
        shown = commune_text if column == "commune" else text_of(cells.get("address"))
        fail(
            column,
            f"{name} (mã {code}) ngoài địa bàn quản lý của tài khoản: chỉ nhập người thuộc địa bàn được giao, "
            "hoặc chuyển dòng này cho cán bộ của xã đó.",
            raw=shown,
        )
        values["commune"] = None
        return
    values["commune"] = code
