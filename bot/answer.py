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
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from bot.errors import QueryError
from bot.models import KIND_TABLE, Chunk, DocumentMeta
from bot.retrieval import Hit, Retriever, has_diacritics
from bot.text import expand_abbreviations, fold, tokens

STATUS_ANSWERED = "answered"
STATUS_NOT_FOUND = "not_found"
NOT_FOUND_SENTENCE = "Các kế hoạch không nêu thông tin này."

# Question words, particles and function words: they carry no evidence (folded forms).
_STOPWORDS = frozenset(
    (
        "ai",
        "gi",
        "nao",
        "bao",
        "nhieu",
        "the",
        "khong",
        "ko",
        "k",
        "vay",
        "z",
        "a",
        "ad",
        "oi",
        "nhe",
        "nha",
        "la",
        "co",
        "cua",
        "o",
        "tai",
        "trong",
        "cho",
        "ve",
        "voi",
        "va",
        "thi",
        "duoc",
        "cac",
        "nhung",
        "mot",
        "nhu",
        "khi",
        "nay",
        "do",
        "hay",
        "hoac",
        "phai",
        "lam",
        "sao",
        "chu",
        "u",
        "nhi",
        "minh",
        "toi",
        "ban",
        "hoi",
        "xin",
        "cam",
        "on",
        "what",
        "who",
        "which",
        "when",
        "where",
        "how",
        "is",
        "are",
        "was",
        "were",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "an",
        "does",
        "do",
        "did",
        "by",
        "with",
        "about",
        "and",
        "or",
        "from",
        "that",
        "this",
        "it",
        "its",
        "be",
        "as",
        "at",
        "any",
        "there",
        "their",
        "whose",
        "whom",
    )
)
_QUANTITY = re.compile(r"\b(bao nhieu|may|how (many|much)|tong (so|kinh phi)|so luong)\b")
_HAS_NUMBER = re.compile(r"\d")
# An administrative unit followed by a name: "xã Hồng Phong", "huyen ky anh" (folded).
_PLACE = re.compile(r"\b(xa|phuong|thi tran|huyen|tinh|thanh pho|quan|thi xa)\s+([a-z]+(?:\s+[a-z]+){0,2})")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ“\"(-])")

# Thresholds calibrated on the development set (see README, "Evaluation").
MIN_COVERAGE = 0.55
MIN_DENSE_FOR_FOREIGN = 0.82
PER_LOCALITY_RATIO = 0.80
MAX_QUOTE_CHARS = 320
MAX_LOCALITIES = 5


@dataclass(frozen=True)
class Citation:
    """Where a line of the answer comes from; ``quote`` is a verbatim span of the plan."""

    doc_id: str
    title: str
    locality: str
    section: str
    quote: str
    score: float


@dataclass(frozen=True)
class Answer:
    """An answer: ``status`` is ``answered`` or ``not_found``; citations are numbered from 1."""

    status: str
    answer: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class QueryTerms:
    """The content terms of a question (folded syllables and bigrams) with their IDF weights."""

    weights: dict[str, float]

    @property
    def total(self) -> float:
        """Sum of all weights (0 for a question with no content term)."""
        return sum(self.weights.values())

    def overlap(self, text_terms: set[str]) -> float:
        """Weight of the question terms present in ``text_terms``."""
        return sum(w for t, w in self.weights.items() if t in text_terms)


def folded_terms(text: str) -> list[str]:
    """Folded syllables of ``text`` (abbreviations expanded) without stopwords, plus their bigrams."""
    syllables = [fold(t) for t in tokens(expand_abbreviations(text))]
    content = [s for s in syllables if s and s not in _STOPWORDS]
    return content + [f"{a}_{b}" for a, b in pairwise(content)]


def doc_label(meta: DocumentMeta) -> str:
    """How an answer names a plan: "Kế hoạch số 78/KH-UBND (phường Kinh Môn)"."""
    kind = meta.doc_type or "Kế hoạch"
    number = f" số {meta.number}" if meta.number and re.search(r"\d", meta.number) else ""
    place = f" ({meta.locality})" if meta.locality else ""
    return f"{kind}{number}{place}"


