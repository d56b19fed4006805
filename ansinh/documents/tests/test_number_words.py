"""The "Bằng chữ" line: an amount in Vietnamese words."""

import pytest

from ansinh.documents.legal import amount_in_words, number_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (105, "một trăm linh năm"),
        (540_000, "năm trăm bốn mươi nghìn"),
        (1_080_000, "một triệu không trăm tám mươi nghìn"),
        (25_110_000, "hai mươi lăm triệu một trăm mười nghìn"),
        (2_000_000_000, "hai tỷ"),
    ],
)
def test_number_words(number, words):
    assert number_words(number) == words


def test_amount_in_words_starts_with_a_capital_and_ends_in_dong():
    assert amount_in_words(2_160_000) == "Hai triệu một trăm sáu mươi nghìn đồng"
