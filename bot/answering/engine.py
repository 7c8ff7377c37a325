"""Use case: answer a question from the plans, extractively, with citations.

No generative model is available offline, so an answer is made of the documents' own lines: the
lines of the best sections that share the most (IDF-weighted) terms with the question, each cited
with plan, locality, section path and the quoted line. When the evidence is weak, or the question
asks for a quantity the evidence does not state, or names a place no plan covers, the answer is
``not_found`` with a sentence saying so: a number or a name is never invented.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from bot.answering.header import DATE as HEADER_DATE
from bot.answering.header import FIELD_LABELS, asked_fields, blank_note, locate
from bot.errors import QueryError
from bot.ingest.patterns import is_person_name
from bot.models import (
    COL_NUMBER,
    FACT_RESPONSIBILITY,
    FACT_TARGET,
    KIND_HEADER,
    KIND_PREAMBLE,
    KIND_RECIPIENTS,
    KIND_SIGNATURE,
    KIND_TABLE,
    Chunk,
    DocumentMeta,
    Fact,
)
from bot.query.intent import BASIS, COUNT, DATE, HEADER, MONEY, PERSON, PLACE, RECIPIENTS, SIGNER, Intent, detect_intent
from bot.query.rewriting import AnalysedQuery, english_terms
from bot.query.terms import STOPWORDS, QueryTerms, folded_terms
from bot.retrieval.hybrid import Hit, Retriever, has_diacritics
from bot.text.normalize import fold, replace_abbreviations, tokens, unify_tone_marks
from bot.text.spans import verbatim_quote

STATUS_ANSWERED = "answered"
STATUS_NOT_FOUND = "not_found"
NOT_FOUND_SENTENCE = "Các kế hoạch không nêu thông tin này."

# What is not a quantity: dates, years, document numbers, list numbering.
_NOT_QUANTITY = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}|\b(?:19|20)\d\d\b|\d+[/-][\w/\-.]*[A-ZĐ][\w/\-Đ]*|^\s*[\d.]+[.)]?\s|\b\d+[.)]\s"
)
# Administrative units, as written with diacritics (folded they collide with "quan", "phương"...).
_ADMIN_UNITS = ("thị trấn", "thị xã", "thành phố", "phường", "huyện", "tỉnh", "quận", "xã")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ“\"(-])")

# Thresholds calibrated on the development set (see README, "Evaluation").
MIN_COVERAGE = 0.45
SILENT_COVERAGE = 0.3  # below it in every passage, a plan is said not to mention the matter
MIN_DENSE_FOR_FOREIGN = 0.83
PER_LOCALITY_RATIO = 0.65
PER_LOCALITY_COVERAGE = 0.6
FRAMING_WEIGHT = 0.3
# Rank bonus of a chunk of the kind the intent asks for (recipients, signature), or holding a fact
# of the intent's kind; and line-score bonus (relative to the best line) of a line holding such a fact.
KIND_BONUS = 0.25
FACT_BONUS = 0.05
FACT_MATCH_WEIGHT = 0.3
LINE_FACT_BONUS = 0.5
MAX_LIST_LINES = 8
MAX_HEADING_CHARS = 70
MAX_FACT_LINES = 3
MIN_FACT_MATCH = 0.3
MAX_QUOTE_CHARS = 320
LINE_RATIO = 0.6
MAX_LINES = 4
WHOLE_KINDS = frozenset({KIND_TABLE, KIND_RECIPIENTS, KIND_SIGNATURE, KIND_HEADER})
INTENT_CHUNK_KINDS = {RECIPIENTS: KIND_RECIPIENTS, SIGNER: KIND_SIGNATURE, HEADER: KIND_HEADER, BASIS: KIND_PREAMBLE}
MAX_LOCALITIES = 5
MAX_HEADER_PLANS = 10
PER_PLAN_CANDIDATES = 3
MIN_ENGLISH_TERMS = 2
# Why a question asking for a value the plans do not state gets no answer.
_MISSING_VALUE = {
    MONEY: "Các kế hoạch không nêu thông tin này: không có số tiền cụ thể.",
    COUNT: "Các kế hoạch không nêu thông tin này: không có con số tổng.",
    DATE: "Các kế hoạch không nêu thông tin này: không có ngày, tháng cụ thể.",
    PLACE: "Các kế hoạch không nêu thông tin này: không có địa điểm.",
    PERSON: "Các kế hoạch không nêu thông tin này: không ghi họ tên người này.",
}


@dataclass(frozen=True)
class Citation:
    """Where a line of the answer comes from; ``quote`` is a verbatim span of the plan."""

    doc_id: str
    title: str
    locality: str
    section: str
    quote: str
    score: float
    pages: tuple[int, ...] = ()  # source pages of the quoted section (PDF plans); () when the format has none


def pages_label(pages: tuple[int, ...]) -> str:
    """ "trang 3", "trang 3-4" (first to last page); "" when there are none."""
    if not pages:
        return ""
    return f"trang {pages[0]}" if pages[0] == pages[-1] else f"trang {pages[0]}-{pages[-1]}"


@dataclass(frozen=True)
class Answer:
    """An answer: ``status`` is ``answered`` or ``not_found``; citations are numbered from 1."""

    status: str
    answer: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A retrieved hit with the share of the question's weighted terms it contains."""

    hit: Hit
    coverage: float
    bonus: float = 0.0
    fact_match: float = 0.0  # coverage of the question by the best fact of the asked kind in the chunk
    focus: float | None = None  # coverage weighed within the plans in scope (None: same as coverage)

    @property
    def rank(self) -> float:
        """Retrieval score and term coverage, equally weighted (both must agree for a top answer),
        plus the intent bonus. Coverage here is weighed within the plans in scope, where the words
        naming the plan (its title, its place) no longer tell its passages apart."""
        focus = self.coverage if self.focus is None else self.focus
        return 0.5 * self.hit.score + 0.5 * focus + self.bonus


