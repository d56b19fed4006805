"""Charts drawn on the server as inline SVG: no JavaScript library, nothing fetched from outside
(government networks are often closed)."""

from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe

from ansinh.core.months import format_month


def trend_svg(
    series, *, target: Decimal | None = None, width: int = 220, height: int = 56, label: str = ""
) -> str:
    """A line of the monthly values, a dashed line at the target, the last value as a dot.

    `series` is [(month, IndicatorValue)]; months without a figure leave a gap."""
    points = [(i, v.value) for i, (_, v) in enumerate(series) if v.value is not None]
    values = [float(v) for _, v in points] + ([float(target)] if target is not None else [])
    title = escape(label or "Xu hướng 12 tháng")
    if not points:
        return mark_safe(
            f'<svg class="trend" role="img" aria-label="{title}: chưa có số liệu" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><text x="4" y="{height // 2}" font-size="11" fill="#5a6470">'
            "Chưa có số liệu</text></svg>"
        )
    low, high = min(values), max(values)
    if high - low < 1:
        low, high = low - 1, high + 1
    pad = 6
    count = max(len(series) - 1, 1)

    def x(i):
        return pad + (width - 2 * pad) * i / count

    def y(v):
        return height - pad - (height - 2 * pad) * (float(v) - low) / (high - low)

    parts = [
        f'<svg class="trend" role="img" aria-label="{title}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{title}</title>",
    ]
    if target is not None:
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            'stroke="#8a5a00" stroke-dasharray="4 3" stroke-width="1"/>'
        )
    line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
    parts.append(f'<polyline fill="none" stroke="#0b4a8b" stroke-width="2" points="{line}"/>')
    for i, v in points:
        month = format_month(series[i][0])
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="#0b4a8b"><title>{month}: '
            f"{str(v).replace('.', ',')}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_svg(rows, *, width: int = 360, bar_height: int = 18) -> str:
    """Horizontal bars for a breakdown: rows are (label, IndicatorValue) with values in %."""
    shown = [(label, v) for label, v in rows]
    height = bar_height * len(shown) + 4
    parts = [
        f'<svg class="bars" role="img" aria-label="Phân tổ" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, (label, v) in enumerate(shown):
        top = i * bar_height + 2
        share = float(v.value) / 100 if v.value is not None else 0
        share = max(0.0, min(share, 1.0))
        parts.append(
            f'<rect x="150" y="{top}" width="{(width - 200) * share:.1f}" height="{bar_height - 6}" fill="#0b4a8b"/>'
        )
        parts.append(
            f'<text x="0" y="{top + bar_height - 8}" font-size="11">{escape(str(label))[:28]}</text>'
        )
        text = v.display if v.value is not None else "–"
        parts.append(
            f'<text x="{width - 46}" y="{top + bar_height - 8}" font-size="11">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
