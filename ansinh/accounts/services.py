"""Writes on officers' accounts."""

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from ansinh.accounts.models import AreaLevel, Role, User
from ansinh.accounts.roles import can_prepare, can_sign, can_write  # noqa: F401  (re-exported)
from ansinh.areas.models import Commune, Province
from ansinh.core.audit import audit_record
from ansinh.core.errors import InvalidInput
from ansinh.core.text import proper_case

_USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")

# Which area levels each role may be given. A commune officer or chairman works for one
# commune; a provincial officer for a province (or the ministry, country-wide); auditors anywhere.
ROLE_LEVELS = {
    Role.COMMUNE_OFFICER: {AreaLevel.COMMUNE},
    Role.COMMUNE_CHAIRMAN: {AreaLevel.COMMUNE},
    Role.PROVINCIAL_OFFICER: {AreaLevel.PROVINCE, AreaLevel.COUNTRY},
    Role.AUDITOR: {AreaLevel.COMMUNE, AreaLevel.PROVINCE, AreaLevel.COUNTRY},
}

LEVEL_LABELS = {AreaLevel.COMMUNE: "cấp xã", AreaLevel.PROVINCE: "cấp tỉnh", AreaLevel.COUNTRY: "toàn quốc"}


def user_create(*, username: str, password: str, role: str, area_code: str, full_name: str = "") -> User:
    """Create an officer's account.

    area_code: 5 digits → that commune; 2 digits → that province; "" → the whole country.
    Raises InvalidInput naming each wrong field; nothing is written then.
    """
    errors: dict[str, str] = {}
    username = (username or "").strip()
    area_code = (area_code or "").strip()

    if not _USERNAME.match(username):
        errors["username"] = "Tên đăng nhập phải dài 3–150 ký tự, chỉ gồm chữ không dấu, chữ số và . _ @ + -."
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"Tên đăng nhập “{username}” đã có người dùng: chọn tên khác."

    if not password:
        errors["password"] = "Chưa nhập mật khẩu."
    else:
        try:
            validate_password(password)
        except ValidationError as exc:
            errors["password"] = "Mật khẩu chưa đạt: " + " ".join(exc.messages)

    commune = province = None
    if area_code == "":
        level = AreaLevel.COUNTRY
    elif re.fullmatch(r"\d{5}", area_code):
        level = AreaLevel.COMMUNE
        commune = Commune.objects.select_related("province").filter(code=area_code).first()
        if commune is None:
            errors["area_code"] = f"Không có xã/phường mã {area_code}: kiểm tra lại mã xã (5 chữ số)."
        else:
            province = commune.province
    elif re.fullmatch(r"\d{2}", area_code):
        level = AreaLevel.PROVINCE
        province = Province.objects.filter(code=area_code).first()
        if province is None:
            errors["area_code"] = f"Không có tỉnh/thành phố mã {area_code}: kiểm tra lại mã tỉnh (2 chữ số)."
    else:
        level = None
        errors["area_code"] = (
            "Mã địa bàn phải là mã xã (5 chữ số), mã tỉnh (2 chữ số), hoặc để trống cho toàn quốc."
        )

    if role not in Role.values:
        errors["role"] = "Vai trò không hợp lệ: chọn một trong " + ", ".join(Role.labels) + "."
    elif level is not None and "area_code" not in errors and level not in ROLE_LEVELS[role]:
        allowed = ", ".join(LEVEL_LABELS[lv] for lv in ROLE_LEVELS[role])
        errors["role"] = (
            f"Vai trò “{Role(role).label}” chỉ gán cho tài khoản {allowed}: sửa vai trò hoặc mã địa bàn."
        )

    if errors:
        first = next(iter(errors.values()))
        message = first if len(errors) == 1 else f"Có {len(errors)} lỗi: " + " ".join(errors.values())
        raise InvalidInput(message, fields=errors)

    with transaction.atomic():
        user = User(
            username=username,
            role=role,
            area_level=level,
            commune=commune,
            # A commune account also carries its province, so scoping needs no extra query.
            province=province if level != AreaLevel.COUNTRY else None,
            # Vietnamese names are written family name first; keep the whole name in one field.
            first_name=proper_case(full_name)[:150],
        )
        if level == AreaLevel.COMMUNE:
            user.province = province
        user.set_password(password)
        user.save()
        audit_record(
            actor=None,
            action="user.create",
            entity=user,
            area_code=area_code,
            after={"username": username, "role": role, "area_level": level, "area_code": area_code},
        )
    return user
