"""Follow-up questions in a conversation: "còn ở Cao Lộc thì sao?" after a question about Kinh Môn.

Pure functions. A follow-up is a short message of one of a few shapes (Vietnamese with or without
diacritics, or English) whose rest names a place; whether that place is one the plans cover is for
the caller to decide with the retriever's locality detection (``Retriever.documents_for_locality``),
so places are never listed twice. :func:`replace_place` then rewrites the previous question for the
new place. :func:`resolve_question` puts the two together for a conversation: what to ask, with which
locality filter, given the previous question and the locality the user chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

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


class Places(Protocol):
    """What :func:`resolve_question` needs to know about the plans' places (the served snapshot)."""

    def named_plans(self, text: str) -> set[str]:
        """doc_ids of the plans whose locality (or số hiệu) ``text`` names."""
        ...

    def locality_named(self, text: str) -> str | None:
        """The locality of the plans named in ``text``, or ``None``."""
        ...

    def place_keys(self, doc_ids: Iterable[str]) -> set[str]:
        """Bare folded place names of the localities of ``doc_ids``."""
        ...


@dataclass(frozen=True)
class Previous:
    """The question asked before in the conversation and the locality it was filtered on."""

    question: str
    locality: str | None


@dataclass(frozen=True)
class Resolved:
    """What to ask: the question, its locality filter, and the question as understood when the
    message was rewritten (a follow-up), to show the user."""

    question: str
    locality: str | None
    understood: str | None = None


def resolve_question(message: str, previous: Previous | None, chosen: str | None, places: Places) -> Resolved:
    """The question to ask for ``message`` in a conversation.

    A follow-up naming a locality of the plans reuses the previous question with that locality. Otherwise
    the ``chosen`` locality filters, unless the message names a locality of the plans itself.
    """
    place = follow_up_place(message)
    if previous is not None and place is not None:
        new_locality = places.locality_named(place)
        if new_locality is not None:
            old = places.named_plans(previous.question)
            if not old and previous.locality:
                old = places.named_plans(previous.locality)
            question = replace_place(previous.question, places.place_keys(old), new_locality)
            return Resolved(question, new_locality, question)
    if places.named_plans(message):
        return Resolved(message, None)
    return Resolved(message, chosen)
