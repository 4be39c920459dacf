"""Thai digits (๐-๙) to Arabic digits."""

from __future__ import annotations

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_arabic_digits(text: str) -> str:
    """Return ``text`` with every Thai digit replaced by its Arabic digit; same length."""
    return text.translate(_THAI_DIGITS)
