"""Resolve an address written the old way (province, district, commune before 1 July 2025) or the
new way (province, commune) to today's commune, without ever guessing.

The whole administrative map fits in memory (about 14,000 names), so the first call builds an index
per process and every later call is a few dictionary look-ups: 100,000 addresses take seconds.
`address_index_clear()` drops it (the loader calls it after a reload).

Names are compared on a key that ignores diacritics, case, punctuation, spaces, leading zeros of
numbers and the unit's type prefix ('Phường 01' and 'P.1' give the key '1'). A prefix the writer
gave ('TT.', 'Xã', 'Quận') is used to choose between units of the same name when it can.
"""

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from ansinh.core.text import fold, nfc

RESOLVED = "resolved"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"

# Type hints, taken from the official names and from what people write.
PROVINCE, CITY, DISTRICT, URBAN_DISTRICT, TOWN, COMMUNE, WARD, TOWNSHIP, SPECIAL_ZONE = (
    "tinh",
    "thanh_pho",
    "huyen",
    "quan",
    "thi_xa",
    "xa",
    "phuong",
    "thi_tran",
    "dac_khu",
)

# Full words, checked on the folded text (longest first so "thi tran" wins over "thi").
_WORD_PREFIXES = [
    ("thanh pho", CITY),
    ("thi tran", TOWNSHIP),
    ("thi xa", TOWN),
    ("dac khu", SPECIAL_ZONE),
    ("phuong", WARD),
    ("huyen", DISTRICT),
    ("quan", URBAN_DISTRICT),
    ("tinh", PROVINCE),
    ("xa", COMMUNE),
]
# Abbreviations: 'TP', 'TX', 'TT' with a dot or a space; one letter only with a dot ('P.', 'Q.',
# 'H.', 'X.') or glued to a number ('P1', 'Q.10'), since 'H' or 'X' alone may begin a name.
_ABBREVIATIONS = {
    "tp": CITY,
    "tx": TOWN,
    "tt": TOWNSHIP,
    "p": WARD,
    "q": URBAN_DISTRICT,
    "h": DISTRICT,
    "x": COMMUNE,
}
_ABBREVIATION = re.compile(r"^(tp|tx|tt)(?:\.\s*|\s+)|^(p|q|h|x)\.\s*|^(p|q)(?=\d)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"\d+")

# Legacy-only kinds: an address naming one of these is in the old form.
_LEGACY_ONLY_HINTS = {TOWNSHIP, DISTRICT, URBAN_DISTRICT, TOWN}

# Common ways of writing a province that its name alone does not give.
_PROVINCE_ALIASES = {
    "hcm": "79",
    "tphcm": "79",
    "saigon": "79",
    "sg": "79",
    "hn": "01",
    "thuathienhue": "46",
    "brvt": "79",
}
_LEGACY_PROVINCE_ALIASES = {"thuathienhue": "46", "brvt": "77", "hcm": "79", "tphcm": "79", "saigon": "79"}


def _compact(folded: str) -> str:
    words = _NOT_ALNUM.sub(" ", folded).split()
    # 'Phường 01' and 'Phường 1' are the same ward.
    return "".join(str(int(w)) if w.isdigit() else w for w in words)


# Old and new tone placement ('Hoà'/'Hòa', 'Thuỷ'/'Thủy') are the same spelling.
_OLD_TONES = [
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
]
_NOT_WORD = re.compile(r"[\W_]+")


def _exact(text: str) -> str:
    """A key that keeps the diacritics: 'Minh Quán' and 'Minh Quân' differ."""
    for old, new in _OLD_TONES:
        text = text.replace(old, new)
    return "".join(str(int(w)) if w.isdigit() else w for w in _NOT_WORD.split(text) if w)


@dataclass(frozen=True)
class NameKey:
    stripped: str  # without the type prefix the writer gave ('' when the text had no prefix)
    hint: str | None  # the type that prefix names
    raw: str  # the whole text
    exact_stripped: str = ""  # the same two, diacritics kept
    exact_raw: str = ""
    has_marks: bool = False  # written with diacritics


def name_key(text: str) -> NameKey:
    written = " ".join(nfc(text).lower().split())
    folded = fold(written)
    hint = None
    cut = 0
    match = _ABBREVIATION.match(folded)
    if match:
        hint = _ABBREVIATIONS[next(g for g in match.groups() if g)]
        cut = match.end()
    else:
        for word, kind in _WORD_PREFIXES:
            if folded.startswith(word + " ") or folded.startswith(word + "."):
                hint, cut = kind, len(word) + 1
                break
    # Vietnamese letters are single code points in NFC, so folding keeps positions.
    aligned = len(folded) == len(written)
    return NameKey(
        stripped=_compact(folded[cut:]) if hint else "",
        hint=hint,
        raw=_compact(folded),
        exact_stripped=_exact(written[cut:]) if hint and aligned else "",
        exact_raw=_exact(written),
        has_marks=written != folded,
    )


def official_key(name: str) -> tuple[str, str | None, str]:
    """The key, type and diacritic key of an official name, which starts with its type word."""
    key = name_key(name)
    if key.hint and key.stripped:
        return key.stripped, key.hint, key.exact_stripped
    return key.raw, None, key.exact_raw


@dataclass
class Entry:
    code: str
    kind: str | None
    exact: str


class NameIndex:
    """Names → codes, grouped by a parent (a province or a district)."""

    def __init__(self) -> None:
        self.by_parent: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))

    def add(self, parent: str, name: str, code: str) -> None:
        key, kind, exact = official_key(name)
        self.by_parent[parent][key].append(Entry(code, kind, exact))

    def find(self, parents, key: NameKey) -> list[str]:
        """Codes under `parents` named `key`. First the prefixed name of the given type; then the
        text as written (a name that itself begins like a prefix: 'Quan Sơn'); then the prefixed
        name of any type (a writer who called a thị xã a huyện). Between names that differ only
        in diacritics ('Minh Quán', 'Minh Quân'), text written with diacritics picks its own."""
        return [e.code for e in self._by_diacritics(self._find(parents, key), key)]

    @staticmethod
    def _by_diacritics(entries: list[Entry], key: NameKey) -> list[Entry]:
        if len(entries) < 2 or not key.has_marks:
            return entries
        same = [e for e in entries if e.exact in (key.exact_stripped, key.exact_raw)]
        return same or entries

    def _find(self, parents, key: NameKey) -> list[Entry]:

        def gather(k: str) -> list[Entry]:
            found = []
            for parent in parents:
                found.extend(self.by_parent.get(parent, {}).get(k, ()))
            return found

        if key.hint and key.stripped:
            typed = [e for e in gather(key.stripped) if e.kind == key.hint]
            if typed:
                return typed
        as_written = gather(key.raw)
        if as_written:
            return as_written
        if key.hint and key.stripped:
            return gather(key.stripped)
        return []


