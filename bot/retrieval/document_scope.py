"""Which indexed documents a question is about, from the documents it names by number or kind.

A question naming "Nghị định 86/2023/NĐ-CP" is about that decree, not about every plan: the
references :mod:`bot.query.document_refs` finds are resolved against the documents' own số hiệu
(``DocumentMeta.number``, with ``doc_type`` and ``date``) and, apart from that, against what each
document cites (its ``implements`` and the document numbers its text mentions).

The rule, for a reference with a number:

- a document *is* the one named when its số hiệu has the same number and the kind agrees: the
  kind codes are equal (from the code, "22/2024/QĐ-UBND" → qđ, or else from ``doc_type``), or,
  when the reference names no kind ("20/UBND-BCĐPT"), the codes agree; codes, when both are
  written, agree when one's segments begin the other's ("kh" / "kh-bcd", never "kh-ubnd" /
  "kh-bcd"); years, when both are known, are equal; an issuer the question states ("của tỉnh Phú
  Thọ") must stand, by its place words, in the document's issuer, locality or title when known;
- a document that only *cites* it (in its basis, or anywhere in its text) is not the named one: it is
  recorded in ``cited_by``, for "which documents cite X" and for a decree the index holds only through
  the documents that apply it.

A reference with a kind and a year but no number ("Kế hoạch năm 2023 của Ban Chỉ đạo Trung ương")
names a document only when it states its issuer and exactly one document of that kind and year
has an issuer agreeing with it. Pure functions over plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.ingest.header import parse_number
from bot.models import KIND_HEADER, KIND_PREAMBLE, Chunk, DocumentMeta
from bot.query.document_refs import (
    KIND_WORDS,
    DocumentRef,
    folded_text,
    identity_ref,
    kind_of_type,
    parse_refs,
    refs_in_folded,
    without_refs,
)

_MEMO_SIZE = 256
NAMED_BY_NUMBER = "number"  # number digits and kind (or code) agree
NAMED_BY_KIND_YEAR = "kind_year"  # kind, year and stated issuer agree with exactly one document
# Words of an issuer that name a level or a kind of body, not which one: "UBND tỉnh Phú Thọ" and
# "Ủy ban nhân dân tỉnh Thái Bình" differ by their place words only.
_GENERIC_ISSUER = re.compile(
    r"\b(uy ban nhan dan|ubnd|ban chi dao|bcd|ban thuong vu|dang uy|thanh uy|tinh uy|van phong|phong trao|"
    r"tinh|thanh pho|tp|huyen|quan|thi xa|thi tran|tt|phuong|xa|cua|cap|nha nuoc)\b"
)


# A document kind word left in a question once the documents it names are taken out.
_OTHER_KIND = re.compile(r"\b(luat|can cu|" + "|".join(w for ws in KIND_WORDS.values() for w in ws) + r")\b")
_KIND_OF_WORD = {word: kind for kind, words in KIND_WORDS.items() for word in words}


@dataclass(frozen=True)
class RefResolution:
    """What one reference of the question resolved to.

    ``named``: the documents that are the one referred to (``how`` says by which rule, "" when none);
    ``cited_by``: the documents that cite it (in their basis or text) without being it.
    """

    ref: DocumentRef
    named: tuple[str, ...] = ()
    how: str = ""
    cited_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentScope:
    """The documents a question is about, by the references it makes (see the module's rule)."""

    resolutions: tuple[RefResolution, ...] = ()

    @property
    def named(self) -> frozenset[str]:
        """doc_ids of the documents the question names."""
        return frozenset(d for r in self.resolutions for d in r.named)

    @property
    def citing(self) -> frozenset[str]:
        """doc_ids citing the numbered references that name no indexed document."""
        return frozenset(d for r in self.resolutions if not r.named and r.ref.number for d in r.cited_by)

    @property
    def cited_elsewhere(self) -> frozenset[str]:
        """doc_ids citing the documents the question names, without being named: where to look when
        the named document does not say it (a decree the index holds as an excerpt, its guides whole)."""
        return frozenset(d for r in self.resolutions if r.named for d in r.cited_by) - self.named

    @property
    def unknown(self) -> tuple[DocumentRef, ...]:
        """Numbered references that no indexed document is, nor cites."""
        return tuple(r.ref for r in self.resolutions if r.ref.number and not r.named and not r.cited_by)

    @property
    def doc_ids(self) -> frozenset[str] | None:
        """What the question is answered from: the documents it names; else, for a document the
        index holds only through others, the documents citing it; ``None`` when it names none."""
        return self.named or self.citing or None

    @property
    def missing(self) -> str | None:
        """The sentence for a question whose numbered references are all unknown to the index:
        "Không có văn bản Kế hoạch 99/KH-UBND trong dữ liệu."; ``None`` otherwise."""
        numbered = [r for r in self.resolutions if r.ref.number]
        if not numbered or self.doc_ids is not None or len(self.unknown) != len(numbered):
            return None
        return f"Không có văn bản {', '.join(ref.label for ref in self.unknown)} trong dữ liệu."

    def without_named(self, text: str) -> str:
        """``text`` (folded) without the references naming a document in scope: the words it asks
        with once that document is chosen (they tell its passages apart no more than its title)."""
        named = {_key(r.ref) for r in self.resolutions if r.named}
        if not named:
            return text
        return without_refs(text, tuple(ref for ref in parse_refs(text) if _key(ref) in named))

    def header_text(self, text: str) -> str:
        """What ``text`` asks of the header of the documents in scope: ``text`` (folded) without the
        references naming them ("Nghị định 86/2023/NĐ-CP ban hành ngày nào" → "ban hanh ngay nao"),
        or "" when it refers by number to a document it does not name (its date is not theirs)."""
        named = {_key(r.ref) for r in self.resolutions if r.named}
        refs = parse_refs(text)
        if any(ref.number and _key(ref) not in named for ref in refs):
            return ""
        rest = self.without_named(text)
        # another document named by its kind ("... căn cứ Luật Thi đua, khen thưởng ban hành ngày nào");
        # the named document's own kind said again ("kế hoạch này", a translated "Plan No.") is no other
        own = {kind for kind, _, _ in named}
        others = [m.group(1) for m in _OTHER_KIND.finditer(rest) if _KIND_OF_WORD.get(m.group(1)) not in own]
        return "" if named and others else rest


def _key(ref: DocumentRef) -> tuple[str, str, str | None]:
    return ref.kind, ref.number, ref.year


def _code_agrees(a: str, b: str) -> bool:
    left, right = a.split("-"), b.split("-")
    size = min(len(left), len(right))
    return left[:size] == right[:size]


def _issuer_key(issuer: str) -> str:
    """The words naming which body it is: "ubnd tinh phu tho" → "phu tho"."""
    return " ".join(_GENERIC_ISSUER.sub(" ", issuer).split())


def _issuer_agrees(ref: DocumentRef, identity: str, *, required: bool = False) -> bool:
    """Does the issuer the reference states stand, by its place words in order, in the document's
    ``identity`` text (its issuer, locality and title, folded)? Unstated or uncheckable: agrees
    unless ``required``."""
    key = _issuer_key(ref.issuer)
    if not key or not identity:
        return not required
    return f" {key} " in f" {identity} "


def same_document(ref: DocumentRef, other: DocumentRef) -> bool:
    """Do ``ref`` (from a question) and ``other`` (a số hiệu, or a citation) name one document by
    number? Number digits equal; kinds equal when both known, else codes agreeing; years and
    written codes not contradicting (issuers are checked by the caller, who knows the document)."""
    if not ref.number or ref.number != other.number:
        return False
    if ref.kind and other.kind:
        if ref.kind != other.kind:
            return False
    elif not (ref.code and other.code):
        return False
    if ref.code and other.code and not _code_agrees(ref.code, other.code):
        return False
    return not (ref.year and other.year and ref.year != other.year)


@dataclass(frozen=True)
class _Indexed:
    """One document as the resolver sees it."""

    doc_id: str
    identity: DocumentRef | None  # its own số hiệu
    kind: str  # kind code from its number or its doc_type
    year: str | None
    issuer_text: str  # folded issuer, locality and title
    cites: tuple[DocumentRef, ...]  # what its basis and text refer to


class DocumentResolver:
    """Resolves references against one set of indexed documents (built once per snapshot)."""

    def __init__(
        self,
        documents: Sequence[DocumentMeta],
        texts: Mapping[str, str] | None = None,
        numbers: Mapping[str, str] | None = None,
    ) -> None:
        """``texts``: doc_id → the document's text, whose references count as citations;
        ``numbers``: doc_id → the số hiệu its header states, for documents whose metadata has none."""
        texts, numbers = texts or {}, numbers or {}
        self._resolved: dict[str, DocumentScope] = {}
        self._documents: list[_Indexed] = []
        for meta in documents:
            number = meta.number if meta.number and re.search(r"\d", meta.number) else numbers.get(meta.doc_id)
            identity = identity_ref(number, meta.doc_type, meta.date)
            stated = " ".join(filter(None, (meta.issuer, meta.locality, meta.title)))
            years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", meta.date or "")
            cited = [ref for line in meta.implements for ref in parse_refs(line)]
            cited += refs_in_folded(folded_text(texts.get(meta.doc_id, "")))
            self._documents.append(
                _Indexed(
                    doc_id=meta.doc_id,
                    identity=identity,
                    kind=identity.kind if identity and identity.kind else kind_of_type(meta.doc_type),
                    year=identity.year if identity and identity.year else (years[-1] if years else None),
                    issuer_text=_issuer_key(folded_text(stated)),
                    cites=tuple(ref for ref in cited if ref.number),
                )
            )

    @classmethod
    def from_snapshot(cls, documents: Sequence[DocumentMeta], chunks: Iterable[Chunk]) -> DocumentResolver:
        """A resolver over a snapshot's documents, their chunks' text counting as citations, and the
        "Số: ..." line opening a line of their header or preamble standing for a number the metadata
        lacks (a portal's page above the header can hide it from the header reader)."""
        texts: dict[str, list[str]] = {}
        numbers: dict[str, str] = {}
        for chunk in chunks:
            texts.setdefault(chunk.doc_id, []).append(chunk.text)
            if chunk.kind in (KIND_HEADER, KIND_PREAMBLE) and chunk.doc_id not in numbers:
                lines = [line.strip() for line in chunk.text.split("\n") if line.strip().startswith("Số")]
                if number := parse_number(lines):
                    numbers[chunk.doc_id] = number
        return cls(documents, {doc_id: "\n".join(parts) for doc_id, parts in texts.items()}, numbers)

    def resolve_ref(self, ref: DocumentRef) -> RefResolution:
        """The documents that are ``ref`` and those that cite it."""
        if not ref.number:
            found = [
                d.doc_id
                for d in self._documents
                if d.kind == ref.kind and d.year == ref.year and _issuer_agrees(ref, d.issuer_text, required=True)
            ]
            return RefResolution(ref, tuple(found), NAMED_BY_KIND_YEAR) if len(found) == 1 else RefResolution(ref)
        named = tuple(
            d.doc_id
            for d in self._documents
            if d.identity is not None and same_document(ref, d.identity) and _issuer_agrees(ref, d.issuer_text)
        )
        cited_by = tuple(
            d.doc_id
            for d in self._documents
            if d.doc_id not in named and any(same_document(ref, cited) for cited in d.cites)
        )
        return RefResolution(ref, named, NAMED_BY_NUMBER if named else "", cited_by)

    def resolve(self, question: str) -> DocumentScope:
        """The documents ``question`` names, through every reference it makes (memoised: one
        question is resolved by several steps of its answer)."""
        found = self._resolved.get(question)
        if found is None:
            if len(self._resolved) >= _MEMO_SIZE:
                self._resolved.clear()  # bounded: a burst of distinct questions cannot grow it
            found = self._resolved[question] = DocumentScope(tuple(self.resolve_ref(r) for r in parse_refs(question)))
        return found

    def citing(self, ref: DocumentRef) -> tuple[str, ...]:
        """doc_ids of the documents citing ``ref`` (for "which documents apply Nghị định 86?")."""
        return self.resolve_ref(ref).cited_by
