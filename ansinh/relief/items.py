"""The items a commune's relief stock holds: cash (đồng), rice (kg) and the usual essential goods
(Decree 335/2026 Art. 12(1): drinking water, clothes, …). The defaults are created on first use,
so a fresh database (or one a test emptied) always has them; officers' own items stay."""

from ansinh.relief.models import CASH, RICE, StockItem

DEFAULT_ITEMS = [
    (CASH, "Tiền mặt", "đồng"),
    (RICE, "Gạo", "kg"),
    ("nuoc_uong", "Nước uống", "thùng"),
    ("mi_tom", "Mì tôm", "thùng"),
    ("chan", "Chăn", "cái"),
    ("quan_ao", "Quần áo", "bộ"),
    ("thuoc", "Thuốc thiết yếu", "túi"),
]


def stock_items() -> dict[str, StockItem]:
    """Every item by code, in the order they were created."""
    items = {item.code: item for item in StockItem.objects.order_by("id")}
    missing = [
        StockItem(code=code, name=name, unit=unit) for code, name, unit in DEFAULT_ITEMS if code not in items
    ]
    if missing:
        StockItem.objects.bulk_create(missing, ignore_conflicts=True)
        items = {item.code: item for item in StockItem.objects.order_by("id")}
    return items
