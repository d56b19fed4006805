"""Dates in Vietnamese are day first. Stock Django 5.2 has no DATE_INPUT_FORMATS for 'vi', so it
falls back to the global list, where '%m/%d/%Y' reads 01/07/2025 as 7 January 2025.
config/formats/vi/formats.py (FORMAT_MODULE_PATH) fixes that; these tests prove it is in effect."""

import datetime as dt

import pytest
from django import forms
from django.conf import global_settings
from django.template import Context, Template
from django.utils import formats, translation

from config.formats.vi import formats as vi_formats


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


def test_our_module_is_the_one_in_effect_for_vietnamese():
    assert formats.get_format("DATE_INPUT_FORMATS", lang="vi") == vi_formats.DATE_INPUT_FORMATS
    assert formats.get_format("DATE_INPUT_FORMATS", lang="vi")[0] == "%d/%m/%Y"
    assert formats.get_format("DATE_FORMAT", lang="vi") == "d/m/Y"
    assert formats.get_format("SHORT_DATE_FORMAT", lang="vi") == "d/m/Y"
    assert "%m/%d/%Y" not in formats.get_format("DATE_INPUT_FORMATS", lang="vi")


def test_stock_django_would_read_01_07_2025_as_7_january():
    # The global fallback stock Django uses for 'vi': month first comes before day first.
    fallback = global_settings.DATE_INPUT_FORMATS
    parsed = next(
        dt.datetime.strptime("01/07/2025", fmt).date() for fmt in fallback if _parses("01/07/2025", fmt)
    )
    assert parsed == dt.date(2025, 1, 7)


@pytest.fixture
def stock_django(settings):
    """Django as shipped: no FORMAT_MODULE_PATH. Changing it does not reset Django's format
    caches by itself, so reset them both ways."""
    settings.FORMAT_MODULE_PATH = None
    formats.reset_format_cache()
    yield
    settings.FORMAT_MODULE_PATH = ["config.formats"]
    formats.reset_format_cache()


def test_without_our_module_django_reads_the_date_month_first(stock_django, vietnamese):
    assert formats.get_format("DATE_INPUT_FORMATS", lang="vi") == global_settings.DATE_INPUT_FORMATS
    form = DateForm({"day": "01/07/2025"})
    assert form.is_valid()
    assert form.cleaned_data["day"] == dt.date(2025, 1, 7)


def test_a_date_field_in_vietnamese_reads_01_07_2025_as_1_july(vietnamese):
    form = DateForm({"day": "01/07/2025"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2025, 7, 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/12/2025", dt.date(2025, 12, 31)),
        ("01-07-2025", dt.date(2025, 7, 1)),
        ("01.07.2025", dt.date(2025, 7, 1)),
        ("2025-07-01", dt.date(2025, 7, 1)),  # ISO, as HTML date inputs and the API send it
    ],
)
def test_other_day_first_spellings_and_iso(vietnamese, typed, expected):
    form = DateForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


def test_a_month_first_date_is_refused_in_vietnamese(vietnamese):
    form = DateForm({"day": "12/31/2025"})  # there is no 31st month
    assert not form.is_valid()


def test_a_date_field_renders_its_value_day_first(vietnamese):
    form = DateForm(initial={"day": dt.date(2025, 7, 1)})
    assert 'value="01/07/2025"' in str(form["day"])


def test_templates_show_dates_day_first(vietnamese):
    rendered = Template("{{ d }}|{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"d": dt.date(2025, 7, 1)})
    )
    assert rendered == "01/07/2025|01/07/2025|01/07/2025"


def test_vietnamese_is_the_default_language(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.FORMAT_MODULE_PATH == ["config.formats"]


def _parses(text: str, fmt: str) -> bool:
    try:
        dt.datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True
