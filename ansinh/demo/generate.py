"""Synthetic beneficiaries, generated column-wise with numpy.

Nothing here touches the database: `generate_chunk` turns one group of communes into column
arrays for every table (persons, households, members, poverty, disabilities, decisions,
entitlements, past payrolls and their lines), with row numbers local to the chunk. The loader
(ansinh.demo.load) adds the id offsets it reserved from the sequences and streams them with COPY.

Categories and coefficients: Decree 335/2026 Art. 5–6 (legal.md §1.2–1.3); social pension: Law
41/2024 Art. 21–22 (75+ without pension; 70–74 in poor or near-poor households); care support:
Decree 335 Art. 17 (a household directly caring for a person with an especially severe
disability, coefficient 1.0 per person cared for).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ansinh.core.text import fold
from ansinh.demo import names as N

# Relationship codes (registry.Relationship values) by index.
RELATIONSHIPS = ["head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other"]
HEAD, SPOUSE, CHILD, PARENT, GRANDCHILD, GRANDPARENT, SIBLING, OTHER = range(8)

MONTHLY = "monthly_allowance"
PENSION = "social_pension"
CARE = "care_support"


@dataclass(frozen=True)
class Category:
    key: str
    benefit: str
    code: str  # Entitlement.category
    share: float
    age_lo: int
    age_hi: int
    female: float
    poverty: str  # "poor", "poor_or_near" or "" (no condition)


# Shares roughly follow the national caseload: social pensioners and disabled people dominate.
CATEGORIES = [
    Category("sp75", PENSION, "75+", 0.36, 75, 99, 0.60, ""),
    Category("sp70", PENSION, "70-74", 0.03, 70, 74, 0.55, "poor_or_near"),
    Category("c6s", MONTHLY, "6", 0.22, 1, 92, 0.45, ""),
    Category("c6e", MONTHLY, "6", 0.11, 1, 92, 0.45, ""),
    Category("c5a", MONTHLY, "5a", 0.07, 60, 99, 0.65, "poor"),
    Category("c5b", MONTHLY, "5b", 0.005, 60, 99, 0.60, "poor"),
    Category("c1", MONTHLY, "1", 0.03, 0, 15, 0.48, ""),
    Category("c2", MONTHLY, "2", 0.008, 16, 22, 0.50, ""),
    Category("c3", MONTHLY, "3", 0.002, 0, 15, 0.50, "poor"),
    Category("c4", MONTHLY, "4", 0.04, 22, 50, 0.85, "poor_or_near"),
    Category("c7", MONTHLY, "7", 0.025, 0, 2, 0.49, "poor_or_near"),
    Category("c8", MONTHLY, "8", 0.012, 18, 59, 0.35, "poor"),
]
CAT_KEYS = [c.key for c in CATEGORIES]
CAT_INDEX = {c.key: i for i, c in enumerate(CATEGORIES)}
CARE_CATEGORY = "household_carer"

LEGAL_BASIS = {
    MONTHLY: "Điều 5, Điều 6 Nghị định 335/2026/NĐ-CP",
    PENSION: "Điều 21, Điều 22 Luật Bảo hiểm xã hội số 41/2024/QH15; Nghị định 176/2025/NĐ-CP",
    CARE: "Điều 17 Nghị định 335/2026/NĐ-CP",
}
LEGAL_BASIS_D20 = {
    MONTHLY: "Điều 5, Điều 6 Nghị định 20/2021/NĐ-CP",
    PENSION: LEGAL_BASIS[PENSION],
    CARE: "Điều 20 Nghị định 20/2021/NĐ-CP",
}
DECREE_335_FROM = dt.date(2026, 10, 5)

DISABILITY_TYPES = ["mobility", "hearing_speech", "visual", "mental", "intellectual", "other"]
DISABILITY_WEIGHTS = [0.30, 0.10, 0.12, 0.20, 0.20, 0.08]
POVERTY_STANDARD = "Nghị định 07/2021/NĐ-CP"
POVERTY_YEARS = [2022, 2023, 2024, 2025, 2026]


def _weights(pairs):
    values = np.array([w for _, w in pairs], dtype=float)
    return values / values.sum()


class NameTables:
    def __init__(self):
        self.surnames = [s for s, _ in N.SURNAMES]
        self.surname_p = _weights(N.SURNAMES)
        self.mid = {"M": [m for m, _ in N.MIDDLE_MALE], "F": [m for m, _ in N.MIDDLE_FEMALE]}
        self.mid_p = {"M": _weights(N.MIDDLE_MALE), "F": _weights(N.MIDDLE_FEMALE)}
        self.given = {"M": N.GIVEN_MALE, "F": N.GIVEN_FEMALE}
        self.ethnic = [e for e, _ in N.MINORITY_ETHNICITIES]
        self.ethnic_p = _weights(N.MINORITY_ETHNICITIES)


NAMES = NameTables()


@dataclass
class CommuneInfo:
    code: str
    name: str
    province_code: str
    division_type: str
    is_difficult: bool
    # Filled by the builder once villages exist: ids and flags, difficult villages first.
    village_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    village_names: list[str] = field(default_factory=list)
    difficult_villages: int = 0
    officer_id: int = 0
    chairman_id: int = 0
    chairman_name: str = ""


@dataclass
class Table:
    columns: list[str]
    data: list  # one entry per column: numpy array or list of str (None = NULL)
    rows: int


def village_names_for(commune: CommuneInfo, rng: np.random.Generator) -> list[tuple[str, bool]]:
    """Villages (thôn) of a rural commune, residential groups (tổ dân phố) of a ward."""
    if commune.division_type == "phuong":
        count = int(rng.integers(6, 16))
        return [(f"Tổ dân phố {i}", False) for i in range(1, count + 1)]
    count = int(rng.integers(6, 14))
    share = 0.7 if commune.is_difficult else 0.1
    words = list(rng.permutation(N.VILLAGE_WORDS))
    out = []
    for i in range(count):
        name = f"Thôn {words[i]}" if i < len(words) and rng.random() < 0.5 else f"Thôn {i + 1}"
        if any(name == n for n, _ in out):
            name = f"Thôn {i + 1}"
        out.append((name, bool(rng.random() < share)))
    if commune.is_difficult and not any(flag for _, flag in out):
        out[0] = (out[0][0], True)
    return out


def month_index(month: dt.date) -> int:
    return month.year * 12 + month.month - 1


def index_month(index) -> dt.date:
    return dt.date(int(index) // 12, int(index) % 12 + 1, 1)


class Levels:
    """Base level per province, kind and month index, from the law's dated parameters: the
    province's own level where it has one (e.g. a higher social pension), else the national one,
    as the payroll computes it."""

    def __init__(self, periods, first: int, last: int):
        self.first = first
        width = last - first + 1
        self.standard = np.zeros((100, width), dtype=np.int64)
        self.pension = np.zeros((100, width), dtype=np.int64)
        # National periods first, then the provinces' own on top.
        for p in sorted(periods, key=lambda p: (p.province_code != "", p.valid_from)):
            lo = max(month_index(p.valid_from), first)
            hi = last + 1 if p.valid_to is None else min(month_index(p.valid_to), last + 1)
            if hi <= lo:
                continue
            target = self.standard if p.kind == "standard" else self.pension
            rows = slice(None) if not p.province_code else int(p.province_code)
            target[rows, lo - first : hi - first] = p.amount

    def of(self, benefit_is_pension: np.ndarray, month_idx: np.ndarray, province: np.ndarray) -> np.ndarray:
        k = month_idx - self.first
        return np.where(benefit_is_pension, self.pension[province, k], self.standard[province, k])


@dataclass
class Context:
    month: dt.date
    history_months: int
    levels: Levels
    today: dt.date
    id_counters: np.ndarray  # per personal-id bucket (first 6 digits), serials already used


def _pick(rng, n, options, p=None):
    return rng.choice(len(options), size=n, p=p)


def _ages(rng, cats: np.ndarray) -> np.ndarray:
    ages = np.zeros(len(cats), dtype=np.int64)
    for i, c in enumerate(CATEGORIES):
        m = cats == i
        k = int(m.sum())
        if not k:
            continue
        if c.age_lo >= 60:
            # Elderly: numbers thin out with age.
            a = c.age_lo + np.floor(rng.exponential(7.0, k)).astype(np.int64)
            ages[m] = np.minimum(a, c.age_hi)
        elif c.key in ("c6s", "c6e"):
            # Disability rises with age: mix children, adults and elderly.
            a = np.where(rng.random(k) < 0.15, rng.integers(1, 16, k), rng.integers(16, 61, k))
            old = rng.random(k) < 0.35
            a[old] = 60 + np.minimum(np.floor(rng.exponential(9.0, int(old.sum()))).astype(np.int64), 32)
            ages[m] = a
        else:
            ages[m] = rng.integers(c.age_lo, c.age_hi + 1, k)
    return ages


def _coefficients(cats: np.ndarray, ages: np.ndarray, children: np.ndarray) -> np.ndarray:
    """Coefficient × 100 (integer) per Decree 335 Art. 6 (legal.md §1.3)."""
    k = CAT_INDEX
    c = np.full(len(cats), 100, dtype=np.int64)
    child = ages < 16
    elderly = ages >= 60
    c[cats == k["c1"]] = np.where(ages[cats == k["c1"]] < 4, 250, 150)
    c[cats == k["c2"]] = 150
    c[cats == k["c3"]] = np.where(ages[cats == k["c3"]] < 4, 250, 200)
    c[cats == k["c4"]] = 100 * children[cats == k["c4"]]  # 1.0 per child being raised
    c[cats == k["c5a"]] = np.where(ages[cats == k["c5a"]] >= 75, 200, 150)
    c[cats == k["c5b"]] = 300
    m = cats == k["c6s"]
    c[m] = np.where(child[m] | elderly[m], 200, 150)
    m = cats == k["c6e"]
    c[m] = np.where(child[m] | elderly[m], 250, 200)
    c[cats == k["c7"]] = 150
    c[cats == k["c8"]] = 150
    return c


def _personal_ids(
    ctx: Context, rng, province: np.ndarray, birth_year: np.ndarray, female: np.ndarray
) -> list[str]:
    """12 digits: birth-registration province (3), century+sex (1), year (2), serial (6).

    The serial is a fixed bijection of a per-bucket counter, so numbers never repeat within a
    database built by the demo and still look random.
    """
    century_digit = np.where(birth_year >= 2000, 2, 0) + female.astype(np.int64)
    bucket = province * 1000 + century_digit * 100 + birth_year % 100
    order = np.argsort(bucket, kind="stable")
    sorted_b = bucket[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_b)) + 1]
    rank_sorted = np.arange(len(bucket)) - np.repeat(starts, np.diff(np.r_[starts, len(bucket)]))
    rank = np.empty_like(rank_sorted)
    rank[order] = rank_sorted
    counter = ctx.id_counters[bucket] + rank
    np.add.at(ctx.id_counters, bucket, 1)
    if counter.max(initial=0) >= 1_000_000:
        raise RuntimeError("personal-id serials exhausted for a birth-year bucket")
    salt = (bucket * 7919 + 104_729) % 1_000_000
    serial = (counter * 387_419 + salt) % 1_000_000  # 387419 is coprime to 10^6: a bijection
    value = bucket * 1_000_000 + serial
    return np.char.zfill(value.astype("U12"), 12).tolist()


def _dates(days: np.ndarray) -> list[str]:
    """Day numbers (since 1970-01-01) to 'YYYY-MM-DD'."""
    return np.datetime_as_string(days.astype("datetime64[D]")).tolist()


def _month_day_number(idx: np.ndarray) -> np.ndarray:
    years = idx // 12
    months = idx % 12
    return (
        ((years - 1970).astype("datetime64[Y]").astype("datetime64[M]") + months.astype("timedelta64[M]"))
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def generate_chunk(
    ctx: Context, communes: list[CommuneInfo], counts: np.ndarray, rng: np.random.Generator
) -> dict:
    """All rows for `counts[i]` beneficiaries in each of `communes`. Row ids are local (0-based)."""
    n = int(counts.sum())
    ref_year = ctx.month.year
    m0 = month_index(ctx.month)
    commune_of = np.repeat(np.arange(len(communes)), counts)

    # --- beneficiaries -------------------------------------------------------------------
    share = np.array([c.share for c in CATEGORIES])
    cats = rng.choice(len(CATEGORIES), size=n, p=share / share.sum())
    # Category 7 needs a village (or commune) of the especially difficult areas (Art. 5(7)).
    n_flag = np.array([c.difficult_villages for c in communes], dtype=np.int64)
    n_vill = np.array([len(c.village_ids) for c in communes], dtype=np.int64)
    no_difficult = (cats == CAT_INDEX["c7"]) & (n_flag[commune_of] == 0)
    cats[no_difficult] = CAT_INDEX["c6s"]
    ages = _ages(rng, cats)
    children = np.where(cats == CAT_INDEX["c4"], rng.choice([1, 2, 3], size=n, p=[0.55, 0.33, 0.12]), 0)
    children = np.minimum(children, np.maximum((ages - 16) // 2, 1))
    female_p = np.array([c.female for c in CATEGORIES])[cats]
    female = rng.random(n) < female_p

    # Villages: difficult ones come first in each commune's list.
    vill_pick = np.where(
        cats == CAT_INDEX["c7"],
        (rng.random(n) * np.maximum(n_flag[commune_of], 1)).astype(np.int64),
        (rng.random(n) * n_vill[commune_of]).astype(np.int64),
    )

    # --- household members around each beneficiary -------------------------------------
    # Each extra member: (beneficiary row, relationship to the head, age, female, is_head).
    ex_b, ex_rel, ex_age, ex_female, ex_head = [], [], [], [], []
    b_rel = np.full(n, HEAD, dtype=np.int64)

    def add(rows, rel, age_lo, age_hi, female_mode, head=False):
        k = len(rows)
        if not k:
            return
        age = ages[rows] + rng.integers(age_lo, age_hi + 1, k)
        if female_mode == "opp":
            fem = ~female[rows]
        elif female_mode == "f":
            fem = np.ones(k, dtype=bool)
        else:
            fem = rng.random(k) < 0.5
        ex_b.append(rows)
        ex_rel.append(np.full(k, rel))
        ex_age.append(np.maximum(age, 0))
        ex_female.append(fem)
        ex_head.append(np.full(k, head))

    u = rng.random(n)
    u2 = rng.random(n)
    is_child_cat = np.isin(cats, [CAT_INDEX[k] for k in ("c1", "c2", "c3", "c7")]) | (
        np.isin(cats, [CAT_INDEX["c6s"], CAT_INDEX["c6e"]]) & (ages < 18)
    )
    orphan = np.isin(cats, [CAT_INDEX["c1"], CAT_INDEX["c2"]])
    elderly = ages >= 60
    adult = ~is_child_cat & ~elderly

    # Orphans live with grandparents (or an uncle/aunt); other children with their parents.
    rows = np.flatnonzero(orphan & (u < 0.7))
    b_rel[rows] = GRANDCHILD
    add(rows, HEAD, 50, 62, "any", head=True)
    add(rows[u2[rows] < 0.6], SPOUSE, 48, 64, "any")
    rows = np.flatnonzero(orphan & (u >= 0.7))
    b_rel[rows] = OTHER
    add(rows, HEAD, 25, 40, "any", head=True)
    rows = np.flatnonzero(is_child_cat & ~orphan)
    b_rel[rows] = CHILD
    add(rows, HEAD, 20, 36, "any", head=True)
    add(rows[u[rows] < 0.75], SPOUSE, 19, 36, "any")
    add(rows[u2[rows] < 0.4], CHILD, -6, 6, "any")
    # Single parents (cat. 4): the children they raise, all under 16.
    for k in (1, 2, 3):
        rows = np.flatnonzero((cats == CAT_INDEX["c4"]) & (children >= k))
        add_rows = rows
        if len(add_rows):
            # ages of children: parent age minus 18..35, capped to 0..15
            kid_age = np.clip(ages[add_rows] - rng.integers(18, 36, len(add_rows)), 0, 15)
            ex_b.append(add_rows)
            ex_rel.append(np.full(len(add_rows), CHILD))
            ex_age.append(kid_age)
            ex_female.append(rng.random(len(add_rows)) < 0.5)
            ex_head.append(np.zeros(len(add_rows), dtype=bool))
    # Other adults: alone, with a spouse, with children; some disabled adults live with parents.
    rows = np.flatnonzero(adult & (cats != CAT_INDEX["c4"]) & (u < 0.3) & (ages < 40))
    b_rel[rows] = CHILD
    add(rows, HEAD, 22, 32, "any", head=True)
    rows = np.flatnonzero(adult & (cats != CAT_INDEX["c4"]) & ~((u < 0.3) & (ages < 40)))
    add(rows[u2[rows] < 0.55], SPOUSE, -5, 5, "opp")
    add(rows[u2[rows] < 0.35], CHILD, -35, -18, "any")
    # Elderly: alone, as a couple, or in a son's or daughter's household. Cat. 5a/5b people have
    # no one obliged to support them (Art. 5(5)): alone or with an elderly spouse only.
    no_supporter = np.isin(cats, [CAT_INDEX["c5a"], CAT_INDEX["c5b"]])
    rows = np.flatnonzero(elderly & (u < 0.45) & ~no_supporter)
    b_rel[rows] = PARENT
    add(rows, HEAD, -38, -25, "any", head=True)
    add(rows[u2[rows] < 0.7], SPOUSE, -38, -25, "any")  # the child's spouse (age ~ head)
    add(rows[u2[rows] < 0.5], GRANDCHILD, -62, -45, "any")
    rows = np.flatnonzero(elderly & (((u >= 0.45) & (u < 0.75)) | (no_supporter & (u < 0.45))))
    add(rows, SPOUSE, -5, 3, "opp")

    if ex_b:
        ex_b = np.concatenate(ex_b)
        ex_rel = np.concatenate(ex_rel)
        ex_age = np.concatenate(ex_age)
        ex_female = np.concatenate(ex_female)
        ex_head = np.concatenate(ex_head)
    else:
        ex_b = ex_rel = ex_age = np.zeros(0, dtype=np.int64)
        ex_female = ex_head = np.zeros(0, dtype=bool)
    order = np.argsort(ex_b, kind="stable")  # keep each household's members together
    ex_b, ex_rel, ex_age, ex_female, ex_head = (
        ex_b[order],
        ex_rel[order],
        ex_age[order],
        ex_female[order],
        ex_head[order],
    )
    ex_age = np.minimum(ex_age, 100)

    # Persons: beneficiaries 0..n-1, then extra members n..n+m-1. Household i = beneficiary i.
    m = len(ex_b)
    p_total = n + m
    p_house = np.r_[np.arange(n), ex_b]
    p_rel = np.r_[b_rel, ex_rel]
    p_age = np.r_[ages, ex_age]
    p_female = np.r_[female, ex_female]
    p_commune = commune_of[p_house]
    head_of = np.arange(n)  # household → head person row
    head_rows = np.flatnonzero(ex_head)
    head_of[ex_b[head_rows]] = n + head_rows

    # Spouses of the head have the other sex; parents of a child-beneficiary likewise.
    spouse = p_rel == SPOUSE
    p_female[spouse] = ~p_female[head_of[p_house[spouse]]]

    # --- birth dates and names ----------------------------------------------------------
    birth_year = ref_year - p_age
    birth_month = rng.integers(1, 13, p_total)
    this_year = birth_year == ref_year
    birth_month[this_year] = rng.integers(1, ctx.month.month + 1, int(this_year.sum()))
    birth_day = 1 + (rng.random(p_total) * 28).astype(np.int64)
    # Partial dates: the elderly often have only a year of birth on record.
    year_only = rng.random(p_total) < np.where(p_age >= 60, 0.25, 0.03)
    month_only = ~year_only & (rng.random(p_total) < 0.04)

    fam_surname = rng.choice(len(NAMES.surnames), size=n, p=NAMES.surname_p)
    own_surname = rng.choice(len(NAMES.surnames), size=p_total, p=NAMES.surname_p)
    inherits = np.isin(p_rel, [HEAD, CHILD, GRANDCHILD, SIBLING])
    surname = np.where(inherits, fam_surname[p_house], own_surname)
    full_name = []
    folded = []
    sur_f = [fold(s) for s in NAMES.surnames]
    parts = {}
    for sex_key, mask in (("M", ~p_female), ("F", p_female)):
        rows = np.flatnonzero(mask)
        mid = rng.choice(len(NAMES.mid[sex_key]), size=len(rows), p=NAMES.mid_p[sex_key])
        giv = rng.integers(0, len(NAMES.given[sex_key]), len(rows))
        parts[sex_key] = (rows, mid, giv)
    mid_all = np.zeros(p_total, dtype=np.int64)
    giv_all = np.zeros(p_total, dtype=np.int64)
    for sex_key in ("M", "F"):
        rows, mid, giv = parts[sex_key]
        mid_all[rows] = mid
        giv_all[rows] = giv
    mids = {k: NAMES.mid[k] for k in "MF"}
    givs = {k: NAMES.given[k] for k in "MF"}
    mids_f = {k: [fold(x) for x in NAMES.mid[k]] for k in "MF"}
    givs_f = {k: [fold(x) for x in NAMES.given[k]] for k in "MF"}
    sn = NAMES.surnames
    for s, fe, mi, gi in zip(
        surname.tolist(), p_female.tolist(), mid_all.tolist(), giv_all.tolist(), strict=True
    ):
        k = "F" if fe else "M"
        full_name.append(f"{sn[s]} {mids[k][mi]} {givs[k][gi]}")
        folded.append(f"{sur_f[s]} {mids_f[k][mi]} {givs_f[k][gi]}")

    province = np.array([int(c.province_code) for c in communes], dtype=np.int64)[p_commune]
    # Most were born in the province they live in; some elsewhere (any province code is valid).
    moved = rng.random(p_total) < 0.12
    other_prov = np.array(sorted({int(c.province_code) for c in communes}) or [1], dtype=np.int64)
    province = np.where(moved, other_prov[rng.integers(0, len(other_prov), p_total)], province)
    personal_id = _personal_ids(ctx, rng, province, birth_year, p_female)

    # Village: the beneficiary's pick, shared by the household.
    v_offsets = np.r_[0, np.cumsum(n_vill)][:-1]
    all_vill = np.concatenate([c.village_ids for c in communes]) if communes else np.zeros(0, np.int64)
    h_village = all_vill[v_offsets[commune_of] + vill_pick]
    h_difficult_village = vill_pick < n_flag[commune_of]
    p_village = h_village[p_house]
    minority = h_difficult_village[p_house] & (rng.random(p_total) < 0.7)
    ethnic_pick = rng.choice(len(NAMES.ethnic), size=p_total, p=NAMES.ethnic_p)
    ethnicity = np.where(minority, np.array(NAMES.ethnic, dtype=object)[ethnic_pick], "Kinh").tolist()

    adult_p = p_age >= 18
    has_phone = adult_p & (rng.random(p_total) < np.where(p_age >= 75, 0.25, 0.6))
    prefixes = np.array(
        [32, 33, 34, 35, 36, 37, 38, 39, 86, 96, 97, 98, 91, 94, 88, 81, 82, 83, 84, 85, 70, 76, 77, 78, 79]
    )
    phone_num = prefixes[rng.integers(0, len(prefixes), p_total)] * 10_000_000 + rng.integers(
        0, 10_000_000, p_total
    )
    phone = np.where(has_phone, np.char.add("0", phone_num.astype("U9")), "").tolist()
    has_bank = (np.arange(p_total) < n) & (rng.random(p_total) < 0.3)
    bank_acct = np.where(has_bank, rng.integers(10**12, 10**13, p_total).astype("U13"), "").tolist()
    bank_pick = rng.integers(0, len(N.BANKS), p_total)
    bank_name = np.where(has_bank, np.array(N.BANKS, dtype=object)[bank_pick], "").tolist()

    commune_names = [c.name for c in communes]
    vill_name_all = [name for c in communes for name in c.village_names]
    h_address = [
        f"{vill_name_all[v]}, {commune_names[c]}"
        for v, c in zip((v_offsets[commune_of] + vill_pick).tolist(), commune_of.tolist(), strict=True)
    ]

    # --- poverty by year (households) ---------------------------------------------------
    need = np.array([c.poverty for c in CATEGORIES], dtype=object)[cats]
    r = rng.random(n)
    status_now = np.where(r < 0.12, 1, np.where(r < 0.22, 2, 0))  # 1 poor, 2 near-poor, 0 none
    status_now[need == "poor"] = 1
    pn = need == "poor_or_near"
    status_now[pn] = np.where(rng.random(int(pn.sum())) < 0.65, 1, 2)
    statuses = np.zeros((n, len(POVERTY_YEARS)), dtype=np.int64)
    statuses[:, -1] = status_now
    for j in range(len(POVERTY_YEARS) - 2, -1, -1):
        stay = rng.random(n) < 0.8
        moved_from = np.where(
            statuses[:, j + 1] == 0,
            rng.choice([0, 1, 2], n, p=[0.4, 0.2, 0.4]),
            rng.choice([0, 1, 2], n, p=[0.2, 0.5, 0.3]),
        )
        statuses[:, j] = np.where(stay, statuses[:, j + 1], moved_from)
    pov_h, pov_y = np.nonzero(statuses)
    pov_status = np.where(statuses[pov_h, pov_y] == 1, "poor", "near_poor")
    pov_year = np.array(POVERTY_YEARS)[pov_y]
    commune_codes = np.array([c.code for c in communes], dtype=object)
    pov_cert = [
        f"{serial:05d}/{year}/{'HN' if s == 'poor' else 'HCN'}-{code}"
        for serial, year, s, code in zip(
            rng.integers(1, 99999, len(pov_h)).tolist(),
            pov_year.tolist(),
            pov_status.tolist(),
            commune_codes[commune_of[pov_h]].tolist(),
            strict=True,
        )
    ]

    # --- entitlements and decisions -----------------------------------------------------
    h = ctx.history_months
    start = m0 - rng.integers(0, h + 1, n) if h else np.full(n, m0)
    birth_idx = birth_year[:n] * 12 + birth_month[:n] - 1
    start = np.minimum(np.maximum(start, birth_idx), m0)
    coef = _coefficients(cats, ages, children)
    benefit = np.array([c.benefit for c in CATEGORIES], dtype=object)[cats]
    code = np.array([c.code for c in CATEGORIES], dtype=object)[cats]
    e_person = np.arange(n)
    # Care support: a household member caring for someone with an especially severe disability.
    carers = np.zeros(n, dtype=np.int64) - 1
    adult_extra = ex_age >= 18
    first_adult = {}
    for idx in np.flatnonzero(adult_extra).tolist():
        first_adult.setdefault(int(ex_b[idx]), idx)
    sev = np.flatnonzero((cats == CAT_INDEX["c6e"]) & (rng.random(n) < 0.5))
    for b in sev.tolist():
        if b in first_adult:
            carers[b] = n + first_adult[b]
    care_b = np.flatnonzero(carers >= 0)
    e_person = np.r_[e_person, carers[care_b]]
    e_commune = np.r_[commune_of, commune_of[care_b]]
    e_benefit = np.r_[benefit, np.full(len(care_b), CARE, dtype=object)]
    e_cat = np.r_[code, np.full(len(care_b), CARE_CATEGORY, dtype=object)]
    e_coef = np.r_[coef, np.full(len(care_b), 100)]
    e_start = np.r_[start, start[care_b]]
    n_e = len(e_person)
    is_pension = e_benefit == PENSION
    prov_int = np.array([int(c.province_code) for c in communes], dtype=np.int64)
    sign_level = ctx.levels.of(is_pension, e_start, prov_int[e_commune])
    e_amount = e_coef * sign_level // 100

    # Signed on a day of the start month (not after today); prepared a few days before.
    start_day = _month_day_number(e_start)
    max_day = np.where(e_start == month_index(ctx.today), max(ctx.today.day - 1, 1), 28)
    signed_day = start_day + (rng.random(n_e) * max_day).astype(np.int64)
    signed_str = _dates(signed_day)
    created_str = [
        f"{d} 08:00:00+07" for d in _dates(np.maximum(signed_day - rng.integers(0, 7, n_e), start_day))
    ]
    decree_335_day = (np.datetime64(DECREE_335_FROM, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64)
    basis_new = np.array([LEGAL_BASIS[b] for b in (MONTHLY, PENSION, CARE)], dtype=object)
    basis_old = np.array([LEGAL_BASIS_D20[b] for b in (MONTHLY, PENSION, CARE)], dtype=object)
    b_idx = np.where(e_benefit == MONTHLY, 0, np.where(is_pension, 1, 2))
    legal = np.where(signed_day >= decree_335_day, basis_new[b_idx], basis_old[b_idx]).tolist()
    reason_by = {
        MONTHLY: "Đủ điều kiện hưởng trợ cấp xã hội hằng tháng, đối tượng khoản {} Điều 5",
        PENSION: "Đủ điều kiện hưởng trợ cấp hưu trí xã hội ({} tuổi)",
        CARE: "Hộ gia đình trực tiếp chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng",
    }
    reasons = [reason_by[b].format(c) for b, c in zip(e_benefit.tolist(), e_cat.tolist(), strict=True)]
    officer = np.array([c.officer_id for c in communes], dtype=np.int64)[e_commune]
    chairman = np.array([c.chairman_id for c in communes], dtype=np.int64)[e_commune]
    signer = np.array([c.chairman_name for c in communes], dtype=object)[e_commune].tolist()

    # --- disability determinations ------------------------------------------------------
    d_rows = np.flatnonzero(np.isin(cats, [CAT_INDEX["c6s"], CAT_INDEX["c6e"]]))
    d_level = np.where(cats[d_rows] == CAT_INDEX["c6e"], "especially_severe", "severe")
    mild = np.flatnonzero(rng.random(p_total) < 0.015)
    mild = mild[~np.isin(mild, d_rows)]
    d_person = np.r_[d_rows, mild]
    d_level = np.r_[d_level, np.full(len(mild), "mild")]
    n_d = len(d_person)
    d_type = np.array(DISABILITY_TYPES, dtype=object)[
        rng.choice(len(DISABILITY_TYPES), n_d, p=DISABILITY_WEIGHTS)
    ]
    # Determined before the grant: up to 8 years earlier, not before birth.
    person_start = np.full(p_total, m0)
    person_start[:n] = start
    earliest = _month_day_number(np.maximum(birth_year[d_person] * 12 + birth_month[d_person] - 1, 2014 * 12))
    latest = _month_day_number(person_start[d_person]) - 1
    span = np.maximum(latest - earliest, 1)
    det_day = np.minimum(
        latest,
        earliest
        + (rng.random(n_d) * np.minimum(span, 8 * 365)).astype(np.int64)
        + np.maximum(span - 8 * 365, 0),
    )
    d_body = [f"Hội đồng xác định mức độ khuyết tật {commune_names[c]}" for c in p_commune[d_person].tolist()]
    d_cert = [f"{s:05d}/GXNKT" for s in rng.integers(1, 99999, n_d).tolist()]

    # --- payment history: every month from the start up to the month before `ctx.month` -----
    n_paid = np.maximum(m0 - e_start, 0)
    l_ent = np.repeat(np.arange(n_e), n_paid)
    first_of = np.repeat(np.cumsum(n_paid) - n_paid, n_paid)
    l_month = e_start[l_ent] + (np.arange(len(l_ent)) - first_of)
    l_level = ctx.levels.of(is_pension[l_ent], l_month, prov_int[e_commune[l_ent]])
    l_amount = e_coef[l_ent] * l_level // 100
    # One run per commune and month, closed: ids local to the chunk.
    run_key = e_commune[l_ent] * 10_000 + (l_month - (m0 - 1000))
    run_keys, l_run = np.unique(run_key, return_inverse=True)
    run_commune = run_keys // 10_000
    run_month = run_keys % 10_000 + (m0 - 1000)
    run_count = np.bincount(l_run, minlength=len(run_keys))
    run_total = np.bincount(l_run, weights=l_amount, minlength=len(run_keys)).astype(np.int64)

    return {
        "n": n,
        "cats": cats,
        "persons": dict(
            rows=p_total,
            personal_id=personal_id,
            full_name=full_name,
            name_folded=folded,
            birth_year=birth_year,
            birth_month=birth_month,
            birth_day=birth_day,
            year_only=year_only,
            month_only=month_only,
            female=p_female,
            ethnicity=ethnicity,
            phone=phone,
            bank_account=bank_acct,
            bank_name=bank_name,
            commune=commune_codes[p_commune].tolist(),
            village=p_village,
        ),
        "households": dict(
            rows=n,
            commune=commune_codes[commune_of].tolist(),
            village=h_village,
            address=h_address,
            head=head_of,
        ),
        "members": dict(rows=p_total, household=p_house, person=np.arange(p_total), relationship=p_rel),
        "poverty": dict(
            rows=len(pov_h), household=pov_h, year=pov_year, status=pov_status.tolist(), cert=pov_cert
        ),
        "disabilities": dict(
            rows=n_d,
            person=d_person,
            type=d_type.tolist(),
            level=d_level.tolist(),
            day=det_day,
            body=d_body,
            cert=d_cert,
        ),
        "entitlements": dict(
            rows=n_e,
            person=e_person,
            commune=commune_codes[e_commune].tolist(),
            benefit=e_benefit.tolist(),
            category=e_cat.tolist(),
            coef=e_coef,
            start=e_start,
            amount=e_amount,
            signed=signed_str,
            created=created_str,
            legal=legal,
            reason=reasons,
            officer=officer,
            chairman=chairman,
            signer=signer,
        ),
        "runs": dict(
            rows=len(run_keys),
            commune=commune_codes[run_commune].tolist(),
            month=run_month,
            count=run_count,
            total=run_total,
            officer=np.array([c.officer_id for c in communes], dtype=np.int64)[run_commune],
            chairman=np.array([c.chairman_id for c in communes], dtype=np.int64)[run_commune],
        ),
        "lines": dict(
            rows=len(l_ent),
            run=l_run,
            entitlement=l_ent,
            person=e_person[l_ent],
            commune=commune_codes[e_commune[l_ent]],
            benefit=e_benefit[l_ent],
            category=e_cat[l_ent],
            month=l_month,
            coef=e_coef[l_ent],
            level=l_level,
            amount=l_amount,
        ),
    }
