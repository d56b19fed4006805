"""The duplicate matcher: blocking, comparison vectors and Fellegi–Sunter scoring, in numpy.

Plain Python + numpy + rapidfuzz, no Django: `ansinh dedup` runs it on a CSV without touching
the database, the benchmark calls it in-process, and `registry.registry_candidates` feeds it
rows read from the registry.

Rules
- The same valid personal ID (12 digits, after restoring lost leading zeros) is a match, whatever
  else differs (score 1.0).
- Otherwise a Fellegi–Sunter score: each compared field falls in a level (name exact / without
  "Thị" / close …), each level has m = P(level | same person) and u = P(level | different
  persons); the match weight is log2(λ/(1-λ)) + Σ log2(m/u), the score its probability.
  u is estimated from random pairs of the input (what a level costs by chance, e.g. how common
  "Nguyễn Thị Lan" born 1950 is); m starts from reasoned priors and is refined by a few EM
  iterations on the blocked pairs (u held fixed, as Splink does). Small inputs (< 5,000 rows, the
  registry look-up of an import) use the built-in defaults instead, which were set from the
  same estimation on the 100,000-row benchmark.
- A missing value (no ID, no village, year unknown) is neutral: weight 0.

Blocking: pairs are compared only when they share one of the keys of BLOCKING_KEYS; a block
larger than the cap is not dropped but walked as a sorted neighbourhood (each record against
its next `window` records in (commune, birth date) order), so common names stay covered.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from ansinh.dedup import normalize as nz

# --- the prepared table -------------------------------------------------------------------


@functools.lru_cache(maxsize=1_000_000)
def _name(text: str) -> tuple[str, str, str, str, str, str]:
    """full folded, without Thị, raw (diacritics kept), surname, given name, sorted-token key."""
    tokens = nz.name_tokens(text)
    nothi = nz.without_thi(tokens)
    return (
        " ".join(tokens),
        " ".join(nothi),
        nz.name_raw(text),
        tokens[0] if tokens else "",
        tokens[-1] if tokens else "",
        " ".join(sorted(nothi)),
    )


_birth = functools.lru_cache(maxsize=200_000)(nz.parse_birth)
_village = functools.lru_cache(maxsize=200_000)(nz.village_key)


@dataclass
class Table:
    """Column arrays of the persons to compare (index i = i-th input row)."""

    ids: list[str]
    full: np.ndarray  # folded full name (object array of str)
    nothi: np.ndarray
    raw: np.ndarray
    surname: np.ndarray
    given: np.ndarray
    sortkey: np.ndarray
    year: np.ndarray  # int32, 0 unknown
    month: np.ndarray
    day: np.ndarray
    sex: np.ndarray  # int8: 0 unknown, 1 M, 2 F
    pid: np.ndarray  # object array, "" when missing/invalid
    commune: np.ndarray  # object array of commune codes
    village: np.ndarray  # object array of village keys
    members: list[frozenset] = field(default_factory=list)
    # share of the records carrying each record's name (without "Thị"): term-frequency u
    name_freq: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


def build_table(rows: Iterable[dict], progress: Callable[[int], None] | None = None) -> Table:
    """rows: dicts with id, full_name, birth_date (or birth_year/birth_month/birth_day), sex,
    personal_id, commune_code, village, household_members (names separated by '|' or ';')."""
    ids, names, births, sexes, pids, communes, villages, members = [], [], [], [], [], [], [], []
    for n, row in enumerate(rows, 1):
        ids.append(str(row.get("id", n)))
        names.append(_name(str(row.get("full_name") or "")))
        if row.get("birth_date"):
            births.append(_birth(str(row["birth_date"])))
        else:
            births.append(
                (
                    int(row.get("birth_year") or 0),
                    int(row.get("birth_month") or 0),
                    int(row.get("birth_day") or 0),
                )
            )
        sexes.append(nz.clean_sex(row.get("sex")))
        pids.append(nz.clean_personal_id(row.get("personal_id")))
        communes.append(str(row.get("commune_code") or "").strip())
        villages.append(_village(str(row.get("village") or "")))
        members.append(nz.member_keys(row.get("household_members")))
        if progress and n % 10_000 == 0:
            progress(10_000)
    if progress:
        progress(len(ids) % 10_000)

    def col(i):
        return np.array([t[i] for t in names], dtype=object)

    b = np.array(births, dtype=np.int32).reshape(-1, 3)
    return Table(
        ids=ids,
        full=col(0),
        nothi=col(1),
        raw=col(2),
        surname=col(3),
        given=col(4),
        sortkey=col(5),
        year=b[:, 0],
        month=b[:, 1],
        day=b[:, 2],
        sex=np.array([{"M": 1, "F": 2}.get(s, 0) for s in sexes], dtype=np.int8),
        pid=np.array(pids, dtype=object),
        commune=np.array(communes, dtype=object),
        village=np.array(villages, dtype=object),
        members=members,
    )


def _with_name_freq(t: Table) -> Table:
    codes = _codes(list(t.nothi))
    counts = np.bincount(codes)
    t.name_freq = counts[codes] / max(1, len(t))
    return t


# --- blocking -----------------------------------------------------------------------------


def _codes(keys: list) -> np.ndarray:
    """Hashable keys → dense int codes, -1 for None (record not in any block of this key)."""
    index: dict = {}
    out = np.empty(len(keys), dtype=np.int64)
    for i, k in enumerate(keys):
        out[i] = -1 if k is None else index.setdefault(k, len(index))
    return out


def blocking_keys(t: Table) -> dict[str, np.ndarray]:
    n = len(t)
    y = t.year
    keys = {
        # same valid personal ID
        "personal_id": _codes([p or None for p in t.pid]),
        # same name without "Thị" and year of birth (catches swapped/partial dates, no diacritics)
        "name_year": _codes([(t.nothi[i], int(y[i])) if t.nothi[i] else None for i in range(n)]),
        # same commune, year and given name (typos in surname or middle name)
        "commune_year_given": _codes(
            [(t.commune[i], int(y[i]), t.given[i]) if t.given[i] and t.commune[i] else None for i in range(n)]
        ),
        # same surname and day/month set (typo in the given name, year typed wrong)
        "surname_daymonth": _codes(
            [
                (
                    t.surname[i],
                    min(int(t.day[i]), int(t.month[i])),
                    max(int(t.day[i]), int(t.month[i])),
                    t.commune[i],
                )
                if t.day[i] and t.month[i]
                else None
                for i in range(n)
            ]
        ),
        # the name's tokens in any order (given name written first, year missing or wrong)
        "sorted_name": _codes([t.sortkey[i] or None for i in range(n)]),
    }
    return keys


def _pairs_from_codes(codes: np.ndarray, order_key: np.ndarray, n: int, cap: int, window: int) -> np.ndarray:
    """Pair codes lo*n+hi for records sharing a code; blocks above `cap` as sorted neighbourhood."""
    idx = np.flatnonzero(codes >= 0)
    if len(idx) < 2:
        return np.empty(0, dtype=np.int64)
    # sort by block, then by the neighbourhood order inside a block
    order = np.lexsort((order_key[idx], codes[idx]))
    idx = idx[order]
    k = codes[idx]
    cut = np.flatnonzero(np.diff(k)) + 1
    starts = np.r_[0, cut]
    sizes = np.diff(np.r_[starts, len(k)])
    out = []
    small = (sizes >= 2) & (sizes <= cap)
    for s in np.unique(sizes[small]):
        st = starts[small & (sizes == s)]
        a, b = np.triu_indices(int(s), 1)
        left = idx[st[:, None] + a[None, :]].ravel()
        right = idx[st[:, None] + b[None, :]].ravel()
        out.append(np.minimum(left, right).astype(np.int64) * n + np.maximum(left, right))
    big = sizes > cap
    if big.any():
        member = np.repeat(big, sizes)  # positions inside oversized blocks
        pos = np.flatnonzero(member)
        for d in range(1, window + 1):
            p = pos[pos + d < len(k)]
            same = (k[p] == k[p + d]) & member[p + d]
            left, right = idx[p[same]], idx[p[same] + d]
            out.append(np.minimum(left, right).astype(np.int64) * n + np.maximum(left, right))
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def candidate_pairs(
    t: Table, *, cap: int = 60, window: int = 12, link_boundary: int | None = None
) -> np.ndarray:
    """Unique candidate pairs as two int arrays (left < right). With `link_boundary` b, only
    pairs with left < b <= right (rows before b against rows from b on)."""
    n = len(t)
    # neighbourhood order: commune, then birth date, so big blocks pair records that are close
    commune_code = _codes(list(t.commune))
    order_key = commune_code * 10_000_000 + t.year.astype(np.int64) * 10_000 + t.month * 100 + t.day
    parts = []
    for name, codes in blocking_keys(t).items():
        parts.append(_pairs_from_codes(codes, order_key, n, cap if name != "personal_id" else 10_000, window))
    allp = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
    left, right = allp // n, allp % n
    if link_boundary is not None:
        keep = (left < link_boundary) & (right >= link_boundary)
        left, right = left[keep], right[keep]
    return left, right


# --- comparison vectors -------------------------------------------------------------------

# Per comparison: level labels, best level last; -1 = missing (neutral).
COMPARISONS = {
    "name": [
        "khác họ tên",
        "họ tên gần giống",
        "họ tên gần giống, trùng tên",
        "trùng họ tên khi bỏ chữ “Thị” hoặc đảo thứ tự",
        "trùng họ tên không dấu",
        "trùng họ tên",
    ],
    "birth": [
        "khác năm sinh",
        "năm sinh lệch 1 năm",
        "cùng năm sinh, khác ngày/tháng",
        "cùng năm sinh",
        "ngày sinh đảo ngày/tháng",
        "trùng ngày sinh",
    ],
    "sex": ["khác giới tính", "cùng giới tính"],
    "commune": ["khác xã", "cùng xã"],
    "village": ["khác thôn", "tên thôn gần giống", "cùng thôn"],
    "personal_id": ["khác số định danh", "số định danh lệch 1 chữ số"],
    "members": ["không trùng thành viên hộ", "trùng thành viên hộ"],
}

# m = P(level | same person): reasoned priors (EM refines them on large inputs).
M_PRIOR = {
    "name": [0.03, 0.05, 0.07, 0.15, 0.30, 0.40],
    "birth": [0.03, 0.04, 0.06, 0.22, 0.07, 0.58],
    "sex": [0.02, 0.98],
    "commune": [0.10, 0.90],
    "village": [0.10, 0.10, 0.80],
    "personal_id": [0.15, 0.85],
    "members": [0.15, 0.85],
}
# u = P(level | different persons): used for small inputs; large inputs estimate u themselves.
U_DEFAULT = {
    "name": [0.99985, 0.0001, 0.00002, 0.00001, 0.00001, 0.00001],
    "birth": [0.975, 0.0195, 0.004, 0.0012, 0.00002, 0.00008],
    "sex": [0.5, 0.5],
    "commune": [0.9997, 0.0003],
    "village": [0.60, 0.05, 0.35],
    "personal_id": [0.999999, 0.000001],
    "members": [0.99, 0.01],
}
LAMBDA_DEFAULT = 1e-5
# Probability above which a pair is reported (a reviewer still confirms each pair).
DEFAULT_THRESHOLD = 0.8


def _jw(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(a) == 0:
        return np.empty(0, dtype=np.float32)
    return process.cpdist(list(a), list(b), scorer=JaroWinkler.normalized_similarity, workers=-1)


def compare(t: Table, left: np.ndarray, right: np.ndarray) -> dict[str, np.ndarray]:
    """Comparison levels (int8, -1 missing) for each pair."""
    g: dict[str, np.ndarray] = {}
    p = len(left)

    fl, fr = t.full[left], t.full[right]
    nl, nr = t.nothi[left], t.nothi[right]
    jw = _jw(nl, nr)
    same_given = t.given[left] == t.given[right]
    name = np.zeros(p, dtype=np.int8)
    name[jw >= 0.92] = 1
    name[(jw >= 0.88) & same_given] = 2
    name[(nl == nr) | (t.sortkey[left] == t.sortkey[right])] = 3
    name[fl == fr] = 4
    name[t.raw[left] == t.raw[right]] = 5
    name[(fl == "") | (fr == "")] = -1
    g["name"] = name
    if t.name_freq is not None:
        g["_name_tf"] = t.name_freq[left]

    yl, yr = t.year[left], t.year[right]
    ml, mr = t.month[left], t.month[right]
    dl, dr = t.day[left], t.day[right]
    birth = np.zeros(p, dtype=np.int8)
    birth[np.abs(yl - yr) == 1] = 1
    same_year = yl == yr
    birth[same_year] = 2
    month_ok = (ml == 0) | (mr == 0) | (ml == mr)
    day_ok = (dl == 0) | (dr == 0) | (dl == dr)
    partial = (ml == 0) | (mr == 0) | (dl == 0) | (dr == 0)
    birth[same_year & month_ok & day_ok & partial] = 3
    full = (ml > 0) & (mr > 0) & (dl > 0) & (dr > 0)
    birth[same_year & full & (dl == mr) & (ml == dr) & (dl != ml)] = 4
    birth[same_year & full & (ml == mr) & (dl == dr)] = 5
    birth[(yl == 0) | (yr == 0)] = -1
    g["birth"] = birth

    sl, sr = t.sex[left], t.sex[right]
    g["sex"] = np.where((sl == 0) | (sr == 0), -1, (sl == sr).astype(np.int8)).astype(np.int8)

    cl, cr = t.commune[left], t.commune[right]
    same_commune = cl == cr
    g["commune"] = np.where((cl == "") | (cr == ""), -1, same_commune.astype(np.int8)).astype(np.int8)

    vl, vr = t.village[left], t.village[right]
    village = np.full(p, -1, dtype=np.int8)
    both = same_commune & (vl != "") & (vr != "")
    if both.any():
        vjw = _jw(vl[both], vr[both])
        lv = np.zeros(int(both.sum()), dtype=np.int8)
        lv[vjw >= 0.85] = 1
        lv[vl[both] == vr[both]] = 2
        village[both] = lv
    g["village"] = village

    pl, pr = t.pid[left], t.pid[right]
    pidl = np.full(p, -1, dtype=np.int8)
    bothp = (pl != "") & (pr != "")
    if bothp.any():
        a = np.frombuffer("".join(pl[bothp]).encode(), dtype=np.uint8).reshape(-1, 12)
        b = np.frombuffer("".join(pr[bothp]).encode(), dtype=np.uint8).reshape(-1, 12)
        diff = (a != b).sum(axis=1)
        # equal IDs are decided by the rule; here: one digit off (typo) or really different
        pidl[bothp] = np.where(diff == 0, -1, np.where(diff == 1, 1, 0))
    g["personal_id"] = pidl
    g["_pid_equal"] = bothp & (pl == pr)

    mem = np.full(p, -1, dtype=np.int8)
    has = np.fromiter((len(s) > 0 for s in t.members), dtype=bool, count=len(t))
    bothm = np.flatnonzero(has[left] & has[right])
    for k in bothm:
        mem[k] = 1 if t.members[left[k]] & t.members[right[k]] else 0
    g["members"] = mem
    return g


# --- parameters ---------------------------------------------------------------------------


@dataclass
class Parameters:
    m: dict[str, np.ndarray]
    u: dict[str, np.ndarray]
    lam: float

    @classmethod
    def default(cls) -> Parameters:
        return cls(
            m={k: np.array(v, dtype=float) for k, v in M_PRIOR.items()},
            u={k: np.array(v, dtype=float) for k, v in U_DEFAULT.items()},
            lam=LAMBDA_DEFAULT,
        )

    def weights(self) -> dict[str, np.ndarray]:
        """log2(m/u) per level, with a trailing 0 for the missing level (index -1)."""
        return {k: np.r_[np.log2(self.m[k] / self.u[k]), 0.0] for k in COMPARISONS}


def estimate_u(t: Table, *, samples: int = 1_000_000, seed: int = 7) -> dict[str, np.ndarray]:
    """u from random record pairs (practically all of them are different persons)."""
    n = len(t)
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n, samples)
    b = rng.integers(0, n, samples)
    keep = a != b
    g = compare(t, a[keep], b[keep])
    u = {}
    for k, labels in COMPARISONS.items():
        lv = g[k][g[k] >= 0]
        counts = np.bincount(lv, minlength=len(labels)).astype(float) + 1.0  # Laplace: no zero u
        u[k] = counts / counts.sum()
    return u


def estimate_lambda(g: dict[str, np.ndarray], params: Parameters, n: int, *, iterations: int = 10) -> float:
    """λ = P(two random records are the same person): expected matches among the blocked pairs
    (sum of posteriors, iterated to a fixed point) over all n(n-1)/2 pairs. u is a random-pair
    quantity, so λ must be one too, not the share of matches inside the blocks."""
    all_pairs = max(1.0, n * (n - 1) / 2)
    lam = params.lam
    base = _evidence(g, params)
    for _ in range(iterations):
        total = base + math.log2(lam / (1 - lam))
        expected = float((1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))).sum())
        lam = float(np.clip(expected / all_pairs, 1e-12, 0.5))
    return lam


def _evidence(g: dict[str, np.ndarray], params: Parameters) -> np.ndarray:
    """Σ log2(m/u) per pair, with the name's u taken from the name's own frequency (term
    frequency): two "Nguyễn Thị Lan" agree far more often by chance than two "Quách Diệu Sen"."""
    w = params.weights()
    p = len(g["name"])
    total = np.zeros(p)
    for k in COMPARISONS:
        total += w[k][g[k]]
    tf = g.get("_name_tf")
    if tf is not None:
        exact = g["name"] >= 3
        if exact.any():
            u_tf = np.maximum(tf[exact], params.u["name"][3])
            total[exact] += -np.log2(params.m["name"][g["name"][exact]] / params.u["name"][g["name"][exact]])
            total[exact] += np.log2(params.m["name"][g["name"][exact]] / u_tf)
    return total


# --- scoring ------------------------------------------------------------------------------


def _reason_text(levels: tuple[int, ...], weights: dict[str, np.ndarray], pid_equal: bool) -> str:
    agree, disagree = [], []
    if pid_equal:
        agree.append("trùng số định danh cá nhân")
    for (k, labels), lv in zip(COMPARISONS.items(), levels, strict=True):
        if lv < 0:
            continue
        w = weights[k][lv]
        if w > 0.5:
            agree.append(labels[lv])
        elif w < -0.5:
            disagree.append(labels[lv])
    text = ", ".join(agree)
    if disagree:
        text += ("; " if text else "") + "nhưng " + ", ".join(disagree)
    return text[:1].upper() + text[1:]


@dataclass
class Result:
    left: np.ndarray
    right: np.ndarray
    score: np.ndarray
    weight: np.ndarray
    reasons: list[str]
    params: Parameters
    candidates: int


def score_pairs(t: Table, left, right, params: Parameters, g=None, *, threshold: float = 0.0):
    g = g if g is not None else compare(t, left, right)
    w = params.weights()
    total = _evidence(g, params) + math.log2(params.lam / (1 - params.lam))
    score = 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))
    score[g["_pid_equal"]] = 1.0  # rule: same valid personal ID
    keep = np.flatnonzero(score >= threshold)
    mat = (
        np.stack([g[k][keep] for k in COMPARISONS], axis=1)
        if len(keep)
        else np.empty((0, len(COMPARISONS)), dtype=np.int8)
    )
    pid_eq = g["_pid_equal"][keep]
    reasons = []
    if len(keep):
        combo = np.concatenate([mat, pid_eq[:, None].astype(np.int8)], axis=1)
        uniq, inverse = np.unique(combo, axis=0, return_inverse=True)
        texts = [_reason_text(tuple(int(x) for x in row[:-1]), w, bool(row[-1])) for row in uniq]
        reasons = [texts[i] for i in inverse.ravel()]
    return keep, score[keep], total[keep], reasons


def read_csv(path) -> list[dict]:
    """Rows of a dedup input CSV (UTF-8, with or without BOM; comma or semicolon separated)."""
    import csv

    with open(path, newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(fh, delimiter=delimiter)
        missing = {"id", "full_name"} - {(h or "").strip() for h in reader.fieldnames or []}
        if missing:
            raise ValueError(
                "Tệp CSV thiếu cột "
                + ", ".join(sorted(missing))
                + ": dòng đầu phải có tên cột như trong docs/dedup.md "
                "(id, full_name, birth_date, sex, personal_id, commune_code, village, household_members)."
            )
        return [{(k or "").strip(): v for k, v in row.items()} for row in reader]


def write_pairs(path, t: Table, res: Result) -> int:
    import csv

    order = np.argsort(-res.score, kind="stable")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id_left", "id_right", "score", "reasons"])
        for i in order:
            w.writerow([t.ids[res.left[i]], t.ids[res.right[i]], f"{res.score[i]:.4f}", res.reasons[i]])
    return len(order)


def find_duplicates(
    rows_or_table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    link_boundary: int | None = None,
    estimate: bool | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[Table, Result]:
    """Find candidate duplicate pairs. Returns the table and the pairs scoring ≥ threshold."""
    t = rows_or_table if isinstance(rows_or_table, Table) else build_table(rows_or_table)
    if progress:
        progress("prepared", len(t))
    left, right = candidate_pairs(t, link_boundary=link_boundary)
    if progress:
        progress("blocked", len(left))
    params = Parameters.default()
    if estimate is None:
        estimate = len(t) >= 5_000
    g = None
    if estimate:
        _with_name_freq(t)
        params.u = estimate_u(t)
        g = compare(t, left, right)
        params.lam = estimate_lambda(g, params, len(t))
        if progress:
            progress("trained", 0)
    keep, score, weight, reasons = score_pairs(t, left, right, params, g, threshold=threshold)
    if progress:
        progress("scored", len(left))
    return t, Result(left[keep], right[keep], score, weight, reasons, params, len(left))
