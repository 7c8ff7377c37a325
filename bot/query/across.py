"""Questions across documents: which kind of cross-document question a question is, and its parts.

Kinds (:class:`AcrossKind`):

- ``compare``: one matter compared between named places ("chỉ tiêu gia đình văn hóa của Kinh Môn và
  Cao Lộc khác nhau thế nào"); the places are the question's scope, found by the retriever;
- ``newest`` / ``oldest``: the latest or earliest document, optionally of a kind ("kế hoạch nào
  mới nhất", "văn bản ban hành sớm nhất");
- ``citing``: the documents that cite another one ("những văn bản nào căn cứ Nghị định
  86/2023/NĐ-CP", "các kế hoạch có ghi cùng ngày ban hành của Kế hoạch 14/KH-BCĐ không");
- ``of_place``: the documents of a place ("các văn bản của tỉnh Gia Lai");
- ``count_targets``: how many plans set a target ("bao nhiêu kế hoạch đặt chỉ tiêu ...").

Pure pattern matching on the folded question (no diacritics, lower case, words joined by one
space, "/" and "-" kept inside document numbers), so typed with or without diacritics alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.text.normalize import fold


class AcrossKind(StrEnum):
    """A kind of question answered across documents."""

    COMPARE = "compare"
    NEWEST = "newest"
    OLDEST = "oldest"
    CITING = "citing"
    OF_PLACE = "of_place"
    COUNT_TARGETS = "count_targets"


@dataclass(frozen=True)
class Reference:
    """A document a question names: its kind ("nghi dinh", folded; "" when not said) and the folded
    parts of its number ("86", "2023", "nd", "cp")."""

    kind: str
    number: tuple[str, ...]


@dataclass(frozen=True)
class AcrossQuestion:
    """What a cross-document question asks.

    ``doc_kind``: the kind of document it is limited to ("ke hoach", folded), "" for any;
    ``reference``: the document cited (``citing``); ``place``: the place named as written in the
    folded question (``of_place``); ``topic``: the folded words naming the matter (``compare``,
    ``count_targets``).
    """

    kind: AcrossKind
    doc_kind: str = ""
    reference: Reference | None = None
    place: str = ""
    topic: str = ""


# Kinds of document, folded; the generic words first ("van ban" is any kind).
DOC_KINDS = (
    "chuong trinh hanh dong",
    "chuong trinh",
    "ke hoach",
    "quyet dinh",
    "nghi dinh",
    "nghi quyet",
    "bao cao",
    "cong van",
    "thong tu",
    "chi thi",
    "huong dan",
    "thong bao",
    "thu tuc",
)
_GENERIC = ("van ban", "tai lieu", "documents?", "plans?")
_ANY_DOC = "(" + "|".join((*DOC_KINDS, *_GENERIC)) + ")"
_SHORT_KINDS = {"nd": "nghi dinh", "qd": "quyet dinh", "kh": "ke hoach", "nq": "nghi quyet", "ct": "chi thi"}

_NEWEST = re.compile(r"\b(moi nhat|gan (day|nhat) nhat|gan day nhat|sau cung|sau nhat|newest|latest|most recent)\b")
_OLDEST = re.compile(
    r"\b(cu nhat|som nhat|lau nhat|(ban hanh|co) (dau tien|truoc nhat)|oldest|earliest|first issued)\b"
)
_CITE_VERB = (
    r"(can cu|trich dan|dan chieu|dan|vien dan|nhac (den|toi)|de cap (den|toi)|thuc hien theo|trien khai|"
    r"ghi (cung )?(ngay|so)|ghi|neu|cite[sd]?|refer(s|red)? to|based on|implement(s|ing)?)"
)
_CITING = re.compile(r"\b(nhung|cac|bao nhieu|may|which|what)( \w+){0,2} " + _ANY_DOC + r"( \w+){0,3} " + _CITE_VERB)
_REFERENCE = re.compile(r"\b(" + "|".join((*DOC_KINDS, *_SHORT_KINDS)) + r"|luat)\s+(?:so\s+)?(\d+(?:[/-][a-z0-9]+)*)")
_PREPOSITION = r"(cua|thuoc|o|tai|ban hanh tai|of|from|in)"
_OF_PLACE = re.compile(
    r"\b(nhung|cac|danh sach|liet ke|list)( cac| nhung)? " + _ANY_DOC + r"( nao)? " + _PREPOSITION + r" (?P<place>.+)$"
)
_PLACE_HAS = re.compile(r"^(?:cua )?(?P<place>.+?) co (nhung|cac|bao nhieu|may) " + _ANY_DOC + r"( nao| gi)?$")
_COUNT = re.compile(
    r"\b(bao nhieu|may|how many) (ke hoach|van ban|dia phuong|dia ban|noi|plans?|documents?)\b"
    r".*?\b(chi tieu|muc tieu|targets?)\b (?P<topic>.+)$"
)
_COMPARE = re.compile(
    r"\b(khac nhau|khac gi|khac the nao|giong nhau|giong hay khac|so sanh|doi chieu|chenh lech|"
    r"compare[sd]?|differ(s|ent|ence)?|versus|vs)\b"
)
# Words closing a question, not naming anything ("... của tỉnh Gia Lai có những gì vậy ạ").
_TRAILING = re.compile(r"(\s+(co|nhung|gi|nao|la|vay|a|ah|ha|nhe|khong|ko|hien|dang|nay|do|the|what|are|there))+$")

# A verb after the place: the question goes on to ask about the documents' content.
_PLACE_GOES_ON = re.compile(r"\b(co|la|gom|duoc|dat|ve|de ra|neu|giao|has|have|set)\b")


def folded_question(question: str) -> str:
    """``question`` folded: lower case, no diacritics, words (document numbers kept whole) joined by
    one space."""
    return " ".join(re.findall(r"[a-z0-9]+(?:[/-][a-z0-9]+)*", fold(question)))


def reference_in(folded: str) -> Reference | None:
    """The first document the folded question names with a number ("nghi dinh 86/2023/nd-cp")."""
    match = _REFERENCE.search(folded)
    if match is None:
        return None
    kind = _SHORT_KINDS.get(match.group(1), match.group(1))
    return Reference(kind, tuple(re.findall(r"[a-z0-9]+", match.group(2))))


def _doc_kind(folded: str) -> str:
    """The kind of document the question is about ("ke hoach"), "" for documents of any kind."""
    for kind in DOC_KINDS:
        if re.search(rf"\b{kind}\b", folded):
            return kind
    return ""


def _place(text: str) -> str:
    return _TRAILING.sub("", text.strip(" ?.!")).strip()


def read_across(question: str) -> AcrossQuestion | None:
    """The cross-document reading of ``question``, ``None`` when it is none of these kinds.

    ``compare`` is recognised by its phrase only: whether the question names two places is for
    the answerer to check (the places are the retriever's business).
    """
    folded = folded_question(question)
    reference = reference_in(folded)
    if reference is not None and _CITING.search(folded):
        # the kind of the citing documents, not of the cited one ("các kế hoạch ... Nghị định 86")
        before = folded[: _REFERENCE.search(folded).start()]  # type: ignore[union-attr]
        return AcrossQuestion(AcrossKind.CITING, doc_kind=_doc_kind(before), reference=reference)
    if (count := _COUNT.search(folded)) is not None:
        return AcrossQuestion(AcrossKind.COUNT_TARGETS, topic=_place(count.group("topic")))
    has_doc = re.search(rf"\b{_ANY_DOC}\b", folded) is not None
    if has_doc and _NEWEST.search(folded):
        return AcrossQuestion(AcrossKind.NEWEST, doc_kind=_doc_kind(folded))
    if has_doc and _OLDEST.search(folded):
        return AcrossQuestion(AcrossKind.OLDEST, doc_kind=_doc_kind(folded))
    if reference is None and (found := _OF_PLACE.search(folded) or _PLACE_HAS.search(folded)):
        place = _place(found.group("place"))
        # "các kế hoạch của Kinh Môn có chỉ tiêu gì" asks about their content, not for their list
        if place and not _PLACE_GOES_ON.search(place):
            return AcrossQuestion(AcrossKind.OF_PLACE, doc_kind=_doc_kind(folded), place=place)
    if _COMPARE.search(folded):
        return AcrossQuestion(AcrossKind.COMPARE, topic=_COMPARE.sub(" ", folded))
    return None
