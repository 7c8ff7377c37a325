"""Detect text typed in legacy Vietnamese font encodings (TCVN3/ABC, VNI) instead of Unicode.

Before Unicode, Vietnamese was typed with fonts such as ".VnTime" (TCVN3) or "VNI-Times" that draw
Vietnamese letters on the code points of Latin-1 symbols and letters. Read as text, such a file
shows "KÕ ho¹ch" or "Keá hoaïch" for "Kế hoạch": indexed, it would never match a question. Both
encodings use Latin-1 characters that Vietnamese never uses ("¸ ¹ ª ®" for TCVN3, "ï ñ ö ø" for
VNI); a document where they are frequent is refused with a message saying how to convert it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.errors import DocumentError

# Latin-1 symbols TCVN3 draws Vietnamese letters on ("¸" á, "µ" à, "¹" ạ, "¨" ă, "ª" ê, "®" đ, ...).
_TCVN3_MARKS = frozenset("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")
# Latin-1 letters that are not Vietnamese; VNI writes marks with them ("ï" nặng, "ø" huyền, "ñ" đ).
_FOREIGN_LETTERS = frozenset("ÄÅÆÇËÎÏÑÖØÛÜÞßäåæçëîïñöøûüþÿ")

MIN_MARKS = 8  # a handful of such characters is a foreign name or a symbol, not an encoding
MIN_RATIO = 0.01  # share of letters: legacy text has one on most accented syllables


def legacy_encoding(text: str) -> str | None:
    """ "TCVN3" or "VNI" when ``text`` looks typed in that legacy font encoding, else ``None``."""
    letters = sum(1 for c in text if c.isalpha())
    tcvn3 = sum(1 for c in text if c in _TCVN3_MARKS)
    vni = sum(1 for c in text if c in _FOREIGN_LETTERS)
    marks = tcvn3 + vni
    if marks < MIN_MARKS or marks < MIN_RATIO * max(letters, 1):
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


def check_unicode_text(lines: Iterable[str], name: str) -> None:
    """Raise :class:`DocumentError` when ``lines`` are in a legacy encoding (what to do included)."""
    encoding = legacy_encoding("\n".join(lines))
    if encoding is None:
        return
    fonts = ".VnTime, .VnArial (TCVN3/ABC)" if encoding == "TCVN3" else "VNI-Times (VNI)"
    source = "TCVN3 (ABC)" if encoding == "TCVN3" else "VNI Windows"
    raise DocumentError(
        f"{name}: the text is in the old {encoding} font encoding ({fonts}), not Unicode; convert it to Unicode "
        f"(e.g. Unikey's Toolkit: source {source}, target Unicode) or re-save it with a Unicode font, then add it again"
    )
