"""Load the administrative units into the database (the `ansinh areas_load` command).

Today's 34 provinces and 3,321 communes come from the installed `vietnam-provinces` package;
the units before 1 July 2025 and the old → new mapping come from the files in areas/data/
(see its README for their source, licence and limits). Every step is an upsert in bulk, so a
second run changes nothing and takes about as long as a count; a commune's or village's
'especially difficult' flag is never touched by a reload.
"""

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ansinh.areas.models import (
    Commune,
    CommuneSuccession,
    DivisionType,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)
from ansinh.core.text import fold, nfc

DATA_DIR = Path(__file__).resolve().parent / "data"
LEGACY_PROVINCES_FILE = DATA_DIR / "legacy_provinces.csv"
LEGACY_UNITS_FILE = DATA_DIR / "legacy_units.csv.gz"
LEGACY_SUCCESSIONS_FILE = DATA_DIR / "legacy_successions.csv.gz"

BATCH = 5000

# vietnam-provinces' division types → ours.
PACKAGE_TYPES = {
    "tỉnh": DivisionType.PROVINCE,
    "thành phố trung ương": DivisionType.CENTRAL_CITY,
    "xã": DivisionType.COMMUNE,
    "phường": DivisionType.WARD,
    "đặc khu": DivisionType.SPECIAL_ZONE,
}


@dataclass(frozen=True)
class LoadSummary:
    provinces: int
    communes: int
    legacy_provinces: int
    legacy_districts: int
    legacy_communes: int
    successions: int


def tidy(text: str) -> str:
    """NFC with single spaces (the package has a few names with a double space)."""
    return " ".join(nfc(text).split())


def package_units() -> tuple[list[Province], list[Commune]]:
    from vietnam_provinces import Province as PackageProvince
    from vietnam_provinces import Ward as PackageWard

    provinces = [
        Province(
            code=f"{int(p.code):02d}",
            name=tidy(p.name),
            division_type=PACKAGE_TYPES[p.division_type.value],
            codename=p.codename,
        )
        for p in PackageProvince.iter_all()
    ]
    communes = []
    for w in PackageWard.iter_all():
        name = tidy(w.name)
        communes.append(
            Commune(
                code=f"{int(w.code):05d}",
                name=name,
                division_type=PACKAGE_TYPES[w.division_type.value],
                codename=w.codename,
                name_folded=fold(name),
                province_id=f"{int(w.province_code):02d}",
            )
        )
    return provinces, communes


def _read_csv(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def legacy_units() -> tuple[list[LegacyProvince], list[LegacyDistrict], list[LegacyCommune], list[dict]]:
    provinces = [
        LegacyProvince(
            code=row["legacy_code"],
            name=tidy(row["name"]),
            name_folded=fold(row["name"]),
            successor_id=row["successor_code"],
        )
        for row in _read_csv(LEGACY_PROVINCES_FILE)
    ]
    successions = _read_csv(LEGACY_SUCCESSIONS_FILE)
    district_successor = {
        r["legacy_district_code"]: r["commune_code"] for r in successions if not r["legacy_commune_code"]
    }
    districts: dict[str, LegacyDistrict] = {}
    communes = []
    for row in _read_csv(LEGACY_UNITS_FILE):
        code = row["district_code"]
        if code not in districts:
            name = tidy(row["district_name"])
            districts[code] = LegacyDistrict(
                code=code,
                name=name,
                name_folded=fold(name),
                province_id=row["province_code"],
                successor_id=district_successor.get(code),
            )
        if row["commune_code"]:
            name = tidy(row["commune_name"])
            communes.append(
                LegacyCommune(code=row["commune_code"], name=name, name_folded=fold(name), district_id=code)
            )
    return provinces, list(districts.values()), communes, [r for r in successions if r["legacy_commune_code"]]


def _upsert(model, rows: list, update_fields: list[str], unique_fields: list[str], bar) -> None:
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        model.objects.bulk_create(
            chunk, update_conflicts=True, unique_fields=unique_fields, update_fields=update_fields
        )
        if bar is not None:
            bar.update(len(chunk))


def areas_load(*, progress: bool = False) -> LoadSummary:
    """Upsert all units and the succession table in one transaction (all or nothing)."""
    provinces, communes = package_units()
    l_provinces, l_districts, l_communes, succession_rows = legacy_units()
    successions = [
        CommuneSuccession(
            legacy_commune_id=r["legacy_commune_code"],
            commune_id=r["commune_code"],
            is_whole=r["is_whole"] == "1",
            source=r["source"],
        )
        for r in succession_rows
    ]
    total = sum(map(len, (provinces, communes, l_provinces, l_districts, l_communes, successions)))

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit=" đơn vị", desc="Nạp đơn vị hành chính")
    try:
        with transaction.atomic():
            _upsert(Province, provinces, ["name", "division_type", "codename"], ["code"], bar)
            # `is_especially_difficult` is left out on purpose: a reload keeps the officers' flags.
            _upsert(
                Commune,
                communes,
                ["name", "division_type", "codename", "name_folded", "province"],
                ["code"],
                bar,
            )
            _upsert(LegacyProvince, l_provinces, ["name", "name_folded", "successor"], ["code"], bar)
            _upsert(
                LegacyDistrict, l_districts, ["name", "name_folded", "province", "successor"], ["code"], bar
            )
            _upsert(LegacyCommune, l_communes, ["name", "name_folded", "district"], ["code"], bar)
            _upsert(
                CommuneSuccession, successions, ["is_whole", "source"], ["legacy_commune", "commune"], bar
            )
            # Pairs that the data no longer lists (a corrected mapping) are removed.
            wanted = {(s.legacy_commune_id, s.commune_id) for s in successions}
            stale = [
                pk
                for pk, old, new in CommuneSuccession.objects.values_list(
                    "pk", "legacy_commune_id", "commune_id"
                )
                if (old, new) not in wanted
            ]
            if stale:
                CommuneSuccession.objects.filter(pk__in=stale).delete()
    finally:
        if bar is not None:
            bar.close()

    from ansinh.areas.resolver import address_index_clear

    address_index_clear()
    return LoadSummary(
        provinces=Province.objects.count(),
        communes=Commune.objects.count(),
        legacy_provinces=LegacyProvince.objects.count(),
        legacy_districts=LegacyDistrict.objects.count(),
        legacy_communes=LegacyCommune.objects.count(),
        successions=CommuneSuccession.objects.count(),
    )


def areas_missing() -> bool:
    """True when the database lacks some of today's communes or the legacy mapping (cheap check)."""
    from vietnam_provinces import Ward

    expected = sum(1 for _ in Ward.iter_all())
    return Commune.objects.count() < expected or not CommuneSuccession.objects.exists()
