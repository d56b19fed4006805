"""Import benchmark (issue 5, item 6): time `ansinh import` on a generated 100,000-row workbook.

    .venv/bin/python -m bench.import_bench [--rows 100000] [--seed 5] [--database ansinh_imports_bench]

Recreates its own database `ansinh_imports_bench` on 127.0.0.1:5432 (or uses DATABASE_URL as is),
migrates it, loads the administrative units, and creates a provincial officer of Hà Nội.
The workbook is the kind communes keep: a title row, the header on row 3, old (pre-2025)
addresses with and without diacritics, dates in five formats, IDs that lost their leading zeros,
phone numbers with +84, a blank row now and then and a few duplicate rows. Each run uses a fresh
file (the seed and a run stamp go into the title), so the file-hash idempotency does not short-cut it.
It prints the time of validation (read + normalise + stage) and of the commit (persons, residences,
audit rows), and the report's counts.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time


def generate(path: str, rows: int, seed: int, addresses: list[tuple[str, str, str]]) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    family = [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
    ]
    middle_m = ["Văn", "Hữu", "Đức", "Công", "Quang", "Minh", "Thành"]
    middle_f = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim"]
    given_m = [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phúc",
        "Quân",
        "Sơn",
        "Tuấn",
        "Việt",
    ]
    given_f = [
        "Anh",
        "Bích",
        "Chi",
        "Dung",
        "Hà",
        "Hoa",
        "Lan",
        "Mai",
        "Ngọc",
        "Oanh",
        "Phương",
        "Thảo",
        "Yến",
    ]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DS")
    sheet.append([f"DANH SÁCH ĐỐI TƯỢNG (seed {seed}, {time.time_ns()})"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Số CCCD",
            "Dân tộc",
            "Thôn/Tổ",
            "Xa/Phuong",
            "Huyện",
            "Tỉnh",
            "Số điện thoại",
            "Đối tượng",
            "Hệ số",
            "Mức trợ cấp",
            "Tháng bắt đầu hưởng",
        ]
    )
    import datetime as dt

    for i in range(rows):
        if rng.random() < 0.005:
            sheet.append([])
        female = rng.random() < 0.55
        name = f"{rng.choice(family)} {rng.choice(middle_f if female else middle_m)} {rng.choice(given_f if female else given_m)}"
        if rng.random() < 0.1:
            name = name.upper()
        year = rng.randint(1925, 1965)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        style = rng.random()
        if style < 0.3:
            birth = f"{day:02d}/{month:02d}/{year}"
        elif style < 0.5:
            birth = dt.datetime(year, month, day)
        elif style < 0.6:
            birth = (dt.date(year, month, day) - dt.date(1899, 12, 30)).days
        elif style < 0.8:
            birth = year
        elif style < 0.9:
            birth = f"năm {year}"
        else:
            birth = f"{year}-{month:02d}-{day:02d}"
        sex_digit = (0 if year < 2000 else 2) + (1 if female else 0)
        pid = f"001{sex_digit}{year % 100:02d}{i:06d}"
        pid_cell = int(pid) if rng.random() < 0.3 else pid
        province, district, commune = rng.choice(addresses)
        if rng.random() < 0.3:
            from ansinh.core.text import fold

            province, district, commune = fold(province), fold(district), fold(commune)
        phone = (
            f"+84 9{rng.randint(10000000, 99999999)}"
            if rng.random() < 0.3
            else f"09{rng.randint(10000000, 99999999)}"
        )
        category = rng.choice(["1", "2", "3", "4", "5a", "5b", "6"])
        row = [
            i + 1,
            name,
            birth,
            "Nữ" if female else "Nam",
            pid_cell,
            "Kinh",
            f"Tổ {rng.randint(1, 30)}",
            commune,
            district,
            province,
            phone,
            f"Đối tượng {category}",
            "1,5",
            750000,
            f"{rng.randint(1, 12):02d}/2025",
        ]
        sheet.append(row)
        if rng.random() < 0.002:
            sheet.append(row)  # a duplicate row
    workbook.save(path)
    _add_dimension(path)


def _add_dimension(path: str) -> None:
    """Excel writes the used range (<dimension ref="A1:O100003"/>) at the top of each sheet; openpyxl's
    write-only mode does not, and without it a read-only reader parses the whole sheet twice. Add it,
    so the benchmark reads the file as it would read one saved by Excel."""
    import re
    import shutil
    import zipfile

    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as src:
        xml = src.read(name).decode("utf-8")
        rows = re.findall(r'<row r="(\d+)"', xml)
        ref = f'<dimension ref="A1:O{rows[-1] if rows else 1}" />'
        xml = xml.replace("</sheetPr>", "</sheetPr>" + ref, 1)
        fixed = path + ".tmp"
        with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                dst.writestr(item, xml if item.filename == name else src.read(item.filename))
    shutil.move(fixed, path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--database", default="ansinh_imports_bench")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    if "DATABASE_URL" not in os.environ:
        # The benchmark's own database, recreated so each run measures a first import.
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database], capture_output=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.database], capture_output=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ansinh.accounts.models import AreaLevel, Role, User
    from ansinh.areas.loading import areas_load, areas_missing
    from ansinh.areas.models import CommuneSuccession, Province

    if areas_missing():
        areas_load()
    officer, _ = User.objects.get_or_create(
        username="bench_import_hanoi",
        defaults={
            "role": Role.PROVINCIAL_OFFICER,
            "area_level": AreaLevel.PROVINCE,
            "province": Province.objects.get(code="01"),
        },
    )
    # Old communes of Hà Nội that went whole into one new ward or commune.
    whole = CommuneSuccession.objects.filter(
        legacy_commune__district__province_id="01", is_whole=True
    ).values_list(
        "legacy_commune__district__province__name", "legacy_commune__district__name", "legacy_commune__name"
    )
    addresses = sorted(set(whole))[:400]

    from ansinh.imports.selectors import import_report
    from ansinh.imports.services import import_commit, import_file

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.xlsx")
        start = time.perf_counter()
        generate(path, args.rows, args.seed, addresses)
        generated = time.perf_counter() - start
        size = os.path.getsize(path)
        start = time.perf_counter()
        batch = import_file(actor=officer, path=path, kind="beneficiaries")
        validated = time.perf_counter() - start
        start = time.perf_counter()
        summary = import_commit(actor=officer, batch=batch)
        committed = time.perf_counter() - start
    report = import_report(batch)
    print("validation steps:", {k: round(v, 1) for k, v in batch.timings.items()})
    print("commit steps:", {k: round(v, 1) for k, v in summary.timings.items()})
    print(f"rows: {args.rows}, file: {size / 1024 / 1024:.1f} MB, generated in {generated:.1f} s")
    print(f"validation (read, normalise, stage): {validated:.1f} s")
    print(f"commit (persons, decisions, entitlements, audit): {committed:.1f} s")
    print(f"total validation + commit: {validated + committed:.1f} s")
    print(
        f"imported {summary.imported}, merged {summary.merged}, rejected {summary.rejected}, "
        f"persons {summary.persons_created}, entitlements {summary.entitlements_written}, audit rows {summary.audit_rows}"
    )
    print(report.lines[1])
    sys.stdout.flush()


if __name__ == "__main__":
    main()
