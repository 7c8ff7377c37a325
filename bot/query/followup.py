"""Follow-up questions in a conversation: "còn ở Cao Lộc thì sao?" after a question about Kinh Môn.

Pure functions. A follow-up is a short message of one of a few shapes (Vietnamese with or without
diacritics, or English) whose rest names a place; whether that place is one the plans cover is for
the caller to decide with the retriever's locality detection (``Retriever.documents_for_locality``),
so places are never listed twice. :func:`replace_place` then rewrites the previous question for the
new place.
"""

from __future__ import annotations

import re

from bot.text.normalize import fold
from bot.text.places import FOLDED_UNIT_WORDS, UNIT_ABBREVIATIONS

# Folded, punctuation removed. "(thế) còn (ở|tại|với|bên) X (thì sao|thì thế nào|sao|nữa|thì)",
# "X thì sao", "what/how about (in) X".
_SHAPES = (
    re.compile(
        r"^(?:the |vay |con vay )?con (?:o |tai |voi |ben |cua |khu vuc |dia ban )?(?P<place>.+?)"
        r"(?: thi sao| thi the nao| the nao| thi nhu the nao| sao| nua| thi| nhi| a| vay)*$"
    ),
    re.compile(r"^(?:o |tai )?(?P<place>.+?) thi (?:sao|the nao|nhu the nao)(?: nhi| a| vay)*$"),
    re.compile(r"^(?:and |so )?(?:what|how) about (?:in |at |for )?(?P<place>.+?)$"),
)
MAX_FOLLOW_UP_WORDS = 10  # a longer message is a question of its own
# Words that may stand before a place name in a question ("ở phường Kinh Môn", "tại TT Cao Lộc"),
# folded: the unit words and their abbreviations (bot.text.places), "ở" and "tại".
_LEADING = (
    *FOLDED_UNIT_WORDS,
    *sorted({fold(a).rstrip(".") for a in UNIT_ABBREVIATIONS if not a.endswith(".")}),
    "o",
    "tai",
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def follow_up_place(message: str) -> str | None:
    """The place named by a follow-up message ("còn ở Cao Lộc thì sao?" → "cao loc"), folded; ``None``
    when the message does not have a follow-up's shape."""
    words = _words(message)
    if not words or len(words) > MAX_FOLLOW_UP_WORDS:
        return None
    folded = " ".join(words)
    for shape in _SHAPES:
        match = shape.match(folded)
        if match and match.group("place").strip():
            return match.group("place").strip()
    return None


def replace_place(question: str, old_keys: set[str], new_place: str) -> str:
    """``question`` with the first mention of a place in ``old_keys`` (bare folded names such as
    "kinh mon", with the administrative word before it) replaced by ``new_place``; when it names none
    of them, ``question`` with " ở <new_place>" added before its final punctuation."""
    spans = [(m.start(), m.end(), fold(m.group(0))) for m in re.finditer(r"\w+", question)]
    folded = [word for _, _, word in spans]
    for key in sorted(old_keys, key=len, reverse=True):
        target = key.split()
        for i in range(len(folded) - len(target) + 1):
            if folded[i : i + len(target)] != target:
                continue
            first = i
            while first > 0 and _ends_with_admin(folded[:first]):
                first -= len(_ends_with_admin(folded[:first]).split())
            keep_preposition = first < i and folded[first] in ("o", "tai")
            begin = spans[first][0] if not keep_preposition else spans[first + 1][0]
            end = spans[i + len(target) - 1][1]
            return question[:begin] + new_place + question[end:]
    body = question.rstrip(" ?.!")
    return f"{body} ở {new_place}{question[len(body) :]}"


def _ends_with_admin(words: list[str]) -> str:
    """The administrative word (or "ở"/"tại") that ``words`` end with, or ""."""
    tail = " ".join(words[-2:])
    for word in _LEADING:
        if tail == word or tail.endswith(f" {word}"):
            return word
    return ""
