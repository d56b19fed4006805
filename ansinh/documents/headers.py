"""Who issues an official document, in the words of its heading (Decree 30/2020/NĐ-CP, Appendix I).

The body above the issuer is written "UBND TỈNH NGHỆ AN", or "UBND THÀNH PHỐ HÀ NỘI" for a
centrally-run city. ansinh.areas keeps a province's name as the official list gives it: a
province without its type ("Nghệ An", division_type "tinh"), a city with it ("Thành phố Hà Nội",
division_type "thanh_pho_trung_uong"). These helpers add the type once, whatever the name carries.
"""

from ansinh.areas.models import DivisionType

_PREFIXES = {
    DivisionType.PROVINCE: "Tỉnh",
    DivisionType.CENTRAL_CITY: "Thành phố",
}
_KNOWN_PREFIXES = ("tỉnh ", "thành phố ")


def province_title(province) -> str:
    """ "Tỉnh Nghệ An", "Thành phố Hà Nội": the province's name with its type, given once; empty
    for None."""
    if province is None:
        return ""
    name = " ".join(str(province.name).split())
    if name.lower().startswith(_KNOWN_PREFIXES):
        return name[0].upper() + name[1:]
    prefix = _PREFIXES.get(getattr(province, "division_type", ""), "Tỉnh")
    return f"{prefix} {name}"


def province_authority(province) -> str:
    """The parent body on a commune's document: "UBND TỈNH NGHỆ AN" / "UBND THÀNH PHỐ HÀ NỘI"."""
    title = province_title(province)
    return f"UBND {title.upper()}" if title else ""


def commune_authority(commune) -> str:
    """The issuing body: "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH VINH" (the commune's name carries its type)."""
    return f"Ủy ban nhân dân {commune.name}".upper()


def commune_province_authority(commune) -> str:
    """province_authority of a commune's province; empty when the commune has none."""
    if commune is None or not getattr(commune, "province_id", None):
        return ""
    return province_authority(commune.province)
