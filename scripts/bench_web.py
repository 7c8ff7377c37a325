"""Web ask page benchmark: the weight of the first paint of ``/``, and ``/?q=`` against ``POST /ask``.

Usage::

    python scripts/bench_web.py [QUESTIONS.jsonl] [--index DIR] [--repeat 3]

In-process (FastAPI's TestClient on the app ``campaign-bot serve`` builds: the API and the pages, a
vote store in a temporary folder), on a real index with the real embedding model, the per-client
rate limit and the in-flight bound off (one local client asks as fast as it can). Prints:

1. the bytes transferred for the first paint of ``/``: the HTML and every stylesheet and script it
   links, each with its response headers, uncompressed (no compression is configured), and gzip
   sizes for reference; the budget is 100 KB;
2. for every question of the file: the wall time of ``GET /?q=`` (answer rendered as a page) and of
   ``POST /ask`` (answer as JSON), the median of ``--repeat`` runs each, after one untimed warm-up
   pass; the order of the two alternates between questions; then p50/p95/mean of both series and of
   the per-question difference (page − API: the rendering and the bigger body).

Numbers only; no assertions.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
# Run from a checkout without installing the package: make `bot` importable from the repo root.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from httpx import Response  # noqa: E402

from bot.cli import wiring  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.evaluation.gold import load_questions  # noqa: E402
from bot.evaluation.report import percentile  # noqa: E402
from bot.http.app import create_app  # noqa: E402
from bot.records.feedback import FeedbackStore  # noqa: E402
from bot.web.site import web_router  # noqa: E402

# the lead's checkout is /work/main, beside ../shared; a worktree sits one level deeper
QUESTION_FILES = (ROOT.parent / "shared" / "eval" / "dev.jsonl", Path("/work/shared/eval/dev.jsonl"))
FIRST_PAINT_BUDGET = 100 * 1024


class _Assets(HTMLParser):
    """The stylesheets and scripts a page links (what a browser fetches before its first paint)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "").lower() == "stylesheet" and a.get("href"):
            self.urls.append(str(a["href"]))
        if tag == "script" and a.get("src"):
            self.urls.append(str(a["src"]))


def wire_bytes(response: Response) -> int:
    """Bytes of ``response`` on the wire over HTTP/1.1: status line, headers and body."""
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in response.headers.items()) + "\r\n"
    return len(head.encode("latin-1")) + len(response.content)


def first_paint(client: TestClient, path: str = "/") -> None:
    """Print the bytes of ``path`` and of the assets it links."""
    page = client.get(path)
    page.raise_for_status()
    assets = _Assets()
    assets.feed(page.text)
    rows = [(path if len(path) < 40 else path[:37] + "...", page)]
    rows += [(url, client.get(url)) for url in assets.urls]
    print(f"{'resource':<42}{'status':>7}{'body B':>9}{'wire B':>9}{'gzip B':>9}")
    total = total_gzip = 0
    for name, response in rows:
        size, packed = wire_bytes(response), len(gzip.compress(response.content))
        total += size
        total_gzip += packed + size - len(response.content)
        print(f"{name:<42}{response.status_code:>7}{len(response.content):>9}{size:>9}{packed:>9}")
    verdict = "under" if total < FIRST_PAINT_BUDGET else "OVER"
    print(f"{'total':<42}{'':>7}{'':>9}{total:>9}{total_gzip:>9}")
    print(f"first paint of {path[:40]}: {total} B ({total / 1024:.1f} KB), {verdict} the 100 KB budget")


def timed(send: Callable[[], Response]) -> float:
    """Wall milliseconds of one request; raises on a non-2xx status."""
    start = time.perf_counter()
    response = send()
    elapsed = (time.perf_counter() - start) * 1000.0
    response.raise_for_status()
    return elapsed


def stats(name: str, values: Sequence[float]) -> str:
    p50, p95 = percentile(values, 0.5) or 0.0, percentile(values, 0.95) or 0.0
    return f"{name:<26}{p50:>10.1f}{p95:>10.1f}{statistics.fmean(values):>10.1f}"


def compare(client: TestClient, questions: Sequence[tuple[str, str]], repeat: int) -> None:
    """Print the page and API times per question and their summary."""

    def page(q: str) -> float:
        return timed(lambda: client.get("/", params={"q": q}))

    def api(q: str) -> float:
        return timed(lambda: client.post("/ask", json={"question": q}))

    for _, question in questions:  # warm-up: caches, lazy imports, the first template compile
        page(question)
        api(question)
    pages, apis = [], []
    print(f"\n{'id':<8}{'/?q= ms':>10}{'/ask ms':>10}{'diff ms':>10}  question")
    for number, (qid, question) in enumerate(questions):
        runs: dict[str, list[float]] = {"page": [], "api": []}
        for _ in range(repeat):
            order = (("page", page), ("api", api)) if number % 2 == 0 else (("api", api), ("page", page))
            for name, run in order:
                runs[name].append(run(question))
        p, a = statistics.median(runs["page"]), statistics.median(runs["api"])
        pages.append(p)
        apis.append(a)
        print(f"{qid:<8}{p:>10.1f}{a:>10.1f}{p - a:>+10.1f}  {question[:60]}")
    print(f"\n{'':<26}{'p50':>10}{'p95':>10}{'mean':>10}   ({len(questions)} questions, median of {repeat} runs)")
    print(stats("GET /?q= (page)", pages))
    print(stats("POST /ask (JSON)", apis))
    print(stats("page - API, per question", [p - a for p, a in zip(pages, apis, strict=True)]))
    p50_page, p50_api = percentile(pages, 0.5) or 0.0, percentile(apis, 0.5) or 0.0
    relative = (p50_page / p50_api - 1) * 100 if p50_api else 0.0
    print(f"difference of the p50s: {p50_page - p50_api:+.1f} ms ({relative:+.1f} %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = next((p for p in QUESTION_FILES if p.exists()), QUESTION_FILES[0])
    parser.add_argument("questions", nargs="?", type=Path, default=default, help=f"JSONL questions ({default})")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: the settings' index)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per question and endpoint")
    args = parser.parse_args()

    settings = Settings().model_copy(update={"rate_limit": 0, "max_in_flight": 0})
    if args.index is not None:
        settings = settings.model_copy(update={"index_dir": args.index})
    questions = [(q.id, q.question) for q in load_questions(args.questions)]
    holder = wiring.service_holder(settings, wiring.load_embedder(settings))
    holder.get()  # load the snapshot (and warm the model) before anything is measured
    with tempfile.TemporaryDirectory() as votes:
        pages = web_router(holder, settings, feedback=FeedbackStore(Path(votes) / "feedback.sqlite3"))
        client = TestClient(create_app(holder, settings, routers=[pages]))
        print(f"snapshot {holder.snapshot_id} of {settings.index_dir}\n")
        first_paint(client, "/")
        print()
        first_paint(client, "/?" + urlencode({"q": questions[0][1]}))  # an answer page, for reference
        compare(client, questions, max(1, args.repeat))


if __name__ == "__main__":
    main()
