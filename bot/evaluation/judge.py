"""The judge: the README's scoring rules for one question's ``/ask`` and ``/search`` responses.

The judging follows ``../shared/eval/README.md`` to the letter and lives here, apart from the
system it judges: the normalisation is implemented in this module on purpose instead of reusing
:mod:`bot.text`, so that a bug in the system's own matching cannot hide itself from the judge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.evaluation.gold import EvalQuestion

STATUS_ANSWERED = "answered"
STATUS_NOT_FOUND = "not_found"
DEFAULT_K = 5


# --------------------------------------------------------------------------------------------
# Judge normalisation
# --------------------------------------------------------------------------------------------

_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc, huyền, hỏi, ngã, nặng
# Open syllables ending in oa/oe/uy are written two ways (hoá/hóa, uỷ/ủy); we keep the tone on
# the first vowel. Only at the end of a syllable: with a final consonant both styles agree
# (hoàn, khuyến), and after "q" the "u" belongs to "qu" so the tone stays on "y" (quý).
_TONE_MOVES: dict[str, str] = {
    unicodedata.normalize("NFC", first + second + tone): unicodedata.normalize("NFC", first + tone + second)
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for tone in _TONES
}
_TONE_RE = re.compile(r"(?<!q)(" + "|".join(map(re.escape, _TONE_MOVES)) + r")(?!\w)")
# Every dash the documents and answers use (hyphen, en/em dash, minus, ...) becomes "-".
_DASH_RE = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]\s*")
_PERCENT_RE = re.compile(r"\s+%")


def judge_normalise(text: str) -> str:
    """The README's comparison form of ``text``.

    Unicode NFC, lower-case, one tone-mark placement (hoá = hóa, uỷ = ủy), whitespace
    (TABs, newlines, NBSP included) collapsed to single spaces, spaces around dashes and before
    ``%`` removed. All dash characters are unified to ``-`` so "2021 – 2025" equals "2021-2025".
    Idempotent.
    """
    text = unicodedata.normalize("NFC", text).lower()
    text = _TONE_RE.sub(lambda match: _TONE_MOVES[match.group(1)], text)
    text = " ".join(text.split())
    text = _DASH_RE.sub("-", text)
    return _PERCENT_RE.sub("%", text)


# Abbreviations accepted both ways: both the gold token and the answer are expanded, so
# "UBND phường" matches "Ủy ban nhân dân phường" and vice versa. Only expansions that are
# unambiguous in these plans; "TT" (thị trấn/Trung tâm/Thông tư) is deliberately absent.
_ABBREVIATIONS: dict[str, str] = {
    "ubnd": "Ủy ban nhân dân",
    "hđnd": "Hội đồng nhân dân",
    "ubmttq": "Ủy ban Mặt trận Tổ quốc",
    "mttq": "Mặt trận Tổ quốc",
    "bcđ": "Ban Chỉ đạo",
    "bcd": "Ban Chỉ đạo",
    "ub": "Ủy ban",
    "vh-xh": "Văn hóa - Xã hội",
    "hlhpn": "Hội Liên hiệp Phụ nữ",
    "hccb": "Hội Cựu chiến binh",
    "tdđkxdđsvh": "Toàn dân đoàn kết xây dựng đời sống văn hóa",
}
_EXPANSIONS: dict[str, str] = {judge_normalise(short): judge_normalise(full) for short, full in _ABBREVIATIONS.items()}
# Longest first so "ubmttq" wins over "ub"; word boundaries keep "ub" out of "ubnd".
_ABBREVIATION_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(s) for s in sorted(_EXPANSIONS, key=len, reverse=True)) + r")(?!\w)"
)


def _match_form(text: str) -> str:
    """:func:`judge_normalise` with the accepted abbreviations expanded."""
    return _ABBREVIATION_RE.sub(lambda match: _EXPANSIONS[match.group(1)], judge_normalise(text))


# --------------------------------------------------------------------------------------------
# Judging one response
# --------------------------------------------------------------------------------------------


def _status(response: Mapping[str, Any]) -> str:
    status = response.get("status")
    return status if isinstance(status, str) else ""


def _answer(response: Mapping[str, Any]) -> str:
    answer = response.get("answer")
    return answer if isinstance(answer, str) else ""


def _citations(response: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    citations = response.get("citations")
    if not isinstance(citations, list):
        return []
    return [c for c in citations if isinstance(c, Mapping)]


def _field(item: Mapping[str, Any], name: str) -> str:
    value = item.get(name)
    return value if isinstance(value, str) else ""


def missing_tokens(q: EvalQuestion, answer: str) -> list[str]:
    """The ``must_include`` tokens none of whose ``|`` alternatives occurs in ``answer``."""
    answer_form = _match_form(answer)
    return [
        token
        for token in q.must_include
        if not any(_match_form(alt) in answer_form for alt in token.split("|") if alt.strip())
    ]


_NUMBER_RE = re.compile(r"\d+(?:[.,/]\d+)*")


def invented_numbers(question: str, response: Mapping[str, Any]) -> list[str]:
    """Numbers in the answer found neither in the question nor in any citation.

    A number grounded in the question ("xã Hồng Phong năm 2024?") or quoted from a cited
    document (a plan number) is not invented; anything else in an abstention is.
    """
    grounded = " ".join(
        [question] + [_field(c, name) for c in _citations(response) for name in ("quote", "section", "title")]
    )
    known = set(_NUMBER_RE.findall(judge_normalise(grounded)))
    return [n for n in _NUMBER_RE.findall(judge_normalise(_answer(response))) if n not in known]


def _is_clarification(q: EvalQuestion, answer: str) -> bool:
    """A ``list`` answer that asks which plan is meant, naming every concerned locality."""
    if "?" not in answer or not q.locality:
        return False
    form = _match_form(answer)
    # Users and answers say "Kinh Môn" rather than "phường Kinh Môn": compare the proper name.
    names = [re.sub(r"^(phường|thị trấn|huyện|xã|tỉnh|thành phố)\s+", "", judge_normalise(x)) for x in q.locality]
    return all(_match_form(name) in form for name in names)


def answer_verdict(q: EvalQuestion, response: Mapping[str, Any]) -> str | None:
    """Why the answer is wrong, or ``None`` when it is right (see :func:`answer_correct`)."""
    status = _status(response)
    if q.should_abstain:
        if status != STATUS_NOT_FOUND:
            return f"should abstain, got status {status!r}"
        invented = invented_numbers(q.question, response)
        return f"abstention invents numbers {invented}" if invented else None
    if status != STATUS_ANSWERED:
        return f"false abstention (status {status!r})"
    missing = missing_tokens(q, _answer(response))
    if not missing:
        return None
    if q.type == "list" and _is_clarification(q, _answer(response)):
        return None  # README: asking which plan is meant is also right for `list`
    return f"missing {missing}"


def answer_correct(q: EvalQuestion, response: Mapping[str, Any]) -> bool:
    """Judge an ``/ask`` response by the README rules.

    Answerable questions: status ``answered`` and every ``must_include`` token present after
    normalisation (``A|B`` accepts either; listed abbreviations accepted both ways); for ``list``
    questions a clarifying question naming every concerned locality is also right.
    ``unanswerable``/``out_of_scope``: status ``not_found`` and no number invented.
    """
    return answer_verdict(q, response) is None


def _evidence_forms(q: EvalQuestion) -> list[str]:
    # TABs from appendix tables are whitespace: judge_normalise collapses them to spaces.
    return [form for form in (judge_normalise(e) for e in q.evidence) if form]


def _carries_evidence(q: EvalQuestion, texts: Iterable[str]) -> bool:
    evidence = _evidence_forms(q)
    return any(e in judge_normalise(text) for text in texts for e in evidence)


def citation_hit(q: EvalQuestion, response: Mapping[str, Any]) -> bool:
    """True when a cited ``quote`` or ``section`` contains one of ``q.evidence`` (both normalised).

    Always ``False`` for questions without evidence: callers skip those (see
    :attr:`QuestionResult.citation_ok`).
    """
    texts = [_field(c, name) for c in _citations(response) for name in ("quote", "section")]
    return _carries_evidence(q, texts)


def abstention_correct(q: EvalQuestion, response: Mapping[str, Any]) -> bool:
    """Status ``not_found`` for ``unanswerable``/``out_of_scope``, ``answered`` for the rest."""
    expected = STATUS_NOT_FOUND if q.should_abstain else STATUS_ANSWERED
    return _status(response) == expected


def recall_at_k(q: EvalQuestion, search_results: Mapping[str, Any], k: int = DEFAULT_K) -> bool:
    """True when an evidence string occurs in the ``text`` or ``section`` of a top-``k`` result.

    ``search_results`` is a ``/search`` response (``{"results": [...]}``); always ``False`` for
    questions without evidence.
    """
    results = search_results.get("results")
    if not isinstance(results, list):
        return False
    top = [r for r in results[:k] if isinstance(r, Mapping)]
    return _carries_evidence(q, [_field(r, name) for r in top for name in ("text", "section")])


# --------------------------------------------------------------------------------------------
# The judged outcome
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    """The judged outcome of one question.

    ``citation_ok``/``recall_ok`` are ``None`` when the question has no evidence (not scored).
    ``*_took_ms`` is what the server reported, ``None`` when absent; ``*_wall_ms`` is measured
    around the call by the evaluator. ``error`` holds the exception text when a call failed.
    """

    question: EvalQuestion
    status: str
    answer: str
    answer_ok: bool
    abstention_ok: bool
    citation_ok: bool | None
    recall_ok: bool | None
    ask_wall_ms: float
    ask_took_ms: float | None
    search_wall_ms: float
    search_took_ms: float | None
    reasons: tuple[str, ...] = ()
    error: str | None = None

    @property
    def failed(self) -> bool:
        """True when any scored check failed."""
        return bool(self.reasons)


def _took_ms(response: Mapping[str, Any]) -> float | None:
    took = response.get("took_ms")
    return float(took) if isinstance(took, int | float) and not isinstance(took, bool) else None


def judge(
    q: EvalQuestion,
    response: Mapping[str, Any],
    search_response: Mapping[str, Any],
    k: int = DEFAULT_K,
) -> QuestionResult:
    """Judge one question's ``/ask`` and ``/search`` responses (timings left at zero)."""
    has_evidence = bool(_evidence_forms(q))
    verdict = answer_verdict(q, response)
    abstention_ok = abstention_correct(q, response)
    citation_ok = citation_hit(q, response) if has_evidence else None
    recall_ok = recall_at_k(q, search_response, k) if has_evidence else None
    reasons: list[str] = []
    if verdict is not None:
        reasons.append(f"answer: {verdict}")
    if citation_ok is False:
        reasons.append("citation: no cited quote/section carries the evidence")
    if recall_ok is False:
        reasons.append(f"recall@{k}: evidence not in the top-{k} search results")
    return QuestionResult(
        question=q,
        status=_status(response),
        answer=_answer(response),
        answer_ok=verdict is None,
        abstention_ok=abstention_ok,
        citation_ok=citation_ok,
        recall_ok=recall_ok,
        ask_wall_ms=0.0,
        ask_took_ms=_took_ms(response),
        search_wall_ms=0.0,
        search_took_ms=_took_ms(search_response),
        reasons=tuple(reasons),
    )
