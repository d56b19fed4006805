"""Normalisation, match rules and blocking of the matcher (no database)."""

import csv

from django.core.management import call_command

from ansinh.dedup import engine
from ansinh.dedup import normalize as nz


def test_name_normalisation():
    assert nz.name_tokens("NGUYỄN  thị-Ánh") == ["nguyen", "thi", "anh"]
    assert nz.name_tokens("Thị Lan Trần") == ["tran", "thi", "lan"]  # surname written last
    assert nz.without_thi(["nguyen", "thi", "anh"]) == ["nguyen", "anh"]
    assert nz.without_thi(["le", "thi"]) == ["le", "thi"]  # "Thị" as given name stays
    assert nz.name_raw("Nguyễn  Thị Ánh") == "nguyễn thị ánh"


def test_date_normalisation():
    assert nz.parse_birth("12/03/1950") == (1950, 3, 12)
    assert nz.parse_birth("03/25/1950") == (1950, 3, 25)  # month/day swapped, day > 12
    assert nz.parse_birth("1950-03-12") == (1950, 3, 12)
    assert nz.parse_birth("5/3/50") == (1950, 3, 5)
    assert nz.parse_birth("03/1950") == (1950, 3, 0)
    assert nz.parse_birth("năm 1950") == (1950, 0, 0)
    assert nz.parse_birth("1950") == (1950, 0, 0)
    assert nz.parse_birth("") == (0, 0, 0)


def test_personal_id_and_village_normalisation():
    assert nz.clean_personal_id("1050012345") == "001050012345"  # Excel dropped the zeros
    assert nz.clean_personal_id("001 050 012 345") == "001050012345"
    assert nz.clean_personal_id("1050012345.0") == "001050012345"
    assert nz.clean_personal_id("999050012345") == ""  # no such province code
    assert nz.clean_personal_id("abc") == ""
    assert nz.village_key("Thôn Đông 03") == nz.village_key("xom dong 3") == "dong 3"
    assert nz.member_keys("Nguyễn Thị Lan| Trần Văn Ba") == frozenset({"nguyen lan", "tran van ba"})


def _row(i, name, birth, sex="F", pid="", commune="00001", village="Thôn 1", members=""):
    return {
        "id": str(i),
        "full_name": name,
        "birth_date": birth,
        "sex": sex,
        "personal_id": pid,
        "commune_code": commune,
        "village": village,
        "household_members": members,
    }


def _pairs(rows, **kw):
    t, res = engine.find_duplicates(rows, **kw)
    return {
        (t.ids[a], t.ids[b]): (s, r)
        for a, b, s, r in zip(res.left, res.right, res.score, res.reasons, strict=True)
    }


def test_same_personal_id_is_a_match_whatever_else_differs():
    rows = [
        _row(1, "Trần Văn Ba", "1950", sex="M", pid="001050012345"),
        _row(2, "Lê Văn Bốn", "1962", sex="M", pid="1050012345", commune="00002"),
    ]
    pairs = _pairs(rows)
    assert pairs[("1", "2")][0] == 1.0
    assert pairs[("1", "2")][1].startswith("Trùng số định danh cá nhân")


def test_swapped_date_and_no_diacritics_are_found_and_explained():
    rows = [
        _row(1, "Nguyễn Thị Ánh", "12/03/1950", village="Thôn Đông"),
        _row(2, "Nguyen Anh", "03/12/1950", village="thon dong"),  # no diacritics, no "Thị", swapped
        _row(3, "Phạm Văn Cường", "1950", sex="M"),
    ]
    pairs = _pairs(rows)
    assert set(pairs) == {("1", "2")}
    score, reasons = pairs[("1", "2")]
    assert score > 0.8
    assert reasons == (
        "Trùng họ tên khi bỏ chữ “Thị” hoặc đảo thứ tự, ngày sinh đảo ngày/tháng, "
        "cùng giới tính, cùng xã, cùng thôn"
    )


def test_year_only_and_household_member_overlap():
    rows = [
        _row(1, "Lê Thị Hoa", "05/06/1940", members="Trần Văn Nam"),
        _row(2, "LÊ THỊ HOA", "năm 1940", members="Tran Van Nam|Le Thi Mai"),
    ]
    score, reasons = _pairs(rows)[("1", "2")]
    assert score > 0.99
    assert reasons == "Trùng họ tên, cùng năm sinh, cùng giới tính, cùng xã, cùng thôn, trùng thành viên hộ"


def test_different_people_with_same_name_and_different_ids_are_not_matched():
    rows = [
        _row(1, "Nguyễn Văn An", "01/01/1950", sex="M", pid="001050000001"),
        _row(2, "Nguyễn Văn An", "09/09/1971", sex="M", pid="001071000002", commune="00002"),
    ]
    assert _pairs(rows) == {}
    # and below the threshold the pair is still scored, low, with the reasons against it
    score, reasons = _pairs(rows, threshold=0.0)[("1", "2")]
    assert score < 0.01
    assert "nhưng khác năm sinh, khác xã, khác số định danh" in reasons


def test_blocking_keys_cover_swapped_dates_and_folded_names():
    t = engine.build_table(
        [
            _row(1, "Nguyễn Thị Ánh", "12/03/1950"),
            _row(2, "nguyen anh", "03/12/1950"),
            _row(3, "Trần Văn Ba", "12/03/1950", sex="M"),
        ]
    )
    left, right = engine.candidate_pairs(t)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(0, 1)]


def test_link_boundary_keeps_only_cross_pairs():
    t = engine.build_table(
        [
            _row(1, "Lê Văn A", "1950", sex="M"),
            _row(2, "Lê Văn A", "1950", sex="M"),
            _row(3, "Le Van A", "1950", sex="M"),
        ]
    )
    left, right = engine.candidate_pairs(t, link_boundary=1)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(0, 1), (0, 2)]


def test_cli_on_a_small_csv(tmp_path):
    src, out = tmp_path / "in.csv", tmp_path / "pairs.csv"
    with open(src, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.DictWriter(fh, fieldnames=list(_row(0, "", "")))
        w.writeheader()
        w.writerow(_row("A1", "Nguyễn Thị Ánh", "12/03/1950"))
        w.writerow(_row("A2", "Nguyen Anh", "03/12/1950"))
        w.writerow(_row("A3", "Phạm Văn Cường", "1960", sex="M"))
    call_command("dedup", input=str(src), output=str(out), threshold=0.5)
    with open(out, encoding="utf-8") as fh:
        got = list(csv.reader(fh))
    assert got[0] == ["id_left", "id_right", "score", "reasons"]
    assert [r[:2] for r in got[1:]] == [["A1", "A2"]]
    assert float(got[1][2]) > 0.8


def test_cli_refuses_a_file_without_the_columns(tmp_path):
    import pytest
    from django.core.management.base import CommandError

    src = tmp_path / "bad.csv"
    src.write_text("ho_ten,ngay_sinh\nA,1950\n", encoding="utf-8")
    with pytest.raises(CommandError, match="thiếu cột full_name, id"):
        call_command("dedup", input=str(src), output=str(tmp_path / "o.csv"))
    assert not (tmp_path / "o.csv").exists()