@dataclass
class AddressIndex:
    communes: dict = field(default_factory=dict)  # code → Commune (with its province)
    provinces: dict = field(default_factory=dict)  # code → Province
    province_keys: dict = field(default_factory=lambda: defaultdict(set))  # key → new codes
    legacy_province_keys: dict = field(default_factory=lambda: defaultdict(set))  # key → old codes
    legacy_province_names: dict = field(default_factory=dict)
    legacy_successor: dict = field(default_factory=dict)  # old province → new province
    legacy_predecessors: dict = field(default_factory=lambda: defaultdict(set))  # new → old provinces
    districts: NameIndex = field(default_factory=NameIndex)  # by old province
    district_names: dict = field(default_factory=dict)
    district_successor: dict = field(default_factory=dict)  # island district → special zone
    legacy_communes: NameIndex = field(default_factory=NameIndex)  # by old district
    legacy_communes_by_province: NameIndex = field(default_factory=NameIndex)  # by old province
    legacy_commune_names: dict = field(default_factory=dict)
    legacy_commune_district: dict = field(default_factory=dict)
    successions: dict = field(default_factory=lambda: defaultdict(list))  # old code → [(new, whole)]
    district_heirs: dict = field(default_factory=lambda: defaultdict(set))  # old district → new codes
    new_communes: NameIndex = field(default_factory=NameIndex)  # by new province


