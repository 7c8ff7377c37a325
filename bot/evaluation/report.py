"""Scores of a judged question set: per-group statistics, the plain-text tables and the JSON form."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.evaluation.judge import DEFAULT_K, STATUS_ANSWERED, STATUS_NOT_FOUND, QuestionResult


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