@dataclass(frozen=True)
class Span:
    """The part of a chunk an answer uses: the lines shown and the verbatim quotes that cover them:
    one quote for a short contiguous stretch, else one quote per line."""

    lines: tuple[str, ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class LocatedFact:
    """A fact with the plan it comes from."""

    fact: Fact
    document: DocumentMeta


def states_quantity(chunk: Chunk, span: Span) -> bool:
    """Does the span state a number that is a quantity (not a date, year, document number or list number)?"""
    if chunk.row is not None:
        texts = [value for name, value in chunk.row.cells if name != COL_NUMBER]
    else:
        texts = list(span.lines)
    return any(re.search(r"\d", _NOT_QUANTITY.sub(" ", text)) for text in texts)


# A value of each kind an intent may require (see ``bot.intent``), matched on the lower-cased line.
_VALUE_FORMS = {
    MONEY: re.compile(r"\d[\d.,]*\s*(?:đồng|đ\b|vnđ|vnd|nghìn|ngàn|triệu|tỷ)"),
    COUNT: re.compile(r"(?<![\d/])\d+(?:[.,]\d+)?(?!\s*%|[\d/])"),
    DATE: re.compile(
        r"\b\d{1,2}/\d{1,4}\b|\bngày\s+\d|\btháng\s+\d|\bquý\s+[ivx\d]|hằng (?:tháng|quý)|hàng (?:tháng|quý)"
    ),
    PLACE: re.compile(r"hội trường|địa điểm|trụ sở|nhà văn hóa|sân vận động|\btại (?:trung tâm|ubnd|ủy ban|sân)"),
}


# "- Công chức Văn hóa - Xã hội (Phụ trách ...): phối hợp ..." — the unit a paragraph is about.
_LINE_LABEL = re.compile(r"^[-+•]?\s*([^:.;]{3,120}?)\s*:\s")


def with_labels(lines: tuple[str, ...], text: str) -> tuple[str, ...]:
    """``lines`` with, before a sentence taken from the middle of a paragraph that opens with a label
    ("Công chức Văn hóa - Xã hội (...): ..."), that label: the sentence alone would not say who."""
    out: list[str] = []
    for piece in lines:
        source = next((line.strip() for line in text.split("\n") if piece in line), "")
        match = _LINE_LABEL.match(source)
        if match and not source.startswith(piece) and match.group(1) not in out:
            out.append(match.group(1))
        out.append(piece)
    return tuple(out)


# "ông/bà/đồng chí" and a capitalised name: a person named inside a sentence.
_NAMED_PERSON = re.compile(
    r"\b(?:[Ôô]ng|[Bb]à|[Đđ]ồng chí|[Đđ]/c)\s+(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]*\s+){1,3}[A-ZĐÀ-Ỹ][a-zà-ỹđ]*"
)


def states_value(chunk: Chunk, span: Span, kind: str) -> bool:
    """Does the span state a value of ``kind`` (an amount of money, a count, a day or month, a venue,
    a person's name)?

    Counts ignore dates, years, document numbers and list numbering, like :func:`states_quantity`.
    """
    texts = [v for n, v in chunk.row.cells if n != COL_NUMBER] if chunk.row is not None else list(span.lines)
    if kind == PERSON:
        return any(is_person_name(text) or _NAMED_PERSON.search(text) for text in texts)
    form = _VALUE_FORMS[kind]
    for text in texts:
        line = unify_tone_marks(text).lower()
        if kind == COUNT:
            line = _NOT_QUANTITY.sub(" ", line)
        if form.search(line):
            return True
    return False


def _same_value(value: str) -> str:
    """A comparable form of a figure or date: "80 %" = "80%", "13 tháng 02 năm 2023" = "13/2/2023"."""
    text = re.sub(r"\s*tháng\s*", "/", re.sub(r"\s*năm\s*", "/", value.lower()))
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\b0+(\d)", r"\1", text)


def _words(text: str) -> str:
    """Folded syllables with abbreviations spelled out, space-joined: the form unit names are compared in."""
    return " ".join(fold(token) for token in tokens(replace_abbreviations(text)))


def doc_label(meta: DocumentMeta) -> str:
    """How an answer names a plan: "Kế hoạch số 78/KH-UBND (phường Kinh Môn)"."""
    kind = meta.doc_type or "Kế hoạch"
    number = f" số {meta.number}" if meta.number and re.search(r"\d", meta.number) else ""
    place = f" ({meta.locality})" if meta.locality else ""
    return f"{kind}{number}{place}"


class AnswerService:
    """Answers questions and searches on one retriever (one snapshot)."""

    def __init__(self, retriever: Retriever, *, candidates: int = 40, max_question_chars: int = 2000) -> None:
        self.retriever = retriever
        self.candidates = candidates
        self.max_question_chars = max_question_chars
        # bounded by the snapshot's own lines: it cannot grow with the questions asked
        self._line_terms: dict[str, set[str]] = {}
        # bounded by the subsets of the snapshot's plans that questions name (in practice a handful)
        self._scoped_idf: dict[frozenset[str], tuple[dict[str, float], int]] = {}

    # --- corpus statistics -----------------------------------------------------------------------

    @cached_property
    def _chunk_terms(self) -> dict[str, set[str]]:
        return {c.chunk_id: set(folded_terms(c.index_text)) for c in self.retriever.snapshot.chunks}

    @cached_property
    def _idf(self) -> dict[str, float]:
        df: Counter[str] = Counter()
        for terms in self._chunk_terms.values():
            df.update(terms)
        n = max(len(self._chunk_terms), 1)
        return {t: math.log(1 + n / c) for t, c in df.items()}

    @cached_property
    def _corpus_folded(self) -> str:
        parts = [fold(c.index_text) for c in self.retriever.snapshot.chunks]
        return " " + " ".join(" ".join(re.findall(r"[a-z0-9]+", p)) for p in parts) + " "

    def query_terms(
        self,
        question: str,
        *,
        within: set[str] | None = None,
        framing: frozenset[str] = frozenset(),
        english: bool = False,
    ) -> QueryTerms:
        """IDF-weighted content terms; unknown terms weigh as the rarest known term (they matter).

        ``within`` (doc_ids): weigh by the document frequencies among those plans' chunks only, so
        that words every passage of the scope shares (the plan's title, its locality) weigh least.
        ``framing``: syllables that frame the question (see ``Intent.framing``), and the bigrams
        holding them, weigh ``FRAMING_WEIGHT`` as much. ``english``: the question is in English, whose
        words the plans do not know are left out (its Vietnamese key terms were added by the rewriter).
        """
        idf, size = (self._idf, len(self._chunk_terms)) if within is None else self._idf_within(frozenset(within))
        unseen = math.log(1 + max(size, 1))
        weights: dict[str, float] = {}
        for term in folded_terms(question, replace=True):
            if english and term not in self._idf:
                continue  # an English word the plans never use says nothing about them
            weight = idf.get(term, unseen) * (0.5 if "_" in term else 1.0)
            if framing and not framing.isdisjoint(term.split("_")):
                weight *= FRAMING_WEIGHT
            weights[term] = weight
        return QueryTerms(weights)

    def _idf_within(self, doc_ids: frozenset[str]) -> tuple[dict[str, float], int]:
        """IDF over the chunks of ``doc_ids`` and their number; memoised (few distinct scopes exist)."""
        cached = self._scoped_idf.get(doc_ids)
        if cached is None:
            chunks = [c.chunk_id for c in self.retriever.snapshot.chunks if c.doc_id in doc_ids]
            df: Counter[str] = Counter()
            for chunk_id in chunks:
                df.update(self._chunk_terms[chunk_id])
            n = max(len(chunks), 1)
            cached = self._scoped_idf[doc_ids] = ({t: math.log(1 + n / c) for t, c in df.items()}, len(chunks))
        return cached

    def warm_up(self) -> None:
        """Build the per-snapshot caches and run one query, so the first real request is fast."""
        _ = self._chunk_terms, self._idf, self._corpus_folded, self.retriever.rewriter
        self.ask("ai chủ trì thực hiện kế hoạch")

    # --- public API ------------------------------------------------------------------------------

    def validate(self, question: str) -> str:
        """The stripped question; ``QueryError`` when it is empty or too long."""
        text = question.strip()
        if not text:
            raise QueryError("Câu hỏi trống: hãy nhập nội dung cần hỏi.")
        if len(text) > self.max_question_chars:
            raise QueryError(f"Câu hỏi quá dài ({len(text)} ký tự); tối đa {self.max_question_chars} ký tự.")
        return text

    def scope(self, question: str, locality: str | None) -> set[str] | None:
        """doc_ids the question is limited to: the locality given, else the ones it names, else all."""
        if locality and locality.strip():
            return self.retriever.documents_for_locality(locality)
        named = self.retriever.documents_for_locality(question)
        return named or None

    def search(self, query: str, k: int = 5, locality: str | None = None) -> list[Hit]:
        """Hybrid search, limited to ``locality`` when given."""
        text = self.validate(query)
        return self.retriever.search(text, k=k, doc_ids=self.scope(text, locality))

    def ask(self, question: str, locality: str | None = None) -> Answer:
        """Answer ``question`` from the plans (``locality`` optionally restricts the plans)."""
        text = self.validate(question)
        scope = self.scope(text, locality)
        if scope is not None and not scope:
            return self._not_found(f"Chưa có kế hoạch nào của địa bàn “{locality}” trong dữ liệu.")
        analysed = self.retriever.analyse(text)
        if scope is None and (place := self._unknown_place(text, analysed)):
            return self._not_found(f"Chưa có kế hoạch nào của {place} trong dữ liệu.")
        intent = detect_intent(f"{text} {analysed.text}")
        if intent.kind == HEADER and (fields := asked_fields(f"{text} {analysed.text}")):
            return self._header_answer(fields, scope)  # from the metadata: no search needed
        # every plan's best passages too: a question naming no plan may be answered by each
        hits = self.retriever.search(analysed, k=self.candidates, doc_ids=scope, per_document=PER_PLAN_CANDIDATES)
        # English words the plans never use are left out only when the question's key terms were
        # understood (the term map found some): "Who won the 2022 FIFA World Cup?" keeps them all
        english = analysed.english and len(english_terms(text)) >= MIN_ENGLISH_TERMS
        terms = self.query_terms(analysed.text, framing=intent.framing, english=english)
        if not hits or terms.total <= 0:
            return self._not_found()
        focused = (
            self.query_terms(analysed.text, within=scope, framing=intent.framing, english=english) if scope else terms
        )
        ranked = self._rerank(hits, terms, intent, focused=focused)
        if not self._supported(analysed, ranked):
            return self._not_found()
        chosen = self._choose(ranked, named=scope if scope is not None and len(scope) > 1 else None)
        # several plans the question did not name: fewer lines each, so the answer stays readable
        shorter = scope is None and len(chosen) > 1
        spans = [(hit, self._best_span(hit.chunk, focused, intent, shorter=shorter)) for hit in chosen]
        if intent.value and not any(states_value(hit.chunk, sp, intent.value) for hit, sp in spans):
            return self._value_missing(intent.value, spans[0])
        if intent.wants_quantity and not any(states_quantity(hit.chunk, sp) for hit, sp in spans):
            return self._not_found()
        if intent.yes_no and intent.figures and (checked := self._check_premise(intent, ranked, terms)):
            return checked
        return self._compose(spans, silent=self._silent(ranked, chosen, scope), kinds=intent.fact_kinds)

    def _silent(self, ranked: Sequence[Candidate], chosen: Sequence[Hit], scope: set[str] | None) -> list[DocumentMeta]:
        """Plans that give no answer when several do: not chosen, and hardly any evidence of their own
        (a plan with some evidence is left unnamed rather than said to be silent)."""
        if scope is not None or len(chosen) < 2:
            return []
        answered = {hit.chunk.doc_id for hit in chosen}
        evidence = {c.hit.chunk.doc_id for c in ranked if c.coverage >= SILENT_COVERAGE}
        return [d for d in self.retriever.snapshot.documents if d.doc_id not in answered | evidence]

    def facts(self, kind: str, *, subject: str | None = None, locality: str | None = None) -> list[LocatedFact]:
        """Facts of ``kind`` in document order, limited to plans of ``locality`` and to subjects
        containing ``subject`` (compared folded, so "phong van hoa" finds "Phòng Văn hóa - Xã hội")."""
        snapshot = self.retriever.snapshot
        scope = self.retriever.documents_for_locality(locality) if locality and locality.strip() else None
        wanted = _words(subject) if subject and subject.strip() else ""
        documents = {d.doc_id: d for d in snapshot.documents}
        found: list[LocatedFact] = []
        for fact in snapshot.facts:
            if fact.kind != kind or (scope is not None and fact.doc_id not in scope):
                continue
            if wanted and f" {wanted} " not in f" {_words(fact.subject)} ":
                continue
            source = self._chunk_sources.get(fact.chunk_id, "")
            located = replace(fact, quote=verbatim_quote(fact.quote, source)) if source else fact
            found.append(LocatedFact(located, documents[fact.doc_id]))
        return found

    @cached_property
    def _chunk_sources(self) -> dict[str, str]:
        """chunk_id → the chunk's verbatim source span, for chunks whose display text differs."""
        return {c.chunk_id: c.source for c in self.retriever.snapshot.chunks if c.source}

    def responsibilities(self, unit: str | None = None, locality: str | None = None) -> list[LocatedFact]:
        """What units must do (role chủ trì / phối hợp / tham mưu / thực hiện), optionally of one unit."""
        return self.facts(FACT_RESPONSIBILITY, subject=unit, locality=locality)

    def targets(self, locality: str | None = None) -> list[LocatedFact]:
        """The plans' targets (chỉ tiêu), optionally of one locality."""
        return self.facts(FACT_TARGET, locality=locality)

    # --- steps -----------------------------------------------------------------------------------

    def _unknown_place(self, question: str, analysed: AnalysedQuery) -> str | None:
        """A place named in the question ("xã Hồng Phong") that no indexed plan mentions at all.

        The administrative word is recognised with its diacritics (restored ones for a question typed
        without them), so "cơ quan nào" or "địa phương" are no places; the name is the next words up
        to a question word; it is unknown when no plan's text has the unit followed by that name.
        """
        typed = tokens(replace_abbreviations(question))  # "P. Ngô Quyền" names a phường
        accented = (
            typed if has_diacritics(question) or len(tokens(analysed.text)) != len(typed) else tokens(analysed.text)
        )
        for i in range(len(typed)):
            for unit in _ADMIN_UNITS:
                size = len(unit.split())
                if " ".join(accented[i : i + size]) != unit:
                    continue
                name = []
                for word in typed[i + size : i + size + 3]:
                    if fold(word) in STOPWORDS or not word.isalpha():
                        break
                    name.append(fold(word))
                if not name:
                    continue
                if not any(
                    f" {fold(unit)} {' '.join(name[:n])} " in self._corpus_folded for n in range(1, len(name) + 1)
                ):
                    shown = typed[i + size : i + size + len(name)]
                    return f"{unit} {' '.join(w.capitalize() for w in shown)}"
        return None

    @cached_property
    def _fact_quotes(self) -> dict[tuple[str, str], set[str]]:
        """(chunk_id, fact kind) → the quotes of the facts of that kind in that chunk."""
        quotes: dict[tuple[str, str], set[str]] = {}
        for fact in self.retriever.snapshot.facts:
            quotes.setdefault((fact.chunk_id, fact.kind), set()).add(fact.quote)
        return quotes

    def _rerank(
        self, hits: Sequence[Hit], terms: QueryTerms, intent: Intent, *, focused: QueryTerms | None = None
    ) -> list[Candidate]:
        """Hits reordered by retrieval score and term coverage together (see :class:`Candidate`),
        plus a bonus for chunks of the kind the intent asks for or holding facts of its kind.
        ``focused``: the question's terms weighed within the plans in scope, for the ranking."""
        focused = focused or terms
        wanted_kind = INTENT_CHUNK_KINDS.get(intent.kind)
        candidates = []
        for hit in hits:
            bonus = KIND_BONUS if hit.chunk.kind == wanted_kind else 0.0
            # a chunk holding a fact of the asked kind that matches the question is the answer's home
            quotes = self._quotes_of(hit.chunk.chunk_id, intent.fact_kinds)
            best_fact = max((focused.overlap(self._terms_of(q)) for q in quotes), default=0.0) / focused.total
            if quotes:
                bonus += FACT_BONUS + FACT_MATCH_WEIGHT * best_fact
            chunk_terms = self._chunk_terms[hit.chunk.chunk_id]
            coverage = terms.overlap(chunk_terms) / terms.total
            focus = focused.overlap(chunk_terms) / focused.total if focused is not terms else None
            candidates.append(Candidate(hit, coverage, bonus, best_fact, focus))
        return sorted(candidates, key=lambda c: c.rank, reverse=True)

    def _terms_of(self, text: str) -> set[str]:
        """Folded terms of a line or quote of the snapshot, memoised (the same lines recur per question)."""
        cached = self._line_terms.get(text)
        if cached is None:
            cached = self._line_terms[text] = set(folded_terms(text))
        return cached

    def _quotes_of(self, chunk_id: str, kinds: Sequence[str]) -> set[str]:
        """Quotes of the facts of ``kinds`` found in chunk ``chunk_id``."""
        quotes: set[str] = set()
        for kind in kinds:
            quotes |= self._fact_quotes.get((chunk_id, kind), set())
        return quotes

    def _supported(self, question: AnalysedQuery, ranked: Sequence[Candidate]) -> bool:
        """Is there real evidence? Enough of the question's weighted terms must occur in a top hit."""
        if max(c.coverage for c in ranked[:3]) >= MIN_COVERAGE:
            return True
        # a fact of the asked kind ("kinh phí ... từ đâu" → a funding line) that matches the question
        top = ranked[0]
        if top.fact_match >= MIN_FACT_MATCH and top.coverage >= MIN_FACT_MATCH:
            return True
        # A question in English shares few terms with the plans: trust the multilingual embedding
        # only when it is clearly confident.
        return question.english and ranked[0].hit.dense >= MIN_DENSE_FOR_FOREIGN

    def _choose(self, ranked: Sequence[Candidate], *, named: set[str] | None) -> list[Hit]:
        """The hits to answer from, one per plan.

        Several plans named (a comparison): the best hit of each. One plan in scope: the best hit.
        None named: the best hit of every plan that ranks close to the overall best, because plans
        of different localities answer the same question differently.
        """
        best_per_doc: dict[str, Candidate] = {}
        for candidate in ranked:
            best_per_doc.setdefault(candidate.hit.chunk.doc_id, candidate)
        if named is not None:
            return [c.hit for c in best_per_doc.values() if c.hit.chunk.doc_id in named]
        top = ranked[0]
        # a plan answers too when its best passage ranks close to the best one, or when it states a
        # fact of the asked kind covering the question nearly as well (the rank's bonus can favour one plan)
        close = [
            c.hit
            for c in best_per_doc.values()
            if c.rank >= PER_LOCALITY_RATIO * top.rank
            or (c.fact_match >= MIN_FACT_MATCH and c.coverage >= PER_LOCALITY_COVERAGE * top.coverage)
        ]
        return close[:MAX_LOCALITIES]

    def _best_span(self, chunk: Chunk, terms: QueryTerms, intent: Intent, *, shorter: bool = False) -> Span:
        """The lines of ``chunk`` that best match the question, with a verbatim quote covering them.

        Table rows, recipient lists and signatures are used whole. Otherwise the best line (long
        lines are split into sentences) and the lines scoring at least ``LINE_RATIO`` of it, at most
        ``MAX_LINES`` (half as many when ``shorter``, for answers covering several plans), in document
        order; the quote is the stretch of the chunk from the first to the
        last of them when that is short enough, else the best line alone.
        """
        text = chunk.text
        if chunk.kind in WHOLE_KINDS:
            return Span(tuple(line.strip() for line in text.split("\n") if line.strip()), (text.strip(),))
        heading = chunk.section_path[-1] if chunk.section_path else ""
        # The heading is named in the answer already: quote the content lines when there are any.
        pieces = [p for p in self._pieces(text) if p != heading] or self._pieces(text)
        if not pieces:
            return Span((heading,), (heading,))
        scores = [terms.overlap(self._terms_of(p)) for p in pieces]
        fact_quotes = self._quotes_of(chunk.chunk_id, intent.fact_kinds)
        has_fact = [any(p in q or q in p for q in fact_quotes) for p in pieces]
        if fact_quotes:
            top = max(scores) or 1.0
            scores = [s + LINE_FACT_BONUS * top * fact for s, fact in zip(scores, has_fact, strict=True)]
        best = max(range(len(pieces)), key=lambda i: (scores[i], -len(pieces[i])))
        if intent.wants_list:
            keep = list(range(min(len(pieces), MAX_LIST_LINES // (2 if shorter else 1))))
        else:
            threshold = LINE_RATIO * scores[best]
            # every line stating a fact of the kind asked counts when there are few ("từ nguồn nào":
            # both funding lines); in a long list of targets only the matching ones do
            few = sum(has_fact) <= MAX_FACT_LINES
            keep = [i for i, score in enumerate(scores) if (score >= threshold and score > 0) or (few and has_fact[i])]
            most = MAX_LINES // (2 if shorter else 1)
            keep = sorted(sorted(keep or [best], key=lambda i: scores[i], reverse=True)[:most])
        lines = with_labels(tuple(pieces[i] for i in keep), text)
        start = text.find(lines[0])
        end = text.find(lines[-1], start) + len(lines[-1])
        if 0 <= start < end and end - start <= MAX_QUOTE_CHARS * 2:
            return Span(lines, (text[start:end],))
        return Span(lines, lines)

    @staticmethod
    def _pieces(text: str) -> list[str]:
        """Lines of ``text``; a line longer than ``MAX_QUOTE_CHARS`` split into its sentences."""
        pieces: list[str] = []
        for line in text.split("\n"):
            line = line.strip()
            if len(line) <= MAX_QUOTE_CHARS:
                pieces.extend([line] if line else [])
            else:
                pieces.extend(sentence.strip() for sentence in _SENTENCE_END.split(line) if sentence.strip())
        return pieces

    def _compose(
        self,
        spans: Sequence[tuple[Hit, Span]],
        *,
        silent: Sequence[DocumentMeta] = (),
        kinds: Sequence[str] = (),
        intro: str = "Tùy kế hoạch của từng địa bàn:",
    ) -> Answer:
        """Format the chosen spans, one block per plan; every quoted claim carries its citation number."""
        citations: list[Citation] = []
        parts: list[str] = []
        for hit, span in spans:
            meta = hit.document
            first = len(citations) + 1
            for quote in span.quotes:
                citations.append(
                    Citation(
                        doc_id=meta.doc_id,
                        title=meta.title,
                        locality=meta.locality or "",
                        section=hit.chunk.section,
                        quote=verbatim_quote(quote, hit.chunk.source),
                        score=round(hit.score, 4),
                        pages=hit.chunk.pages,
                    )
                )
            parts.append(f"{doc_label(meta)}, mục {self._where(hit.chunk)}: {self._render(hit.chunk, span, first)}")
        notes = self._conflicts(spans, kinds)
        if len(parts) == 1:
            return Answer(STATUS_ANSWERED, "\n".join(["Theo " + parts[0], *notes]), tuple(citations))
        lines = [intro, *(f"• {part}" for part in parts)]
        if silent:
            lines.append("Không tìm thấy nội dung này trong: " + "; ".join(doc_label(meta) for meta in silent) + ".")
        return Answer(STATUS_ANSWERED, "\n".join([*lines, *notes]), tuple(citations))

    @cached_property
    def _facts_by_chunk(self) -> dict[str, list[Fact]]:
        found: dict[str, list[Fact]] = {}
        for fact in self.retriever.snapshot.facts:
            found.setdefault(fact.chunk_id, []).append(fact)
        return found

    def _conflicts(self, spans: Sequence[tuple[Hit, Span]], kinds: Sequence[str]) -> list[str]:
        """Notes on facts of the asked kinds that the quoted lines state differently (never resolved
        silently): "Quyết định số 2214/QĐ-TTg" dated 28/02/2021 in one plan and 28/12/2021 in another."""
        values: dict[str, dict[str, list[str]]] = {}
        names: dict[str, str] = {}
        written: dict[tuple[str, str], str] = {}
        for hit, span in spans:
            shown = " ".join(span.lines)
            for fact in self._facts_by_chunk.get(hit.chunk.chunk_id, []):
                if fact.kind not in kinds or not fact.value or fact.quote not in hit.chunk.text:
                    continue
                if not any(line in fact.quote or fact.quote in line for line in span.lines) and fact.quote not in shown:
                    continue
                key = _words(fact.subject)
                names.setdefault(key, fact.subject)
                spelled = written.setdefault((key, _same_value(fact.value)), fact.value)  # document's own spelling
                places = values.setdefault(key, {}).setdefault(spelled, [])
                places.append(hit.document.locality or hit.document.title)
        notes = []
        for key, by_value in values.items():
            if len(by_value) > 1 and len(names[key]) <= 120:
                stated = "; ".join(
                    f"{value} ({', '.join(dict.fromkeys(places))})" for value, places in by_value.items()
                )
                notes.append(f"Lưu ý: các văn bản ghi khác nhau về {names[key]}: {stated}.")
        return notes

    def _check_premise(self, intent: Intent, ranked: Sequence[Candidate], terms: QueryTerms) -> Answer | None:
        """Answer a yes/no question that states a target figure ("60% có đúng không?"): the target
        it is about is the best-matching target fact; a different figure is corrected, and the target
        the stated figure belongs to, if any, is named too."""
        pairs = [
            (c.hit, fact)
            for c in ranked[:10]
            for fact in self._facts_by_chunk.get(c.hit.chunk.chunk_id, [])
            if fact.kind == FACT_TARGET
        ]
        if not pairs:
            return None
        about_hit, about = max(pairs, key=lambda pair: terms.overlap(self._terms_of(pair[1].quote)))
        stated = {_same_value(figure) for figure in intent.figures}
        spans: list[tuple[Hit, Span]] = [(about_hit, Span((about.quote,), (about.quote,)))]
        if _same_value(about.value) in stated:
            verdict = f"Đúng, chỉ tiêu là {about.value}."
        else:
            verdict = f"Không, chỉ tiêu là {about.value}, không phải {', '.join(intent.figures)}."
            for hit, fact in pairs:
                if _same_value(fact.value) in stated and fact.quote != about.quote:
                    verdict += f" Còn {fact.value} là chỉ tiêu khác (xem [2])."
                    spans.append((hit, Span((fact.quote,), (fact.quote,))))
                    break
        if len(spans) == 1:
            composed = self._compose(spans)
            return Answer(STATUS_ANSWERED, f"{verdict}\n{composed.answer}", composed.citations)
        return self._compose(spans, intro=verdict)

    @staticmethod
    def _where(chunk: Chunk, *, pages: bool = True) -> str:
        """The section's own heading, shortened (the full path is in the citation), with its pages if
        known and asked for."""
        heading = chunk.section_path[-1] if chunk.section_path else "phần mở đầu"
        if chunk.row is not None and len(chunk.section_path) >= 2:
            heading = chunk.section_path[-2]  # a table row's group ("I. Nhóm nhiệm vụ: ..."), not its number
        if len(heading) > MAX_HEADING_CHARS:
            heading = heading[: MAX_HEADING_CHARS - 1].rstrip() + "…"
        return f"{heading} ({pages_label(chunk.pages)})" if chunk.pages and pages else heading

    @staticmethod
    def _render(chunk: Chunk, span: Span, first: int) -> str:
        """A table row reads as its labelled cells; any other span is quoted as written. Citation
        numbers start at ``first``: one after the span, or one per line when each line is its own quote."""
        if chunk.row is not None:
            row = chunk.row
            labelled = [
                ("nhiệm vụ", row.get("task")),
                ("chủ trì", row.get("lead")),
                ("phối hợp", row.get("coordinating")),
                ("thời gian", row.get("time")),
                ("kết quả", row.get("output")),
            ]
            return "; ".join(f"{label}: {value}" for label, value in labelled if value) + f" [{first}]"
        if len(span.quotes) == 1:
            return " ".join(f"“{line}”" for line in span.lines) + f" [{first}]"
        # several quotes: each line carries its own citation
        return " ".join(f"“{line}” [{first + i}]" for i, line in enumerate(span.lines))

    def _header_answer(self, fields: Sequence[str], scope: set[str] | None) -> Answer:
        """Số hiệu, date, issuer or title of the plans in scope (every plan when none is named), from
        their metadata, each value cited with the line that states it; ``not_found`` when no plan in
        scope states any of them."""
        snapshot = self.retriever.snapshot
        documents = [d for d in snapshot.documents if scope is None or d.doc_id in scope]
        citations: list[Citation] = []
        parts: list[str] = []
        for meta in documents[:MAX_HEADER_PLANS]:
            chunks = self._chunks_of.get(meta.doc_id, [])
            stated: list[str] = []
            for name in fields:
                found = locate(meta, name, chunks)
                if found is None:
                    stated.append(f"{FIELD_LABELS[name]}: không ghi")
                    continue
                citation = Citation(
                    doc_id=meta.doc_id,
                    title=meta.title,
                    locality=meta.locality or "",
                    section=found.chunk.section,
                    quote=verbatim_quote("\n".join(found.lines), found.chunk.source),
                    score=1.0,
                    pages=found.chunk.pages,
                )
                if citation not in citations:  # number and date often stand on one line
                    citations.append(citation)
                number = citations.index(citation) + 1
                label = "ban hành" if name == HEADER_DATE else f"{FIELD_LABELS[name]}:"
                stated.append(f"{label} {found.value}{blank_note(name, found.value)} [{number}]")
            parts.append(f"{doc_label(meta)}: {'; '.join(stated)}.")
        if not citations:
            labels = ", ".join(FIELD_LABELS[name] for name in fields)
            plans = "; ".join(doc_label(meta) for meta in documents[:MAX_HEADER_PLANS])
            return self._not_found(f"{plans} không ghi {labels}.")
        if len(parts) == 1:
            return Answer(STATUS_ANSWERED, f"Theo {parts[0]}", tuple(citations))
        more = len(documents) - MAX_HEADER_PLANS
        lines = ["Tùy kế hoạch của từng địa bàn:", *(f"• {part}" for part in parts)]
        if more > 0:
            lines.append(f"… và {more} kế hoạch khác: hãy hỏi kèm tên địa bàn.")
        return Answer(STATUS_ANSWERED, "\n".join(lines), tuple(citations))

    @cached_property
    def _chunks_of(self) -> dict[str, list[Chunk]]:
        """doc_id → its chunks in document order."""
        found: dict[str, list[Chunk]] = {}
        for chunk in self.retriever.snapshot.chunks:
            found.setdefault(chunk.doc_id, []).append(chunk)
        return found

    def _value_missing(self, kind: str, closest: tuple[Hit, Span]) -> Answer:
        """``not_found`` for a question asking a value no plan states (an amount, a date, a venue),
        with the closest line the plans do have on it, cited, so the user sees what is known."""
        hit, span = closest
        line = span.lines[0] if span.lines else ""
        quote = next((q for q in span.quotes if line in q), line)
        citation = Citation(
            doc_id=hit.document.doc_id,
            title=hit.document.title,
            locality=hit.document.locality or "",
            section=hit.chunk.section,
            quote=verbatim_quote(quote, hit.chunk.source),
            score=round(hit.score, 4),
            pages=hit.chunk.pages,
        )
        # the plan by its locality, not its số hiệu: every number shown must stand in the citation
        where = f"{hit.document.locality or hit.document.title}, mục {self._where(hit.chunk, pages=False)}"
        # no "[1]" marker: in an answer that states nothing, every number must come from the quote
        text = f"{_MISSING_VALUE[kind]} Nội dung gần nhất, {where}: “{line}”"
        return Answer(STATUS_NOT_FOUND, text, (citation,))

    def _not_found(self, reason: str | None = None) -> Answer:
        """The honest answer when the plans do not say it, with what they do cover."""
        places = sorted({d.locality for d in self.retriever.snapshot.documents if d.locality})
        covered = f" Dữ liệu hiện có kế hoạch của: {', '.join(places)}." if places else ""
        lead = f"{reason} " if reason else ""
        return Answer(
            STATUS_NOT_FOUND,
            f"{lead}{NOT_FOUND_SENTENCE}{covered} Hãy hỏi về nhiệm vụ, đơn vị phụ trách, chỉ tiêu hoặc thời hạn "
            "trong các kế hoạch này.",
        )
