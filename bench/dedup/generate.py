"""Synthetic Vietnamese person lists with known duplicates, for the dedup benchmark.

`generate(n, seed)` writes rows shaped like the `ansinh dedup` input (docs/dedup.md) plus a
`true_id` column (the real person behind the row). About 15% of persons appear twice or three
times, each copy corrupted as commune lists really are: diacritics dropped, "Thị" dropped or
added, a typo in the name, day and month swapped, year only, leading zeros lost from the ID
(Excel), ID missing, village spelled differently, the person listed in a neighbouring commune.
Name frequencies follow the usual shares of Vietnamese family names, so common names collide
the way they do in a real province (many "Nguyễn Thị Lan" born the same year).
"""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path

from ansinh.core.text import fold

SURNAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 5.1),
    ("Huỳnh", 2.5),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Võ", 2.5),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Đào", 0.6),
    ("Đinh", 0.6),
    ("Lâm", 0.4),
    ("Mai", 0.4),
    ("Trịnh", 0.4),
    ("Trương", 0.5),
    ("Hà", 0.4),
    ("Cao", 0.3),
    ("Lương", 0.3),
    ("Tạ", 0.2),
    ("Quách", 0.1),
    ("Lò", 0.2),
]
MIDDLE_M = [
    ("Văn", 45),
    ("Đức", 8),
    ("Minh", 8),
    ("Hữu", 6),
    ("Quang", 5),
    ("Thanh", 5),
    ("Xuân", 4),
    ("Công", 4),
    ("Ngọc", 3),
    ("Đình", 4),
    ("Mạnh", 2),
    ("Tiến", 2),
    ("Anh", 2),
    ("Gia", 2),
]
MIDDLE_F = [
    ("Thị", 60),
    ("Ngọc", 7),
    ("Thu", 5),
    ("Thanh", 5),
    ("Minh", 4),
    ("Kim", 4),
    ("Thúy", 3),
    ("Hồng", 3),
    ("Bích", 2),
    ("Phương", 2),
    ("Mai", 2),
    ("Diệu", 2),
]
GIVEN_M = """An Anh Bảo Bình Cường Chiến Công Dũng Duy Dương Đạt Đức Giang Hải Hào Hiếu Hiệp Hoà Hoàng Hùng Huy
Hưng Khang Khánh Khoa Kiên Lâm Linh Long Lộc Lợi Mạnh Minh Nam Nghĩa Nhân Phong Phúc Phương Quang Quân Quý
Sang Sơn Tài Tâm Thắng Thành Thịnh Thông Tiến Toàn Trí Trung Tuấn Tùng Việt Vinh Vũ Xuân Định Lực Khải Hậu""".split()
GIVEN_F = """Anh Ánh Bích Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hòa Hồng Huệ Hương Hường Lan Liên Liễu Linh
Loan Lụa Mai Mơ My Nga Ngân Ngọc Nhung Oanh Phượng Quyên Quỳnh Sen Tâm Thảo Thắm Thanh Thơm Thu Thúy Thủy
Trang Trinh Tuyết Vân Xuân Yến Nhàn Gấm Tươi Lý Đào Huyền Diệp Lệ Mến""".split()
VILLAGE_NAMES = [
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Thượng",
    "Hạ",
    "Trung",
    "Tân Lập",
    "Đồng Tâm",
    "Phú Mỹ",
    "An Lạc",
    "Hòa Bình",
    "Quyết Tiến",
    "Thắng Lợi",
    "Cầu",
    "Chợ",
    "Làng Mới",
    "Bến",
]
PROVINCES = ["001", "024", "027", "030", "034", "036", "038", "040", "042", "083", "087", "089", "096"]
KEYBOARD_NEAR = {
    "a": "s",
    "n": "m",
    "m": "n",
    "h": "g",
    "g": "h",
    "i": "u",
    "u": "i",
    "o": "p",
    "t": "r",
    "e": "r",
    "c": "v",
    "l": "k",
    "y": "t",
    "d": "f",
    "r": "t",
    "s": "a",
    "p": "o",
    "k": "l",
}

FIELDS = [
    "id",
    "full_name",
    "birth_date",
    "sex",
    "personal_id",
    "commune_code",
    "village",
    "household_members",
]


def _pick(rng, table):
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights)[0]


def _person(rng, serial, communes):
    sex = rng.choice("MF")
    surname = _pick(rng, SURNAMES)
    middle = _pick(rng, MIDDLE_M if sex == "M" else MIDDLE_F)
    given = rng.choice(GIVEN_M if sex == "M" else GIVEN_F)
    if rng.random() < 0.15:  # two middle names ("Nguyễn Thị Thu Hà")
        middle += " " + _pick(rng, MIDDLE_M if sex == "M" else MIDDLE_F)
    # beneficiaries: elderly people, children, people with disabilities
    year = rng.choice(
        [rng.randint(1925, 1960), rng.randint(1930, 1965), rng.randint(1960, 2023), rng.randint(2005, 2024)]
    )
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    commune = rng.choice(communes)
    village = f"Thôn {rng.choice(VILLAGE_NAMES)} {rng.randint(1, 6)}"
    century = 0 if year < 2000 else 2
    pid = (
        f"{rng.choice(PROVINCES)}{century + (1 if sex == 'F' else 0)}{year % 100:02d}{serial % 1_000_000:06d}"
    )
    return {
        "full_name": f"{surname} {middle} {given}",
        "year": year,
        "month": month,
        "day": day,
        "sex": sex,
        "personal_id": pid,
        "commune_code": commune,
        "village": village,
    }


