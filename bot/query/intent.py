"""What a question asks for: a unit, a target, a time, funding, a basis document, recipients, the
signer, or content; whether it wants a list, a quantity or a yes/no check of a stated figure.

Pure pattern matching on the folded question (diacritics removed, lower case), so "khi nào", "khi
nao" and "when" land on the same intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.models import FACT_BASIS, FACT_DEADLINE, FACT_FUNDING, FACT_RESPONSIBILITY, FACT_TARGET
from bot.query.phrases import HEADER_QUESTION
from bot.text.normalize import fold


class IntentKind(StrEnum):
    """What a question asks for (the values are the names JSON and logs show)."""

    WHO = "who"
    WHEN = "when"
    TARGET = "target"
    FUNDING = "funding"
    BASIS = "basis"
    RECIPIENTS = "recipients"
    SIGNER = "signer"
    HEADER = "header"
    CONTENT = "content"


class ValueKind(StrEnum):
    """The kind of value a question asks for, when a plan line must state one to answer it."""

    MONEY = "money"
    COUNT = "count"
    DATE = "date"
    PLACE = "place"
    PERSON = "person"


WHO = IntentKind.WHO
WHEN = IntentKind.WHEN
TARGET = IntentKind.TARGET
FUNDING = IntentKind.FUNDING
BASIS = IntentKind.BASIS
RECIPIENTS = IntentKind.RECIPIENTS
SIGNER = IntentKind.SIGNER
HEADER = IntentKind.HEADER
CONTENT = IntentKind.CONTENT

# Checked in this order: the first match names the intent.
_PATTERNS: tuple[tuple[IntentKind, re.Pattern[str]], ...] = (
    (RECIPIENTS, re.compile(r"\b(gui (toi|den|cho|ve)|noi nhan|recipients?|sent to|distributed)\b")),
    (HEADER, HEADER_QUESTION),  # the phrases live in ``bot.query.phrases``, shared with the header answerer
    (SIGNER, re.compile(r"\b(ai ky|nguoi ky|do ai ky|ky ten|ky boi|chuc vu|signed|signer|signs)\b")),
    (
        BASIS,
        re.compile(
            r"\b(can cu|van ban nao|nghi quyet nao|quyet dinh nao|ke hoach nao|theo van ban|"
            r"thuc hien (theo )?(ke hoach|quyet dinh|nghi quyet|chuong trinh) (so|nao)|"
            r"(qd|nq|quyet dinh|nghi quyet) (so )?\d+|ve (cai )?gi|basis|implements?)\b"
        ),
    ),
    (FUNDING, re.compile(r"\b(kinh phi|ngan sach|nguon von|chi phi|tien|funding|funded|budget|cost)\b")),
    (
        WHEN,
        re.compile(
            r"\b(khi nao|luc nao|bao gio|thoi gian nao|thoi han|han chot|bao lau|truoc ngay|"
            r"ngay nao|thang nao|quy nao|nam nao|thoi diem|khoang thoi gian|when|deadline|how often)\b"
        ),
    ),
    (
        TARGET,
        re.compile(
            r"\b(chi tieu|muc tieu|bao nhieu phan tram|phan tram|ty le|phan dau|dat danh hieu|"
            r"target|goal|percent)\b|%"
        ),
    ),
    (
        WHO,
        re.compile(
            r"\b(ai|don vi nao|co quan nao|bo phan nao|phong nao|to chuc nao|who|which unit|"
            r"which (office|agency|body)|phu trach|chu tri|chiu trach nhiem|giao cho)\b"
        ),
    ),
)
# Syllables that frame a question of an intent rather than name its matter ("ai phụ trách tuyên
# truyền", "đơn vị nào chịu trách nhiệm ..."): the plans state such duties as the unit's task list.
_FRAMING: dict[IntentKind, frozenset[str]] = {WHO: frozenset({"phu", "trach", "chiu"})}
# The fact kind that answers each intent.
FACT_FOR_INTENT: dict[IntentKind, str] = {
    WHO: FACT_RESPONSIBILITY,
    WHEN: FACT_DEADLINE,
    TARGET: FACT_TARGET,
    FUNDING: FACT_FUNDING,
    BASIS: FACT_BASIS,
}
_LIST = re.compile(
    r"\b(\d+ (\w+ ){1,3}nao|may (cai|dieu|van de|noi dung|muc|nhiem vu|phong trao)|nhung|gom|bao gom|"
    r"cac (noi|nhiem vu|noi dung|don vi|muc)|nhiem vu gi|lam gi|"
    r"noi dung (gi|nao)|"
    r"muc dich gi|yeu cau gi|vai tro gi|what are|which are|list)\b"
)
_QUANTITY = re.compile(
    r"\b(bao nhieu|may (phan tram|nguoi|ty|trieu|dong)|how (many|much)|tong (so|kinh phi)|so luong)\b"
)
# What kind of value a question asks for, when a plan line must state one to answer it: an amount of
# money, an absolute count ("tổng số hộ"), a day or month (not only a year), a venue.
MONEY = ValueKind.MONEY
COUNT = ValueKind.COUNT
DATE = ValueKind.DATE
PLACE = ValueKind.PLACE
PERSON = ValueKind.PERSON
_VALUE_PATTERNS: tuple[tuple[ValueKind, re.Pattern[str]], ...] = (
    (
        PERSON,
        re.compile(
            r"\b(ten (la )?gi|ten gi|ho ten|ho va ten|ten day du cua|ong nao|ba nao|what is (his|her|the) name|"
            r"name of the (head|chair|leader|director|secretary)|who is the (head|chair|leader|director|secretary))\b"
        ),
    ),
    (
        MONEY,
        re.compile(
            r"\b(bao nhieu (tien|dong|trieu|ty)|(kinh phi|ngan sach|muc (thuong|chi|ho tro)|tien thuong|so tien)"
            r"( \w+){0,4} (la )?bao nhieu|tong kinh phi|how much (money|funding|budget)|(amount|sum) of money|"
            r"how much .*(cost|fund|budget|spend|allocat))\b"
        ),
    ),
    (COUNT, re.compile(r"\b(tong (so|cong)|co tat ca|total number|how many \w+ (are there|in total)|in total)\b")),
    (DATE, re.compile(r"\b(ngay nao|ngay may|ngay bao nhieu|what date|which date|which day|what day|on what day)\b")),
    (
        PLACE,
        re.compile(
            r"\b(dia diem|hoi truong nao|tai dau|to chuc o dau|dien ra o dau|hop o dau|o cho nao|venue|"
            r"where (will|is|was|are|does|do)\b.*\b(held|take place|organi[sz]ed|hold|meet))\b"
        ),
    ),
)
_YES_NO = re.compile(r"\b(co (dung|phai) (khong|ko)|dung (khong|ko)|phai (khong|ko)|co that|is it true|is it)\b")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s?%|\b\d+(?:[.,]\d+)?\b")


@dataclass(frozen=True)
class Intent:
    """The reading of a question that answer composition needs."""

    kind: IntentKind
    kinds: tuple[IntentKind, ...]  # every intent the question carries ("khi nào, ai thực hiện": when, who)
    wants_list: bool  # "những nơi nào", "nhiệm vụ gì": show every line of the section
    wants_quantity: bool  # "bao nhiêu": the evidence must state a number
    yes_no: bool  # "60% có đúng không?": check the figure the question states
    figures: tuple[str, ...]  # figures typed in the question ("60%")
    value: ValueKind | None = None  # MONEY, COUNT, DATE, PLACE or PERSON: the evidence must state such a value

    @property
    def framing(self) -> frozenset[str]:
        """Folded syllables that only frame a question of this intent (weighed down as evidence)."""
        return _FRAMING.get(self.kind, frozenset())

    @property
    def fact_kind(self) -> str | None:
        """The fact kind that answers the main intent, if any."""
        return FACT_FOR_INTENT.get(self.kind)

    @property
    def fact_kinds(self) -> tuple[str, ...]:
        """The fact kinds that answer any of the question's intents."""
        return tuple(FACT_FOR_INTENT[k] for k in self.kinds if k in FACT_FOR_INTENT)


def detect_intent(question: str) -> Intent:
    """The intent of ``question`` (any language or spelling the rewriter understands)."""
    folded = " ".join(re.findall(r"[a-z0-9%]+", fold(question)))
    kinds = tuple(name for name, pattern in _PATTERNS if pattern.search(folded)) or (CONTENT,)
    figures = tuple(dict.fromkeys(m.group(0).replace(" ", "") for m in _FIGURE.finditer(question) if "%" in m.group(0)))
    return Intent(
        kind=kinds[0],
        kinds=kinds,
        wants_list=bool(_LIST.search(folded)),
        wants_quantity=bool(_QUANTITY.search(folded)),
        yes_no=bool(_YES_NO.search(folded)),
        figures=figures,
        value=next((name for name, pattern in _VALUE_PATTERNS if pattern.search(folded)), None),
    )
