"""Targets across plans: one target compared between the places a question names, and how many
plans set a target.

"Chỉ tiêu gia đình văn hóa của Kinh Môn và Cao Lộc khác nhau thế nào" → one line per place with
its value, each cited; "bao nhiêu kế hoạch đặt chỉ tiêu gia đình văn hóa" → the count and the list.
Both read the target facts (``FACT_TARGET``) and keep, per plan, the fact whose line covers most of
the matter asked (IDF-weighted terms, the places' own names left out).

:class:`TargetsAnswerer` is one of the engine's answerers. A comparison it cannot make for every
place named (a place has no target line on the matter) is left to the passage answerer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.answer import STATUS_ANSWERED, Answer, Citation, cite, doc_label
from bot.answering.corpus import Corpus
from bot.answering.facts import LocatedFact, find_facts
from bot.answering.question import Question
from bot.answering.render import not_found
from bot.models import FACT_TARGET
from bot.query.across import AcrossKind, read_across
from bot.query.intent import TARGET
from bot.query.terms import QueryTerms
from bot.retrieval.hybrid import locality_key

MIN_COMPARE_MATCH = 0.5  # share of the matter's weight a place's target line must cover
MIN_COUNT_MATCH = 0.6
NEAR_BEST = 0.9  # a second line of a plan is shown when it covers the matter nearly as well
MAX_LISTED = 10
_FRAMING = frozenset({"chi", "tieu", "muc", "dat", "ra", "kh", "ke", "hoach", "nhau", "khac", "thuc"})


@dataclass(frozen=True)
class Match:
    """A plan's target lines on the matter, best first, and how well the best covers it."""

    facts: tuple[LocatedFact, ...]
    score: float


def matter_terms(text: str, corpus: Corpus, places: set[str]) -> QueryTerms:
    """The question's terms naming the matter: the places' names and framing syllables left out."""
    terms = corpus.query_terms(text)
    # a bigram holding one such syllable ("tieu_gia", "loc_khac") names no matter either
    left_out = places | _FRAMING
    kept = {term: weight for term, weight in terms.weights.items() if left_out.isdisjoint(term.split("_"))}
    return QueryTerms(kept)


def best_per_plan(facts: list[LocatedFact], terms: QueryTerms, corpus: Corpus) -> dict[str, Match]:
    """doc_id → its target lines covering ``terms`` best (the best, and those nearly as good)."""
    if terms.total <= 0:
        return {}
    scored: dict[str, list[tuple[float, LocatedFact]]] = {}
    for located in facts:
        score = terms.overlap(corpus.terms_of(located.fact.quote)) / terms.total
        scored.setdefault(located.document.doc_id, []).append((score, located))
    found: dict[str, Match] = {}
    for doc_id, pairs in scored.items():
        pairs.sort(key=lambda pair: -pair[0])
        top = pairs[0][0]
        near = tuple(located for score, located in pairs[:2] if score >= NEAR_BEST * top and score > 0)
        found[doc_id] = Match(near, top)
    return found


def _lines(matches: list[Match], corpus: Corpus) -> tuple[list[str], list[Citation]]:
    chunks = {c.chunk_id: c for cs in corpus.chunks_of.values() for c in cs}
    lines: list[str] = []
    citations: list[Citation] = []
    for match in matches:
        stated = []
        for located in match.facts:
            fact = located.fact
            citations.append(cite(located.document, chunks[fact.chunk_id], fact.quote, round(match.score, 4)))
            stated.append(f"{fact.value}: “{fact.quote}” [{len(citations)}]")
        lines.append(f"• {doc_label(match.facts[0].document)}: {'; '.join(stated)}")
    return lines, citations


def compare(question: Question, topic: str, corpus: Corpus) -> Answer | None:
    """One line per place named with its target on the matter; ``None`` unless the question names
    two places or more and each has a target line on it."""
    scope = question.scope
    if scope is None or len(scope) < 2:
        return None
    documents = [d for d in corpus.documents if d.doc_id in scope]
    places = {word for d in documents if d.locality for word in locality_key(d.locality).split()}
    if len({d.locality for d in documents}) < 2:
        return None
    terms = matter_terms(topic, corpus, places)
    matches = best_per_plan(find_facts(corpus, FACT_TARGET, subject=None, scope=set(scope)), terms, corpus)
    if any(matches.get(d.doc_id) is None or matches[d.doc_id].score < MIN_COMPARE_MATCH for d in documents):
        return None
    lines, citations = _lines([matches[d.doc_id] for d in documents], corpus)
    return Answer(STATUS_ANSWERED, "\n".join(["Chỉ tiêu của từng địa bàn:", *lines]), tuple(citations))


def count(question: Question, topic: str, corpus: Corpus) -> Answer:
    """How many plans (in scope) set a target on the matter, and which, each cited."""
    scope = set(question.scope) if question.scope is not None else None
    named = [d for d in corpus.documents if scope is not None and d.doc_id in scope]
    places = {w for d in named if d.locality for w in locality_key(d.locality).split()}
    terms = matter_terms(topic, corpus, places)
    matches = best_per_plan(find_facts(corpus, FACT_TARGET, subject=None, scope=scope), terms, corpus)
    setting = [m for m in matches.values() if m.score >= MIN_COUNT_MATCH and m.facts]
    if not setting:
        return not_found(corpus.localities, "Không kế hoạch nào có chỉ tiêu về nội dung này.")
    setting.sort(key=lambda m: -m.score)
    lines, citations = _lines(setting[:MAX_LISTED], corpus)
    more = [f"… và {len(setting) - MAX_LISTED} kế hoạch khác."] if len(setting) > MAX_LISTED else []
    head = f"Có {len(setting)} kế hoạch đặt chỉ tiêu về nội dung này:"
    return Answer(STATUS_ANSWERED, "\n".join([head, *lines, *more]), tuple(citations))


@dataclass(frozen=True)
class TargetsAnswerer:
    """Answers target comparisons between named places and "how many plans set this target"."""

    corpus: Corpus

    def answer(self, question: Question) -> Answer | None:
        """The answer, or ``None`` when the question is neither (or the comparison cannot be made)."""
        reading = read_across(question.text)
        if reading is None:
            return None
        if reading.kind == AcrossKind.COUNT_TARGETS:
            return count(question, reading.topic, self.corpus)
        if reading.kind == AcrossKind.COMPARE and TARGET in question.intent.kinds:
            # as typed: a question without diacritics has its function words ("va") known by their letters
            return compare(question, question.text, self.corpus)
        return None
