"""Writes on the administrative units, and the old-address resolver other apps call.

`address_resolve` turns an address written before or after 1 July 2025 into today's commune, or
says plainly that it is ambiguous or unknown (it never guesses). See resolver.py for how.
"""

from django.db import IntegrityError, transaction

from ansinh.accounts.models import Role
from ansinh.accounts.scope import AreaScope
from ansinh.areas.models import Commune, Village
from ansinh.areas.resolver import ResolvedAddress, address_index_clear, resolve
from ansinh.areas.selectors import commune_get
from ansinh.core.audit import audit_record
from ansinh.core.errors import InvalidInput, NotAllowed
from ansinh.core.text import fold, nfc

__all__ = [
    "ResolvedAddress",
    "address_index_clear",
    "address_resolve",
    "commune_set_especially_difficult",
    "village_get_or_create",
    "village_set_especially_difficult",
]

VILLAGE_NAME_MAX = Village._meta.get_field("name").max_length


def address_resolve(
    *, province: str = "", district: str = "", commune: str = "", form: str = "auto"
) -> ResolvedAddress:
    """Today's commune for an address in the old form (province, district, commune before
    1 July 2025) or the new form (province, commune), with or without diacritics and prefixes.

    `form="old"` or `"new"` reads the address only one way (for a file known to be in that
    form); "auto" reads it both ways and calls it ambiguous when the two disagree.
    """
    return resolve(province=province, district=district, commune=commune, form=form)


def _check_may_flag(actor, commune: Commune) -> None:
    # The list of especially difficult communes and villages is set by central decision and kept
    # by the province; a commune officer records beneficiaries against it but does not change it.
    active = actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active
    if not active or actor.role != Role.PROVINCIAL_OFFICER:
        raise NotAllowed("Chỉ cán bộ cấp tỉnh mới được đánh dấu xã, thôn đặc biệt khó khăn.")
    if not AreaScope.for_user(actor).contains_commune(commune.code):
        raise NotAllowed(f"{commune.name} không thuộc địa bàn bạn quản lý.")


def _as_commune(commune) -> Commune:
    return commune if isinstance(commune, Commune) else commune_get(commune)


def commune_set_especially_difficult(*, actor, commune, flag: bool) -> Commune:
    """Mark (or unmark) a commune of the ethnic-minority and mountainous areas with especially
    difficult conditions (category 7 of Decree 335/2026 Art. 5 depends on it)."""
    commune = _as_commune(commune)
    _check_may_flag(actor, commune)
    flag = bool(flag)
    with transaction.atomic():
        locked = Commune.objects.select_for_update().get(pk=commune.pk)
        if locked.is_especially_difficult != flag:
            before = {"is_especially_difficult": locked.is_especially_difficult}
            locked.is_especially_difficult = flag
            locked.save(update_fields=["is_especially_difficult"])
            audit_record(
                actor=actor,
                action="commune.set_especially_difficult",
                entity=locked,
                area_code=locked.code,
                before=before,
                after={"is_especially_difficult": flag},
            )
    commune.is_especially_difficult = flag
    return commune


def village_set_especially_difficult(*, actor, village: Village, flag: bool) -> Village:
    """Mark (or unmark) an especially difficult village (thôn, bản đặc biệt khó khăn)."""
    _check_may_flag(actor, village.commune)
    flag = bool(flag)
    with transaction.atomic():
        locked = Village.objects.select_for_update().get(pk=village.pk)
        if locked.is_especially_difficult != flag:
            before = {"is_especially_difficult": locked.is_especially_difficult}
            locked.is_especially_difficult = flag
            locked.save(update_fields=["is_especially_difficult"])
            audit_record(
                actor=actor,
                action="village.set_especially_difficult",
                entity=locked,
                area_code=locked.commune_id,
                before=before,
                after={"is_especially_difficult": flag},
            )
    village.is_especially_difficult = flag
    return village


def village_get_or_create(*, commune, name: str) -> Village:
    """The village of that name in the commune, created if new. Names compare as written (NFC,
    single spaces, any case): 'Thôn Đông' and 'Thôn Động' are two villages."""
    commune = _as_commune(commune)
    clean = " ".join(nfc(name).split())
    if not fold(clean):
        raise InvalidInput.for_field("village", "Tên thôn, tổ dân phố không được để trống.")
    if len(clean) > VILLAGE_NAME_MAX:
        raise InvalidInput.for_field(
            "village", f"Tên thôn, tổ dân phố dài quá {VILLAGE_NAME_MAX} ký tự; hãy viết ngắn lại."
        )
    existing = Village.objects.filter(commune=commune, name__iexact=clean).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Village.objects.create(commune=commune, name=clean)
    except IntegrityError:
        # Another request created it a moment ago.
        return Village.objects.get(commune=commune, name__iexact=clean)