def build_index() -> AddressIndex:
    from ansinh.areas.models import (
        Commune,
        CommuneSuccession,
        LegacyCommune,
        LegacyDistrict,
        LegacyProvince,
        Province,
    )

    idx = AddressIndex()
    for province in Province.objects.all():
        idx.provinces[province.code] = province
        key = name_key(province.name)
        idx.province_keys[key.stripped or key.raw].add(province.code)
        idx.province_keys[province.code].add(province.code)
    for alias, code in _PROVINCE_ALIASES.items():
        if code in idx.provinces:
            idx.province_keys[alias].add(code)
    for commune in Commune.objects.all():
        commune.province = idx.provinces[commune.province_id]
        idx.communes[commune.code] = commune
        idx.new_communes.add(commune.province_id, commune.name, commune.code)
    for code, name, successor in LegacyProvince.objects.values_list("code", "name", "successor_id"):
        key = name_key(name)
        idx.legacy_province_keys[key.stripped or key.raw].add(code)
        idx.legacy_province_keys[code].add(code)
        idx.legacy_province_names[code] = name
        idx.legacy_successor[code] = successor
        idx.legacy_predecessors[successor].add(code)
    for alias, code in _LEGACY_PROVINCE_ALIASES.items():
        if code in idx.legacy_successor:
            idx.legacy_province_keys[alias].add(code)
    for code, name, province, successor in LegacyDistrict.objects.values_list(
        "code", "name", "province_id", "successor_id"
    ):
        idx.districts.add(province, name, code)
        idx.district_names[code] = name
        if successor:
            idx.district_successor[code] = successor
    district_province = {code: p for code, p in LegacyDistrict.objects.values_list("code", "province_id")}
    for code, name, district in LegacyCommune.objects.values_list("code", "name", "district_id"):
        idx.legacy_communes.add(district, name, code)
        idx.legacy_communes_by_province.add(district_province[district], name, code)
        idx.legacy_commune_names[code] = name
        idx.legacy_commune_district[code] = district
    for old, new, whole in CommuneSuccession.objects.values_list(
        "legacy_commune_id", "commune_id", "is_whole"
    ):
        idx.successions[old].append((new, whole))
        idx.district_heirs[idx.legacy_commune_district[old]].add(new)
    for district, successor in idx.district_successor.items():
        idx.district_heirs[district].add(successor)
    return idx


_index: AddressIndex | None = None
_lock = threading.Lock()


def address_index() -> AddressIndex:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = build_index()
    return _index


def address_index_clear() -> None:
    global _index
    with _lock:
        _index = None


@dataclass(frozen=True)
class ResolvedAddress:
    status: str  # "resolved" | "ambiguous" | "not_found"
    commune: object | None  # today's Commune when resolved
    candidates: list = field(default_factory=list)  # today's Communes it may be, when ambiguous
    message: str = ""

    @property
    def is_resolved(self) -> bool:
        return self.status == RESOLVED

    @property
    def commune_code(self) -> str:
        return self.commune.code if self.commune is not None else ""


def _names(communes) -> str:
    return ", ".join(f"{c.name} ({c.code})" for c in communes)


def _quote(text: str) -> str:
    return f"«{' '.join(text.split())}»"