def _typo(rng, name):
    words = name.split()
    i = rng.randrange(len(words))
    w = words[i]
    base = fold(w)
    op = rng.random()
    j = rng.randrange(len(base))
    if op < 0.4 and len(base) > 2:  # drop a letter
        new = base[:j] + base[j + 1 :]
    elif op < 0.8:  # neighbouring key
        new = base[:j] + KEYBOARD_NEAR.get(base[j], base[j]) + base[j + 1 :]
    else:  # doubled letter
        new = base[:j] + base[j] + base[j:]
    words[i] = new.capitalize()
    return " ".join(words)


def _strip_accents(text):
    d = unicodedata.normalize("NFD", text)
    return "".join(c for c in d if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


def _render(rng, p, corrupt: bool):
    name, y, m, d, pid, village, commune = (
        p["full_name"],
        p["year"],
        p["month"],
        p["day"],
        p["personal_id"],
        p["village"],
        p["commune_code"],
    )
    date_style = "full"
    if corrupt:
        r = rng.random
        if r() < 0.35:
            name = _strip_accents(name)
        if " Thị " in f" {name} " and r() < 0.35:
            name = name.replace(" Thị ", " ", 1)
        elif " Thi " in name and r() < 0.35:
            name = name.replace(" Thi ", " ", 1)
        if r() < 0.2:
            name = _typo(rng, name)
        if r() < 0.1:
            name = name.upper()
        if r() < 0.2:
            date_style = "swapped" if d <= 12 else "full"
        elif r() < 0.25:
            date_style = "year"
        elif r() < 0.05:
            y = y + rng.choice([-1, 1])
        if r() < 0.25:
            pid = pid.lstrip("0")  # Excel number cell
        if r() < 0.35:
            pid = ""
        elif r() < 0.05 and pid:  # one digit mistyped
            k = rng.randrange(6, len(pid))
            pid = pid[:k] + str((int(pid[k]) + 1) % 10) + pid[k + 1 :]
        if r() < 0.3:
            village = rng.choice(
                [
                    _strip_accents(village),
                    village.replace("Thôn ", "Xóm "),
                    village.replace("Thôn ", ""),
                    village.replace(" ", "  ").lower(),
                ]
            )
        if r() < 0.1:
            village = ""
        if r() < 0.08:
            commune = p["alt_commune"]  # listed in a neighbouring commune too
    else:
        r = rng.random
        # originals are not perfect either: some year-only dates, some missing IDs
        if r() < 0.15:
            date_style = "year"
        if r() < 0.2:
            pid = ""
    if date_style == "full":
        birth = f"{d:02d}/{m:02d}/{y}" if rng.random() < 0.8 else f"{y}-{m:02d}-{d:02d}"
    elif date_style == "swapped":
        birth = f"{m:02d}/{d:02d}/{y}"
    else:
        birth = str(y) if rng.random() < 0.7 else f"năm {y}"
    return name, birth, pid, village, commune


def generate(n: int, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    n_communes = max(20, n // 350)
    communes = [f"{10000 + i * 3:05d}" for i in range(n_communes)]
    rows: list[dict] = []
    serial = 0
    person_no = 0
    while len(rows) < n:
        person_no += 1
        serial += 1
        p = _person(rng, serial, communes)
        ci = communes.index(p["commune_code"]) if n_communes < 50 else int(p["commune_code"]) // 3 - 3333
        p["alt_commune"] = communes[(ci + 1) % n_communes]
        # a few household members (other persons' names) for part of the rows
        members = ""
        if rng.random() < 0.4:
            members = "|".join(_person(rng, 0, communes)["full_name"] for _ in range(rng.randint(1, 3)))
        copies = 1
        x = rng.random()
        if x < 0.12:
            copies = 2
        elif x < 0.15:
            copies = 3
        for c in range(copies):
            if len(rows) >= n:
                break
            name, birth, pid, village, commune = _render(rng, p, corrupt=c > 0)
            mem = members
            if c > 0 and mem and rng.random() < 0.3:
                mem = ""
            rows.append(
                {
                    "id": "",
                    "full_name": name,
                    "birth_date": birth,
                    "sex": p["sex"],
                    "personal_id": pid,
                    "commune_code": commune,
                    "village": village,
                    "household_members": mem,
                    "true_id": person_no,
                }
            )
    rng.shuffle(rows)
    for i, row in enumerate(rows, 1):
        row["id"] = f"R{i:07d}"
    return rows


def write_csv(rows: list[dict], path: Path, *, with_truth: bool = True) -> None:
    fields = FIELDS + (["true_id"] if with_truth else [])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def true_pairs(rows: list[dict]) -> set[tuple[str, str]]:
    by_person: dict = {}
    for row in rows:
        by_person.setdefault(row["true_id"], []).append(row["id"])
    pairs = set()
    for ids in by_person.values():
        ids.sort()
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                pairs.add((ids[i], ids[j]))
    return pairs
