"""Provincial policies as data: a province's higher standard level, its social-pension level
(top-up), and extra beneficiary categories, declared in YAML files (ansinh/law/provinces/*.yaml).

Decree 335/2026 Art. 4 and Law 41/2024 Art. 22 let a province set a higher standard level, add
categories and top up the social pension from its own budget. The files are validated when loaded
(at start-up, see ansinh.assessment.apps); every error is in Vietnamese and names the file and the
field. Directory: the env var ANSINH_LAW_PROVINCES_DIR, else the folder shipped with the package.

Which policies drive money is configuration, not data: ANSINH_PROVINCIAL_POLICIES (Django setting,
or the environment variable outside Django) names the files or policy ids in force. A policy marked
`to_confirm: true` never drives money unless it is named there (see applied_policies).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from ansinh.law.arith import x100_from_text

PROVINCES_DIR = Path(__file__).parent / "provinces"

KINDS = ("standard_level", "social_pension_level", "extra_category")
FILE_KEYS = {"province_code", "province_name", "policies", "note"}
POLICY_KEYS = {
    "id",
    "kind",
    "title",
    "valid_from",
    "valid_to",
    "to_confirm",
    "confirm_note",
    "legal_basis",
    "source",
    "amount",
    "conditions",
    "coefficient",
    "base",
}
REQUIRED = {
    "standard_level": {"id", "kind", "title", "valid_from", "legal_basis", "amount"},
    "social_pension_level": {"id", "kind", "title", "valid_from", "legal_basis", "amount"},
    "extra_category": {
        "id",
        "kind",
        "title",
        "valid_from",
        "legal_basis",
        "conditions",
        "coefficient",
        "base",
    },
}
LEGAL_BASIS_KEYS = {"document", "article", "clause", "point"}
CONDITION_KEYS = {
    "age_min",
    "age_below",
    "no_pension",
    "no_monthly_allowance",
    "poverty_status",
    "especially_difficult_area",
}
POVERTY_VALUES = {"poor", "near_poor", "none"}
BASES = {"national_standard_level", "standard_level"}


class ProvincePolicyError(ValueError):
    """A provincial policy file is invalid; `field` is the dotted path of the wrong value."""

    def __init__(self, path: str, field: str, message: str):
        self.path = path
        self.field = field
        self.message = message
        super().__init__(f"{path}: {field}: {message}")


@dataclass(frozen=True)
class ProvincePolicy:
    id: str
    province_code: str
    province_name: str
    kind: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive
    to_confirm: bool
    confirm_note: str
    legal_basis: dict
    amount: int | None = None
    conditions: dict = field(default_factory=dict)
    coefficient_x100: int | None = None
    base: str = "national_standard_level"
    source_file: str = ""  # the file's name without .yaml ("ha_noi"), as named in the configuration

    def in_force(self, month: dt.date) -> bool:
        return self.valid_from <= month and (self.valid_to is None or month < self.valid_to)


@dataclass(frozen=True)
class ProvincePolicies:
    policies: tuple[ProvincePolicy, ...] = ()

    @classmethod
    def empty(cls) -> ProvincePolicies:
        return cls(())

    def in_force(self, month: dt.date, kind: str | None = None) -> list[ProvincePolicy]:
        return [p for p in self.policies if p.in_force(month) and (kind is None or p.kind == kind)]

    def levels(self, month: dt.date, kind: str) -> dict[str, ProvincePolicy]:
        """Province code → the policy setting that level in `month` (the highest if several)."""
        chosen: dict[str, ProvincePolicy] = {}
        for policy in self.in_force(month, kind):
            current = chosen.get(policy.province_code)
            if current is None or policy.amount > current.amount:
                chosen[policy.province_code] = policy
        return chosen

    def level_periods(self):
        from ansinh.law.levels import LevelPeriod

        kinds = {"standard_level": "standard", "social_pension_level": "social_pension"}
        periods = []
        for policy in self.policies:
            if policy.kind not in kinds:
                continue
            basis = format_legal_basis(policy.legal_basis)
            if policy.to_confirm:
                basis += " (CẦN XÁC NHẬN)"
            periods.append(
                LevelPeriod(
                    kind=kinds[policy.kind],
                    province_code=policy.province_code,
                    valid_from=policy.valid_from,
                    valid_to=policy.valid_to,
                    amount=policy.amount,
                    legal_basis=basis,
                )
            )
        return periods


def format_legal_basis(basis: dict) -> str:
    parts = []
    if basis.get("article"):
        parts.append(f"Điều {basis['article']}")
    if basis.get("clause"):
        parts.append(f"khoản {basis['clause']}")
    if basis.get("point"):
        parts.append(f"điểm {basis['point']}")
    text = " ".join(parts)
    return f"{text}, {basis.get('document', '')}" if text else basis.get("document", "")


def _date(path: str, field: str, value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ProvincePolicyError(
            path, field, f"Ngày không hợp lệ: {value!r}. Ghi theo dạng 2026-07-01."
        ) from None


def _parse_policy(path: str, index: int, raw, code: str, name: str, seen: set) -> ProvincePolicy:
    where = f"policies[{index}]"
    if not isinstance(raw, dict):
        raise ProvincePolicyError(path, where, "Mỗi chính sách phải là một bảng khoá: giá trị.")
    unknown = sorted(set(raw) - POLICY_KEYS)
    if unknown:
        raise ProvincePolicyError(
            path,
            f"{where}.{unknown[0]}",
            f"Khoá không được hỗ trợ: {unknown[0]!r}. Các khoá hợp lệ: {', '.join(sorted(POLICY_KEYS))}.",
        )
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ProvincePolicyError(
            path,
            f"{where}.kind",
            f"Loại chính sách không hợp lệ: {kind!r}. Chọn một trong: {', '.join(KINDS)}.",
        )
    missing = sorted(REQUIRED[kind] - set(raw))
    if missing:
        raise ProvincePolicyError(
            path, f"{where}.{missing[0]}", f"Thiếu khoá bắt buộc {missing[0]!r} cho loại {kind}."
        )
    policy_id = str(raw["id"])
    if policy_id in seen:
        raise ProvincePolicyError(path, f"{where}.id", f"Mã chính sách {policy_id!r} bị trùng.")
    seen.add(policy_id)
    valid_from = _date(path, f"{where}.valid_from", raw["valid_from"])
    valid_to = _date(path, f"{where}.valid_to", raw["valid_to"]) if raw.get("valid_to") is not None else None
    if valid_from.day != 1:
        raise ProvincePolicyError(
            path, f"{where}.valid_from", "Ngày bắt đầu phải là ngày 1 của tháng (chế độ tính theo tháng)."
        )
    if valid_to is not None and (valid_to.day != 1 or valid_to <= valid_from):
        raise ProvincePolicyError(
            path,
            f"{where}.valid_to",
            "Ngày kết thúc (không tính) phải là ngày 1 của một tháng sau ngày bắt đầu.",
        )
    basis = raw["legal_basis"]
    if not isinstance(basis, dict) or not basis.get("document"):
        raise ProvincePolicyError(
            path, f"{where}.legal_basis.document", "Phải ghi văn bản làm căn cứ (document)."
        )
    unknown = sorted(set(basis) - LEGAL_BASIS_KEYS)
    if unknown:
        raise ProvincePolicyError(
            path, f"{where}.legal_basis.{unknown[0]}", f"Khoá không được hỗ trợ: {unknown[0]!r}."
        )
    to_confirm = raw.get("to_confirm", False)
    if not isinstance(to_confirm, bool):
        raise ProvincePolicyError(path, f"{where}.to_confirm", "Giá trị phải là true hoặc false.")
    values = {
        "id": policy_id,
        "province_code": code,
        "province_name": name,
        "kind": kind,
        "title": str(raw["title"]),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "to_confirm": to_confirm,
        "confirm_note": str(raw.get("confirm_note") or ""),
        "legal_basis": {k: str(v) for k, v in basis.items()},
    }
    if kind in ("standard_level", "social_pension_level"):
        amount = raw["amount"]
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ProvincePolicyError(
                path, f"{where}.amount", f"Số tiền phải là số nguyên đồng, ví dụ 650000 (đang là {amount!r})."
            )
        if amount <= 0:
            raise ProvincePolicyError(
                path, f"{where}.amount", f"Số tiền không được âm hoặc bằng 0 (đang là {amount})."
            )
        values["amount"] = amount
    else:
        values["conditions"] = _parse_conditions(path, f"{where}.conditions", raw["conditions"])
        try:
            values["coefficient_x100"] = x100_from_text(raw["coefficient"])
        except (ValueError, ArithmeticError) as error:
            message = (
                str(error)
                if isinstance(error, ValueError) and str(error).startswith("hệ số")
                else "không đọc được"
            )
            raise ProvincePolicyError(
                path,
                f"{where}.coefficient",
                f'Hệ số {raw["coefficient"]!r} không hợp lệ: {message}. Ghi dạng chuỗi, ví dụ "0.5".',
            ) from None
        if values["coefficient_x100"] == 0:
            raise ProvincePolicyError(path, f"{where}.coefficient", "Hệ số phải lớn hơn 0.")
        if raw["base"] not in BASES:
            raise ProvincePolicyError(
                path,
                f"{where}.base",
                f"Mức làm cơ sở không hợp lệ: {raw['base']!r}. Chọn: {', '.join(sorted(BASES))}.",
            )
        values["base"] = raw["base"]
    return ProvincePolicy(**values)


def _parse_conditions(path: str, where: str, raw) -> dict:
    if not isinstance(raw, dict) or not raw:
        raise ProvincePolicyError(path, where, "Phải ghi ít nhất một điều kiện.")
    unknown = sorted(set(raw) - CONDITION_KEYS)
    if unknown:
        raise ProvincePolicyError(
            path,
            f"{where}.{unknown[0]}",
            f"Điều kiện không được hỗ trợ: {unknown[0]!r}. Các điều kiện hợp lệ: {', '.join(sorted(CONDITION_KEYS))}.",
        )
    for key in ("age_min", "age_below"):
        if key in raw and (isinstance(raw[key], bool) or not isinstance(raw[key], int) or raw[key] < 0):
            raise ProvincePolicyError(
                path, f"{where}.{key}", f"Tuổi phải là số nguyên không âm (đang là {raw[key]!r})."
            )
    if "age_min" in raw and "age_below" in raw and raw["age_below"] <= raw["age_min"]:
        raise ProvincePolicyError(path, f"{where}.age_below", "Tuổi 'dưới' phải lớn hơn tuổi 'từ đủ'.")
    for key in ("no_pension", "no_monthly_allowance", "especially_difficult_area"):
        if key in raw and not isinstance(raw[key], bool):
            raise ProvincePolicyError(path, f"{where}.{key}", "Giá trị phải là true hoặc false.")
    if "poverty_status" in raw:
        statuses = raw["poverty_status"]
        if not isinstance(statuses, list) or not statuses or set(statuses) - POVERTY_VALUES:
            raise ProvincePolicyError(
                path,
                f"{where}.poverty_status",
                f"Phải là danh sách gồm: {', '.join(sorted(POVERTY_VALUES))}.",
            )
    return dict(raw)


def load_policy_file(path: Path) -> list[ProvincePolicy]:
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ProvincePolicyError(name, "(tệp)", f"Không đọc được YAML: {error}") from None
    if not isinstance(data, dict):
        raise ProvincePolicyError(name, "(tệp)", "Tệp phải là một bảng khoá: giá trị.")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise ProvincePolicyError(
            name,
            unknown[0],
            f"Khoá không được hỗ trợ: {unknown[0]!r}. Các khoá hợp lệ: {', '.join(sorted(FILE_KEYS))}.",
        )
    code = data.get("province_code")
    if not isinstance(code, str) or len(code) != 2 or not code.isdigit():
        raise ProvincePolicyError(
            name, "province_code", f'Mã tỉnh phải là chuỗi 2 chữ số, ví dụ "01" (đang là {code!r}).'
        )
    policies = data.get("policies")
    if not isinstance(policies, list) or not policies:
        raise ProvincePolicyError(name, "policies", "Phải có danh sách chính sách (policies) không rỗng.")
    seen: set = set()
    province_name = str(data.get("province_name") or "")
    return [
        replace(_parse_policy(name, i, raw, code, province_name, seen), source_file=path.stem)
        for i, raw in enumerate(policies)
    ]


def load_province_policies(directory: str | Path | None = None) -> ProvincePolicies:
    """Every policy of every file in `directory`, validated (applied or not: see applied_policies)."""
    directory = Path(directory or os.environ.get("ANSINH_LAW_PROVINCES_DIR") or PROVINCES_DIR)
    policies: list[ProvincePolicy] = []
    ids: set = set()
    for path in sorted(directory.glob("*.yaml")):
        for policy in load_policy_file(path):
            if policy.id in ids:
                raise ProvincePolicyError(path.name, "id", f"Mã chính sách {policy.id!r} trùng với tệp khác.")
            ids.add(policy.id)
            policies.append(policy)
    return ProvincePolicies(tuple(policies))


def applied_policies(every: ProvincePolicies, enabled: list[str] | tuple[str, ...]) -> ProvincePolicies:
    """The policies that drive money.

    `enabled` is the configuration ANSINH_PROVINCIAL_POLICIES: names of policy files (without
    .yaml, e.g. "ha_noi") or policy ids. Empty: every policy NOT marked to_confirm applies, and a
    policy marked to_confirm (Hà Nội's 650,000 top-up, the seeds' examples) applies to nobody.
    Not empty: exactly the named files and policies apply; naming a to_confirm policy is the legal
    officer's confirmation. An unknown name stops the start-up with a Vietnamese message.
    """
    names = [str(name).strip() for name in enabled if str(name).strip()]
    if not names:
        return ProvincePolicies(tuple(p for p in every.policies if not p.to_confirm))
    known_files = {p.source_file for p in every.policies}
    known_ids = {p.id for p in every.policies}
    for name in names:
        if name not in known_files and name not in known_ids:
            raise ProvincePolicyError(
                "ANSINH_PROVINCIAL_POLICIES",
                name,
                f"Không có tệp chính sách tỉnh hay mã chính sách {name!r}. Tên hợp lệ: tệp "
                f"{', '.join(sorted(known_files)) or '(không có)'}; mã {', '.join(sorted(known_ids)) or '(không có)'}. "
                "Sửa biến cấu hình ANSINH_PROVINCIAL_POLICIES (danh sách cách nhau bởi dấu phẩy).",
            )
    chosen = set(names)
    return ProvincePolicies(tuple(p for p in every.policies if p.id in chosen or p.source_file in chosen))


# The configuration (ANSINH_PROVINCIAL_POLICIES), set by the Django app at start-up (see
# ansinh.assessment.apps) or by the environment variable of the same name outside Django.
_enabled: tuple[str, ...] | None = None


def configure(enabled: list[str] | tuple[str, ...] | None) -> ProvincePolicies:
    """Set which policies drive money, validate every file and the names, and return the applied
    set. Clears the cached law systems so the next assessment or review uses the new set."""
    global _enabled
    _enabled = None if enabled is None else tuple(enabled)
    all_province_policies.cache_clear()
    default_province_policies.cache_clear()
    from ansinh.law import system

    system.clear_cache()
    return default_province_policies()


def _configured() -> tuple[str, ...]:
    if _enabled is not None:
        return _enabled
    return tuple(p for p in os.environ.get("ANSINH_PROVINCIAL_POLICIES", "").split(",") if p.strip())


@lru_cache(maxsize=1)
def all_province_policies() -> ProvincePolicies:
    """Every shipped (or ANSINH_LAW_PROVINCES_DIR) policy, applied or not: for listing and tests."""
    return load_province_policies()


@lru_cache(maxsize=1)
def default_province_policies() -> ProvincePolicies:
    """The policies that drive money under the current configuration (see applied_policies)."""
    return applied_policies(all_province_policies(), _configured())


def pending_province_policies() -> list[ProvincePolicy]:
    """Policies loaded but not applied (to be confirmed, or not named in the configuration)."""
    applied = {p.id for p in default_province_policies().policies}
    return [p for p in all_province_policies().policies if p.id not in applied]