def resolve(
    *, province: str = "", district: str = "", commune: str = "", form: str = "auto"
) -> ResolvedAddress:
    idx = address_index()
    province, district, commune = (province or "").strip(), (district or "").strip(), (commune or "").strip()
    if form not in ("auto", "old", "new"):
        raise ValueError("form must be 'auto', 'old' or 'new'")

    # 1. The province, read both as today's and as one of the 63 before 1 July 2025.
    if province:
        pkey = name_key(province)
        new_provinces = set(idx.province_keys.get(pkey.stripped, ())) or set(
            idx.province_keys.get(pkey.raw, ())
        )
        old_provinces = set(idx.legacy_province_keys.get(pkey.stripped, ())) or set(
            idx.legacy_province_keys.get(pkey.raw, ())
        )
        if not new_provinces and not old_provinces:
            return ResolvedAddress(
                NOT_FOUND,
                None,
                [],
                f"Không tìm thấy tỉnh/thành phố {_quote(province)}. Hãy ghi tên tỉnh, thành phố "
                "(trước hoặc sau ngày 01/07/2025), ví dụ «Nghệ An» hoặc «Thành phố Hà Nội».",
            )
        where = f"tỉnh/thành phố {_quote(province)}"
    else:
        new_provinces, old_provinces = set(idx.provinces), set(idx.legacy_successor)
        where = "cả nước"
    # An old district or commune may be written with today's province, and the other way round.
    old_scope = old_provinces | {p for n in new_provinces for p in idx.legacy_predecessors.get(n, ())}
    new_scope = new_provinces | {idx.legacy_successor[p] for p in old_provinces}

    # 2. The district: only the old form has one.
    districts: list[str] = []
    if district:
        if form == "new":
            return ResolvedAddress(
                NOT_FOUND,
                None,
                [],
                "Địa chỉ theo đơn vị hành chính mới không có cấp huyện; hãy bỏ trống ô huyện.",
            )
        districts = idx.districts.find(sorted(old_scope), name_key(district))
        if not districts:
            return ResolvedAddress(
                NOT_FOUND,
                None,
                [],
                f"Không tìm thấy quận/huyện {_quote(district)} trong {where}. Hãy kiểm tra tên huyện "
                "(trước ngày 01/07/2025), ví dụ «Huyện Quỳnh Lưu» hoặc «Q. Ba Đình».",
            )
        where = " hoặc ".join(idx.district_names[d] for d in districts)

    if not commune:
        islands = {idx.district_successor.get(d) for d in districts}
        if districts and len(islands) == 1 and None not in islands:
            # An island district without communes became one special zone (đặc khu) whole.
            found = idx.communes[islands.pop()]
            return ResolvedAddress(RESOLVED, found, [found], _resolved_message(found))
        return ResolvedAddress(
            NOT_FOUND,
            None,
            [],
            "Chưa ghi xã/phường/thị trấn. Hãy ghi tên xã để xác định xã, phường hiện nay.",
        )

    ckey = name_key(commune)
    # Each reading of the address gives the set of today's communes it may be.
    readings: list[tuple[str, set[str]]] = []  # (old commune code or "", new codes)
    if districts:
        for old in idx.legacy_communes.find(districts, ckey):
            readings.append((old, {new for new, _ in idx.successions.get(old, ())}))
        if not readings:
            # Today's commune name written with an old district: accepted only when that commune
            # took in part of that district, so the two halves of the address agree.
            from_district = set().union(*(idx.district_heirs.get(d, set()) for d in districts))
            for new in idx.new_communes.find(sorted(new_scope), ckey):
                if new in from_district:
                    readings.append(("", {new}))
    else:
        if form in ("auto", "old"):
            for old in idx.legacy_communes_by_province.find(sorted(old_scope), ckey):
                readings.append((old, {new for new, _ in idx.successions.get(old, ())}))
        if form in ("auto", "new") and ckey.hint not in _LEGACY_ONLY_HINTS:
            for new in idx.new_communes.find(sorted(new_scope), ckey):
                readings.append(("", {new}))

    readings = [(old, news) for old, news in readings if news]
    if not readings:
        return ResolvedAddress(
            NOT_FOUND,
            None,
            [],
            f"Không tìm thấy xã/phường {_quote(commune)} trong {where}. Hãy kiểm tra tên xã, "
            "ghi thêm quận/huyện nếu là địa chỉ cũ, hoặc chọn xã từ danh sách.",
        )
    possible = set().union(*(news for _, news in readings))
    if len(possible) == 1:
        found = idx.communes[possible.pop()]
        return ResolvedAddress(RESOLVED, found, [found], _resolved_message(found))

    candidates = sorted((idx.communes[c] for c in possible), key=lambda c: c.code)
    split = [old for old, news in readings if old and len(news) > 1]
    if len(readings) == 1 and split:
        old = split[0]
        message = (
            f"{idx.legacy_commune_names[old]} ({idx.district_names[idx.legacy_commune_district[old]]}) "
            f"đã được chia cho {len(candidates)} xã, phường mới: {_names(candidates)}. "
            "Hãy chọn xã theo thôn, tổ dân phố nơi người đó ở."
        )
    else:
        message = (
            f"Có {len(readings)} đơn vị tên {_quote(commune)} trong {where}, ứng với các xã, phường hiện nay: "
            f"{_names(candidates)}. Hãy ghi thêm quận/huyện (địa chỉ cũ) hoặc chọn đúng xã."
        )
    return ResolvedAddress(AMBIGUOUS, None, candidates, message)


def _resolved_message(commune) -> str:
    return f"Địa chỉ thuộc {commune.name}, {commune.province.name} (mã xã {commune.code})."
