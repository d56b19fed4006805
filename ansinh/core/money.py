"""Money is integer đồng everywhere. Amounts come from coefficient × level, rounded to the đồng."""

from decimal import ROUND_HALF_UP, Decimal


def amount_from_coefficient(coefficient: Decimal | str | int, level: int) -> int:
    """Coefficient × standard level, rounded half up to whole đồng."""
    value = Decimal(str(coefficient)) * Decimal(level)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_number(value: int) -> str:
    """12345 → '12.345', -810000 → '-810.000' (Vietnamese groups thousands with dots)."""
    return f"{int(value):,}".replace(",", ".")


def format_vnd(amount: int | None) -> str:
    """1350000 → '1.350.000 đ'."""
    if amount is None:
        return ""
    return f"{format_number(amount)} đ"
