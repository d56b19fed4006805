"""Vietnamese text helpers: NFC everywhere, and a diacritic-free key for search and matching."""

import unicodedata


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", (text or "").strip())


def fold(text: str | None) -> str:
    """'Nguyễn Văn Ân' → 'nguyen van an': lower case, no diacritics, đ → d, spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d")
    return " ".join(stripped.split())


def proper_case(name: str | None) -> str:
    """'NGUYỄN  văn an' → 'Nguyễn Văn An' (NFC, single spaces)."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in nfc(name).split())
