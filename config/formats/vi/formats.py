"""Vietnamese date and number formats.

Stock Django 5.2 lists '%m/%d/%Y' among the input formats for 'vi', so 01/07/2025 would be read
as 7 January. Vietnamese officers write day first: 01/07/2025 is 1 July 2025.
"""

DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '01/07/2025'
    "%d-%m-%Y",  # '01-07-2025'
    "%d.%m.%Y",  # '01.07.2025'
    "%Y-%m-%d",  # ISO, for the API and HTML date inputs
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
