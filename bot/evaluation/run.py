"""Development-set evaluation: load gold questions, judge /ask and /search responses, report scores.

The judging follows ``../shared/eval/README.md`` to the letter and lives here, apart from the
system it judges: the normalisation is implemented in this module on purpose instead of reusing
:mod:`bot.text`, so that a bug in the system's own matching cannot hide itself from the judge.

Pure logic: no HTTP imports. The callers (``scripts/evaluate.py``, the ``campaign-bot eval``
command) pass ``ask``/``search`` callables; :func:`client_callables` builds them from any client
with httpx-style ``post``/``get`` methods (``httpx.Client``, ``fastapi.testclient.TestClient``).
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

# Question types whose right answer is an abstention (status ``not_found``).
ABSTAIN_TYPES: frozenset[str] = frozenset({"unanswerable", "out_of_scope"})
STATUS_ANSWERED = "answered"
STATUS_NOT_FOUND = "not_found"
DEFAULT_K = 5

AskFn = Callable[[str], Mapping[str, Any]]
SearchFn = Callable[[str, int], Mapping[str, Any]]


# --------------------------------------------------------------------------------------------
# Gold questions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalQuestion:
    """One line of ``dev.jsonl``.

    Fields that the file holds as a string, a list or ``null`` (``doc``, ``locality``,
    ``section``, ``evidence``) are tuples here: empty for ``null``, one element for a string.
    ``must_include`` keeps the raw tokens (``"A|B"`` alternatives are split when judging).
    """

    id: str
    question: str
    doc: tuple[str, ...]
    locality: tuple[str, ...]
    section: tuple[str, ...]
    evidence: tuple[str, ...]
    answer: str
    must_include: tuple[str, ...]
    type: str
    style: str

    @property
    def should_abstain(self) -> bool:
        """True for ``unanswerable``/``out_of_scope`` questions: the right status is ``not_found``."""
        return self.type in ABSTAIN_TYPES


def _as_tuple(value: object, field: str, where: str) -> tuple[str, ...]:
    """``None`` → ``()``, ``str`` → ``(str,)``, list of str → tuple; anything else is an error."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ValueError(f"{where}: field {field!r} must be a string, a list of strings or null")


def _required_str(record: Mapping[str, Any], field: str, where: str) -> str:
    value = record.get(field)
    if not isinstance(value, str):
        raise ValueError(f"{where}: field {field!r} must be a string")
    return value


