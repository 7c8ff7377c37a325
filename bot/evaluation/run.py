"""Running a question set: ask and search every question, judge and time the responses.

Pure logic: no HTTP imports. The callers (``scripts/evaluate.py``, the ``campaign-bot eval``
command) pass ``ask``/``search`` callables; :func:`client_callables` builds them from any client
with httpx-style ``post``/``get`` methods (``httpx.Client``, ``fastapi.testclient.TestClient``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any, Protocol

from bot.evaluation.gold import EvalQuestion
from bot.evaluation.judge import DEFAULT_K, QuestionResult, judge
from bot.evaluation.report import EvalReport

AskFn = Callable[[str], Mapping[str, Any]]
SearchFn = Callable[[str, int], Mapping[str, Any]]


def _timed(call: Callable[[], Mapping[str, Any]]) -> tuple[Mapping[str, Any], float, str | None]:
    """Run ``call``; return its response (``{}`` on error), wall ms and the error text."""
    start = time.perf_counter()
    try:
        response, error = call(), None
    except Exception as exc:  # one failing question must not end the run: it is scored as failed
        response, error = {}, f"{type(exc).__name__}: {exc}"
    return response, (time.perf_counter() - start) * 1000.0, error


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
