"""Comparable forms of what plans write differently: figures and dates, names of units.

Used to tell whether two plans state the same value (conflict notes, premise checks) and whether a
fact's subject is the unit asked for (fact look-ups).
"""

from __future__ import annotations

import re

from bot.text.normalize import fold, replace_abbreviations, tokens


def same_value(value: str) -> str:
    """A comparable form of a figure or date: "80 %" = "80%", "13 tháng 02 năm 2023" = "13/2/2023"."""
    text = re.sub(r"\s*tháng\s*", "/", re.sub(r"\s*năm\s*", "/", value.lower()))
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\b0+(\d)", r"\1", text)


def unit_words(text: str) -> str:
    """Folded syllables with abbreviations spelled out, space-joined: the form unit names are compared in."""
    return " ".join(fold(token) for token in tokens(replace_abbreviations(text)))