class AnswerService:
    """Answers questions and searches on one retriever (one snapshot)."""

    def __init__(self, retriever: Retriever, *, candidates: int = 10, max_question_chars: int = 2000) -> None:
        self.retriever = retriever
        self.candidates = candidates
        self.max_question_chars = max_question_chars

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

    def query_terms(self, question: str) -> QueryTerms:
        """IDF-weighted content terms; unknown terms weigh as the rarest known term (they matter)."""
        unseen = math.log(1 + max(len(self._chunk_terms), 1))
        weights: dict[str, float] = {}
        for term in folded_terms(question):
            weight = self._idf.get(term, unseen)
            weights[term] = weight * (0.5 if "_" in term else 1.0)
        return QueryTerms(weights)

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
        if scope is None and (place := self._unknown_place(text)):
            return self._not_found(f"Chưa có kế hoạch nào của {place} trong dữ liệu.")
        hits = self.retriever.search(text, k=self.candidates, doc_ids=scope)
        terms = self.query_terms(text)
        if not hits or not self._supported(text, terms, hits[0]):
            return self._not_found()
        chosen = self._choose(hits, per_locality=scope is None or len(scope) > 1)
        lines = [(hit, self._best_span(hit.chunk, terms)) for hit in chosen]
        if _QUANTITY.search(fold(text)) and not any(_HAS_NUMBER.search(span) for _, span in lines):
            return self._not_found()
        return self._compose(lines)

    # --- steps -----------------------------------------------------------------------------------

    def _unknown_place(self, question: str) -> str | None:
        """A place named in the question ("xã Hồng Phong") that no indexed plan mentions at all."""
        folded = " ".join(re.findall(r"[a-z0-9]+", fold(question)))
        for match in _PLACE.finditer(folded):
            words = match.group(2).split()
            # The name may be followed by other words: accept it if any prefix occurs in the corpus.
            if not any(
                f" {match.group(1)} {' '.join(words[:n])} " in self._corpus_folded for n in range(1, len(words) + 1)
            ):
                return question[match.start() : match.end()] if not has_diacritics(question) else match.group(0)
        return None

    def _supported(self, question: str, terms: QueryTerms, top: Hit) -> bool:
        """Is the best hit real evidence? Enough of the question's weighted terms must occur in it."""
        if terms.total <= 0:
            return False
        coverage = terms.overlap(self._chunk_terms[top.chunk.chunk_id]) / terms.total
        if coverage >= MIN_COVERAGE:
            return True
        # Questions in another language share few terms with the plans: trust the multilingual
        # embedding only when it is clearly confident.
        return top.dense >= MIN_DENSE_FOR_FOREIGN and not has_diacritics(question)

    def _choose(self, hits: Sequence[Hit], *, per_locality: bool) -> list[Hit]:
        """The hits to answer from: the best one, or the best of each plan that scores close to it."""
        best = hits[0]
        if not per_locality:
            return [best]
        chosen: dict[str, Hit] = {}
        for hit in hits:
            if hit.score >= PER_LOCALITY_RATIO * best.score and hit.chunk.doc_id not in chosen:
                chosen[hit.chunk.doc_id] = hit
        return list(chosen.values())[:MAX_LOCALITIES]

    def _best_span(self, chunk: Chunk, terms: QueryTerms) -> str:
        """The line (or sentence of a long line) of ``chunk`` that best matches the question."""
        if chunk.kind == KIND_TABLE:
            return chunk.text
        candidates: list[str] = []
        for line in chunk.text.split("\n"):
            line = line.strip()
            if not line:
                continue
            if len(line) <= MAX_QUOTE_CHARS:
                candidates.append(line)
            else:
                candidates.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
        if not candidates:
            return chunk.section_path[-1] if chunk.section_path else ""
        return max(candidates, key=lambda span: (terms.overlap(set(folded_terms(span))), -len(span)))

    def _compose(self, lines: Sequence[tuple[Hit, str]]) -> Answer:
        """Format the chosen lines, one per plan, each with its citation number."""
        citations: list[Citation] = []
        parts: list[str] = []
        for number, (hit, span) in enumerate(lines, start=1):
            meta = hit.document
            citations.append(
                Citation(
                    doc_id=meta.doc_id,
                    title=meta.title,
                    locality=meta.locality or "",
                    section=hit.chunk.section,
                    quote=span,
                    score=round(hit.score, 4),
                )
            )
            parts.append(f"{doc_label(meta)}, mục {self._where(hit.chunk)}: {self._render(hit.chunk, span)} [{number}]")
        if len(parts) == 1:
            return Answer(STATUS_ANSWERED, "Theo " + parts[0], tuple(citations))
        body = "\n".join(f"• {part}" for part in parts)
        return Answer(STATUS_ANSWERED, "Tùy kế hoạch của từng địa bàn:\n" + body, tuple(citations))

    @staticmethod
    def _where(chunk: Chunk) -> str:
        """The last two levels of the section path: enough to find it, short enough to read."""
        path = chunk.section_path[-2:] if chunk.section_path else ("phần mở đầu",)
        return " › ".join(path)

    @staticmethod
    def _render(chunk: Chunk, span: str) -> str:
        """A table row reads as its labelled cells; any other span is quoted as written."""
        if chunk.row is not None:
            row = chunk.row
            labelled = [
                ("nhiệm vụ", row.get("task")),
                ("chủ trì", row.get("lead")),
                ("phối hợp", row.get("coordinating")),
                ("thời gian", row.get("time")),
                ("kết quả", row.get("output")),
            ]
            return "; ".join(f"{label}: {value}" for label, value in labelled if value)
        return f"“{span}”"

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
