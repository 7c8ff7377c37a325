"""Score the system on a question set (default ``../shared/eval/dev.jsonl``) and print the report.

Usage::

    python scripts/evaluate.py [QUESTIONS.jsonl] [--url http://127.0.0.1:8000 | --index DIR] [--json]

With ``--url`` it talks HTTP to a running server; otherwise it builds the app in-process from the
index folder (default ``index/``) and drives it through FastAPI's ``TestClient``. The judging is
:mod:`bot.evaluation`'s; this script only wires a client to it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package: make `bot` importable from the repo root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.evaluation.gold import load_questions  # noqa: E402
from bot.evaluation.report import format_report, report_as_dict  # noqa: E402
from bot.evaluation.run import HttpClient, client_callables, evaluate  # noqa: E402

DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@contextmanager
def http_client(url: str) -> Iterator[HttpClient]:
    """An httpx client for a running server at ``url``."""
    import httpx  # lazy: the in-process path does not need it directly

    with httpx.Client(base_url=url, timeout=60.0) as client:
        yield client


@contextmanager
def in_process_client(index_dir: Path) -> Iterator[HttpClient]:
    """A TestClient over the app built in-process from ``index_dir`` (startup/shutdown run).

    Mirrors what ``campaign-bot serve`` wires: settings → embedder → ServiceHolder → create_app.
    """
    from fastapi.testclient import TestClient  # lazy: heavy imports only when used

    from bot.cli import wiring
    from bot.config import Settings
    from bot.http.app import create_app

    settings = Settings(index_dir=index_dir)
    holder = wiring.service_holder(settings, wiring.load_embedder(settings))
    with TestClient(create_app(holder, settings)) as client:
        yield client


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", type=Path, default=DEFAULT_QUESTIONS, help="JSONL question file")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8000")
    target.add_argument("--index", type=Path, default=ROOT / "index", help="index folder for the in-process app")
    parser.add_argument("--k", type=int, default=5, help="k for recall@k of /search (default 5)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    questions = load_questions(args.questions)
    client_cm = http_client(args.url) if args.url else in_process_client(args.index)
    with client_cm as client:
        ask, search = client_callables(client)
        report = evaluate(questions, ask, search, k=args.k)
    if args.json:
        print(json.dumps(report_as_dict(report), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
