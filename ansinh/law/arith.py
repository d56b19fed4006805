"""Integer arithmetic for money: coefficients are stored ×100, amounts are whole đồng (int64).

No floats: a coefficient of 2,5 is 250, and 250 × 540,000 / 100 is computed in int64 with
half-up rounding (all amounts are non-negative, so `(x + 50) // 100` is half-up).
"""

from decimal import Decimal

import numpy as np


def amount_x100(coefficient_x100, level):
    """coefficient (×100) × level, rounded half up to whole đồng, as int64."""
    product = np.asarray(coefficient_x100, dtype=np.int64) * np.asarray(level, dtype=np.int64)
    return (product + 50) // 100


def coefficient_decimal(coefficient_x100: int) -> Decimal:
    """250 → Decimal('2.5') (for display and for the decisions' coefficient field)."""
    return (Decimal(int(coefficient_x100)) / Decimal(100)).normalize() if coefficient_x100 else Decimal(0)


def coefficient_text(coefficient_x100: int) -> str:
    """250 → '2,5' (the Vietnamese decimal comma)."""
    value = coefficient_decimal(coefficient_x100)
    text = format(value, "f")
    if "." not in text:
        text += ".0"  # Vietnamese texts write "hệ số 1,0"
    return text.replace(".", ",")


def x100_from_text(text: str) -> int:
    """'0.5' or '0,5' → 50; raises ValueError when it needs more than two decimals or is negative."""
    value = Decimal(str(text).replace(",", ".").strip())
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError("hệ số chỉ được có tối đa 2 chữ số thập phân")
    if value < 0:
        raise ValueError("hệ số không được âm")
    return int(scaled)