def question_from_record(record: Mapping[str, Any], where: str = "record") -> EvalQuestion:
    """Build an :class:`EvalQuestion` from one decoded JSON object; ``ValueError`` names ``where``."""
    return EvalQuestion(
        id=_required_str(record, "id", where),
        question=_required_str(record, "question", where),
        doc=_as_tuple(record.get("doc"), "doc", where),
        locality=_as_tuple(record.get("locality"), "locality", where),
        section=_as_tuple(record.get("section"), "section", where),
        evidence=_as_tuple(record.get("evidence"), "evidence", where),
        answer=_required_str(record, "answer", where),
        must_include=_as_tuple(record.get("must_include"), "must_include", where),
        type=_required_str(record, "type", where),
        style=_required_str(record, "style", where),
    )


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL question file (blank lines skipped), in file order.

    Raises ``ValueError`` naming the file and line for malformed JSON or fields, and
    ``OSError`` when the file cannot be read.
    """
    questions: list[EvalQuestion] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise ValueError(f"{where}: expected a JSON object")
            questions.append(question_from_record(record, where))
    return questions


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
# Running a question set
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


@dataclass(frozen=True)
class GroupStats:
    """Scores of a group of questions; rates are in [0, 1], ``None`` when nothing was scored."""

    name: str
    n: int
    answer_accuracy: float | None
    abstention_accuracy: float | None
    citation_hit_rate: float | None
    recall_at_k: float | None
    ask_p50_ms: float | None
    ask_p95_ms: float | None
    abstained_when_should: tuple[int, int]  # (abstained, should abstain)
    false_abstentions: tuple[int, int]  # (abstained, answerable)
    median_answer_chars: float | None = None  # over answered questions


@dataclass(frozen=True)
class EvalReport:
    """All question results, in question order, and the ``k`` used for recall."""

    results: tuple[QuestionResult, ...]
    k: int = DEFAULT_K

    @property
    def overall(self) -> GroupStats:
        """Scores over every question."""
        return group_stats("overall", self.results)

    @property
    def by_type(self) -> list[GroupStats]:
        """Scores per question type, in order of first appearance."""
        return _grouped(self.results, lambda r: r.question.type)

    @property
    def by_style(self) -> list[GroupStats]:
        """Scores per question style, in order of first appearance."""
        return _grouped(self.results, lambda r: r.question.style)

    @property
    def failures(self) -> list[QuestionResult]:
        """The results with at least one failed check."""
        return [r for r in self.results if r.failed]


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear-interpolated percentile (``fraction`` in [0, 1]) of ``values``; ``None`` if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rate(flags: Iterable[bool | None]) -> float | None:
    scored = [f for f in flags if f is not None]
    return sum(scored) / len(scored) if scored else None


def group_stats(name: str, results: Sequence[QuestionResult]) -> GroupStats:
    """Aggregate ``results`` into one :class:`GroupStats` row."""
    abstain = [r for r in results if r.question.should_abstain]
    answerable = [r for r in results if not r.question.should_abstain]
    walls = [r.ask_wall_ms for r in results]
    return GroupStats(
        name=name,
        n=len(results),
        answer_accuracy=_rate(r.answer_ok for r in results),
        abstention_accuracy=_rate(r.abstention_ok for r in results),
        citation_hit_rate=_rate(r.citation_ok for r in results),
        recall_at_k=_rate(r.recall_ok for r in results),
        ask_p50_ms=percentile(walls, 0.50),
        ask_p95_ms=percentile(walls, 0.95),
        abstained_when_should=(sum(r.status == STATUS_NOT_FOUND for r in abstain), len(abstain)),
        false_abstentions=(sum(r.status == STATUS_NOT_FOUND for r in answerable), len(answerable)),
        median_answer_chars=percentile([len(r.answer) for r in results if r.status == STATUS_ANSWERED], 0.5),
    )


def _grouped(results: Sequence[QuestionResult], key: Callable[[QuestionResult], str]) -> list[GroupStats]:
    groups: dict[str, list[QuestionResult]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return [group_stats(name, members) for name, members in groups.items()]


def _took_ms(response: Mapping[str, Any]) -> float | None:
    took = response.get("took_ms")
    return float(took) if isinstance(took, int | float) and not isinstance(took, bool) else None


def _timed(call: Callable[[], Mapping[str, Any]]) -> tuple[Mapping[str, Any], float, str | None]:
    """Run ``call``; return its response (``{}`` on error), wall ms and the error text."""
    start = time.perf_counter()
    try:
        response, error = call(), None
    except Exception as exc:  # one failing question must not end the run: it is scored as failed
        response, error = {}, f"{type(exc).__name__}: {exc}"
    return response, (time.perf_counter() - start) * 1000.0, error


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


def evaluate(
    questions: Iterable[EvalQuestion],
    ask: AskFn,
    search: SearchFn,
    k: int = DEFAULT_K,
    progress: Callable[[QuestionResult], None] | None = None,
) -> EvalReport:
    """Ask every question through ``ask`` and ``search(question, k)``, judge and time them.

    Calls run one after another (wall times are unloaded latencies). An exception from either
    callable is recorded as a failure of that question, not raised. ``progress`` is called with
    each result as it is judged.
    """
    results: list[QuestionResult] = []
    for q in questions:
        response, ask_wall, ask_error = _timed(partial(ask, q.question))
        found, search_wall, search_error = _timed(partial(search, q.question, k))
        errors = [f"{what} error: {e}" for what, e in (("ask", ask_error), ("search", search_error)) if e]
        result = judge(q, response, found, k)
        result = replace(
            result,
            ask_wall_ms=ask_wall,
            search_wall_ms=search_wall,
            reasons=(*errors, *result.reasons),
            error="; ".join(errors) or None,
        )
        results.append(result)
        if progress is not None:
            progress(result)
    return EvalReport(results=tuple(results), k=k)


# --------------------------------------------------------------------------------------------
# HTTP adapters (duck-typed: no HTTP library is imported here)
# --------------------------------------------------------------------------------------------


class _Response(Protocol):
    def raise_for_status(self) -> Any: ...
    def json(self) -> Any: ...


class HttpClient(Protocol):
    """What :func:`client_callables` needs: ``httpx.Client`` and ``TestClient`` both fit."""

    def post(self, url: str, *, json: Any = ...) -> Any: ...
    def get(self, url: str, *, params: Any = ...) -> Any: ...


def client_callables(client: HttpClient) -> tuple[AskFn, SearchFn]:
    """``ask``/``search`` callables for :func:`evaluate` over the HTTP contract.

    ``ask`` posts ``{"question": q, "locality": null}`` to ``/ask`` (the judged setting: users do
    not name a locality field); ``search`` gets ``/search?q=...&k=...``. Non-2xx responses raise.
    URLs are relative, so ``client`` must carry the base URL.
    """

    def ask(question: str) -> Mapping[str, Any]:
        response: _Response = client.post("/ask", json={"question": question, "locality": None})
        response.raise_for_status()
        return _json_object(response.json())

    def search(question: str, k: int) -> Mapping[str, Any]:
        response: _Response = client.get("/search", params={"q": question, "k": k})
        response.raise_for_status()
        return _json_object(response.json())

    return ask, search


def _json_object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _table(title: str, rows: Sequence[GroupStats], k: int) -> list[str]:
    header = f"{title:<16}{'n':>4}{'answer':>8}{'abstain':>9}{'cite':>7}{f'R@{k}':>7}{'p50 ms':>9}{'p95 ms':>9}"
    lines = [header, "-" * len(header)]
    for s in rows:
        lines.append(
            f"{s.name:<16}{s.n:>4}{_pct(s.answer_accuracy):>8}{_pct(s.abstention_accuracy):>9}"
            f"{_pct(s.citation_hit_rate):>7}{_pct(s.recall_at_k):>7}{_ms(s.ask_p50_ms):>9}{_ms(s.ask_p95_ms):>9}"
        )
    return lines


def format_report(report: EvalReport) -> str:
    """A plain-text report: overall / by type / by style tables, abstentions, failed ids with reasons.

    ``answer``/``abstain``/``cite``/``R@k`` are rates over the scored questions of each row
    (cite and R@k only over questions with evidence); ``p50``/``p95`` are ``/ask`` wall times.
    """
    overall = report.overall
    lines = _table("overall", [overall], report.k)
    lines += ["", *_table("by type", report.by_type, report.k)]
    lines += ["", *_table("by style", report.by_style, report.k)]
    abstained, should = overall.abstained_when_should
    false_abstained, answerable = overall.false_abstentions
    server = percentile([r.ask_took_ms for r in report.results if r.ask_took_ms is not None], 0.5)
    lines += [
        "",
        f"abstained when it should: {abstained}/{should}; false abstentions: {false_abstained}/{answerable}",
        f"/ask server took_ms p50: {_ms(server)}",
        "median answer length (answered, chars): "
        + ", ".join(f"{s.name} {_ms(s.median_answer_chars)}" for s in [overall, *report.by_type]),
        "",
        f"failed: {len(report.failures)}/{len(report.results)}",
    ]
    for r in report.failures:
        lines.append(f"  {r.question.id} [{r.question.type}/{r.question.style}] " + "; ".join(r.reasons))
    return "\n".join(lines)


def _stats_dict(s: GroupStats) -> dict[str, Any]:
    return {
        "name": s.name,
        "n": s.n,
        "answer_accuracy": s.answer_accuracy,
        "abstention_accuracy": s.abstention_accuracy,
        "citation_hit_rate": s.citation_hit_rate,
        "recall_at_k": s.recall_at_k,
        "ask_p50_ms": s.ask_p50_ms,
        "ask_p95_ms": s.ask_p95_ms,
        "abstained_when_should": list(s.abstained_when_should),
        "false_abstentions": list(s.false_abstentions),
        "median_answer_chars": s.median_answer_chars,
    }


def report_as_dict(report: EvalReport) -> dict[str, Any]:
    """The report as JSON-ready data: ``k``, ``overall``, ``by_type``, ``by_style``, ``questions``."""
    return {
        "k": report.k,
        "overall": _stats_dict(report.overall),
        "by_type": [_stats_dict(s) for s in report.by_type],
        "by_style": [_stats_dict(s) for s in report.by_style],
        "questions": [
            {
                "id": r.question.id,
                "type": r.question.type,
                "style": r.question.style,
                "status": r.status,
                "answer": r.answer,
                "answer_ok": r.answer_ok,
                "abstention_ok": r.abstention_ok,
                "citation_ok": r.citation_ok,
                "recall_ok": r.recall_ok,
                "ask_wall_ms": r.ask_wall_ms,
                "ask_took_ms": r.ask_took_ms,
                "search_wall_ms": r.search_wall_ms,
                "search_took_ms": r.search_took_ms,
                "reasons": list(r.reasons),
                "error": r.error,
            }
            for r in report.results
        ],
    }
