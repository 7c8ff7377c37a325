"""The ask page: ``GET /?q=...&dia_ban=...`` answers on the server, and its 👍/👎 votes (``POST /phan-hoi``).

The page asks the same engine as ``POST /ask`` (``holder.get().ask(question, locality=...)``), so a
question gets the same answer on the page and through the API. It is a plain GET form: it works
without JavaScript, and an answer can be linked and bookmarked. The answer is shown first (its line
breaks kept, each ``[n]`` a link to its citation), then the numbered citations, each linking to its
document's page at the cited section with the quote highlighted (:func:`bot.web.links.document_url`).

Errors are pages, never tracebacks: an unusable question (too long, not valid UTF-8, a lone
surrogate) is a 422 page with the message beside the question box; no index is a 503 page.

Votes are stored with the Telegram bot's, in the same :class:`~bot.records.feedback.FeedbackRecords`:
``chat_id`` is :data:`WEB_CHAT_ID` (0: no Telegram chat has that id), ``user_id`` is derived from a
random per-browser cookie (:data:`VISITOR_COOKIE`, nothing personal in it), and ``answer_key`` from the
snapshot, the question and the locality. The vote form carries the question, not the answer: the
answer stored is asked again on the same snapshot (the engine is deterministic), and a vote on a page
of an older snapshot is not recorded (as in Telegram, "the answer is old"). The form is protected
against cross-site requests by its ``Origin`` (else ``Referer``) header, which must name this host.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.answering.answer import Answer, AnswerStatus, Citation, doc_label, pages_label
from bot.answering.service import ServiceHolder, SnapshotService
from bot.config import Settings
from bot.errors import CampaignBotError, QueryError, SnapshotError
from bot.http.observe import note
from bot.models import DocumentMeta
from bot.records.feedback import Feedback, FeedbackRecords
from bot.telegram.format import readable_quote, shorten
from bot.web.links import document_url
from bot.web.templating import render

log = logging.getLogger(__name__)

FEEDBACK_PATH = "/phan-hoi"
WEB_CHAT_ID = 0  # the "chat" of every web vote: Telegram never gives a chat the id 0
VISITOR_COOKIE = "nguoi_hoi"
VISITOR_COOKIE_AGE = 365 * 24 * 3600  # seconds: a browser keeps its visitor id for a year
_VISITOR_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_LOCALITY_CHARS = 200  # as /responsibilities and /targets allow
TITLE_CHARS = 80  # of the question, in the page title (browser tab, bookmark)
_REFERENCE = re.compile(r"\[(\d+)\]")

# ``phan_hoi`` of the page a vote redirects to: the notice shown above the answer
NOTICES = {
    "cam-on": "Cảm ơn bạn đã góp ý!",
    "cu": "Dữ liệu vừa được cập nhật nên góp ý trước chưa được ghi nhận; câu trả lời dưới đây là theo dữ liệu mới.",
}
INVALID_TEXT = "Câu hỏi chứa ký tự không hợp lệ (không phải văn bản UTF-8): hãy gõ lại câu hỏi."
LOCALITY_TOO_LONG = f"Tên địa bàn quá dài; tối đa {MAX_LOCALITY_CHARS} ký tự."
CROSS_SITE = "Góp ý này không được gửi từ trang hỏi đáp nên không được ghi nhận."
UNAVAILABLE = (
    "Hệ thống tạm thời chưa trả lời được: dữ liệu các kế hoạch đang được cập nhật. Vui lòng thử lại sau ít phút."
)
BAD_VOTE = "Góp ý không hợp lệ: hãy bấm 👍 hoặc 👎 dưới câu trả lời."


@dataclass(frozen=True)
class CitationView:
    """One numbered citation as the page shows it; ``url`` opens its document at the quote."""

    number: int
    label: str  # "Kế hoạch số 78/KH-UBND (phường Kinh Môn)"
    title: str
    locality: str
    section: str  # "V. TỔ CHỨC THỰC HIỆN › 1. Phân công ..."
    pages: str  # "trang 3-4" or ""
    quote: str  # the verbatim quote, its page-layout line breaks joined
    url: str


@dataclass(frozen=True)
class Piece:
    """A run of answer text, or (``ref`` > 0) a citation marker ``[ref]`` linking to that citation."""

    text: str
    ref: int = 0


@dataclass(frozen=True)
class AnswerView:
    """An answer as the page shows it: its lines (as pieces), citations, choices and vote key."""

    answered: bool
    lines: tuple[tuple[Piece, ...], ...]
    citations: tuple[CitationView, ...]
    choices: tuple[tuple[str, str], ...]  # (locality, the URL asking the same question there)
    snapshot: str


def answer_key(snapshot: str, question: str, locality: str | None) -> str:
    """The key of an answer among the votes: the web's chat id, then a digest of what makes the
    answer (the snapshot, the stripped question, the locality); the same for every visitor."""
    made_of = "\n".join((snapshot, question.strip(), locality or ""))
    return f"{WEB_CHAT_ID}:{hashlib.sha256(made_of.encode('utf-8')).hexdigest()[:20]}"


def visitor_user_id(token: str) -> int:
    """The vote's ``user_id`` for the visitor cookie ``token``: 56 bits of its digest (fits BIGINT)."""
    return int.from_bytes(hashlib.sha256(token.encode("ascii")).digest()[:7], "big")


def ask_url(question: str, locality: str | None = None, **extra: str) -> str:
    """The page answering ``question`` (in ``locality`` when given)."""
    params = {"q": question, **({"dia_ban": locality} if locality else {}), **extra}
    return "/?" + urlencode(params)


def answer_lines(text: str, citations: int) -> tuple[tuple[Piece, ...], ...]:
    """``text`` cut into its lines, each into pieces: plain text and the markers ``[n]`` of the
    ``citations`` there are (a marker of no citation stays text)."""
    lines = []
    for line in text.split("\n"):
        pieces: list[Piece] = []
        at = 0
        for match in _REFERENCE.finditer(line):
            number = int(match.group(1))
            if not 1 <= number <= citations:
                continue
            if match.start() > at:
                pieces.append(Piece(line[at : match.start()]))
            pieces.append(Piece(match.group(0), number))
            at = match.end()
        if at < len(line):
            pieces.append(Piece(line[at:]))
        lines.append(tuple(pieces))
    return tuple(lines)


def citation_view(number: int, citation: Citation, documents: Mapping[str, DocumentMeta]) -> CitationView:
    """Citation ``number`` of an answer, its plan named as answers name it (:func:`doc_label`)."""
    meta = documents.get(citation.doc_id)
    return CitationView(
        number=number,
        label=doc_label(meta) if meta is not None else citation.title,
        title=citation.title,
        locality=citation.locality,
        section=citation.section.replace(" > ", " › "),
        pages=pages_label(citation.pages),
        quote=readable_quote(citation.quote),
        url=document_url(citation.doc_id, citation.section, citation.quote),
    )


def answer_view(answer: Answer, question: str, service: SnapshotService) -> AnswerView:
    """What the page shows of ``answer`` to ``question`` from ``service``'s snapshot."""
    documents = service.documents_by_id()
    return AnswerView(
        answered=answer.status == AnswerStatus.ANSWERED,
        lines=answer_lines(answer.answer, len(answer.citations)),
        citations=tuple(citation_view(n, c, documents) for n, c in enumerate(answer.citations, start=1)),
        choices=tuple((place, ask_url(question, place)) for place in answer.choices),
        snapshot=service.snapshot_id,
    )


def parse_form(raw: bytes) -> dict[str, str]:
    """The fields of a query string or urlencoded body (the first value of each, blanks kept);
    ``QueryError`` when it is not UTF-8 (a browser never sends that; a lone surrogate cannot be)."""
    try:
        text = raw.decode("utf-8")  # a client may send UTF-8 unescaped
        fields = parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise QueryError(INVALID_TEXT) from exc
    return {name: values[0] for name, values in fields.items()}


def same_origin(request: Request) -> bool:
    """Whether the request comes from a page of this site: its ``Origin`` header (else its
    ``Referer``, which the pages' Referrer-Policy sends within the site) names the host asked.

    The scheme is not compared: behind a TLS proxy the app sees http while the browser says https."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    host = request.headers.get("host", "")
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()


def ask_router(holder: ServiceHolder, settings: Settings, feedback: FeedbackRecords | None) -> APIRouter:
    """The ask page of ``holder``'s current snapshot with the question limit of ``settings``; its
    vote buttons store into ``feedback`` (no buttons when it is ``None``)."""
    router = APIRouter(include_in_schema=False)
    limit = settings.max_question_chars

    def page(request: Request, context: Mapping[str, object], status: int = 200, **extra: object) -> HTMLResponse:
        values = {"title": "Hỏi đáp", "nav": "ask", "limit": limit, "q": "", "dia_ban": "", "localities": ()}
        values.update(context, **extra)
        if values.get("answer") is not None and values["q"]:
            values["title"] = f"{shorten(str(values['q']), TITLE_CHARS)} · Hỏi đáp"
        return render(request, "ask.html", values, status_code=status)

    @router.get("/", response_class=HTMLResponse)
    def ask_page(request: Request) -> HTMLResponse:
        try:
            fields, unreadable = parse_form(request.scope.get("query_string", b"")), None
        except QueryError as exc:
            fields, unreadable = {}, str(exc)
        question, locality = fields.get("q", ""), fields.get("dia_ban", "").strip()
        context: dict[str, object] = {
            "q": question,
            "dia_ban": locality,
            "notice": NOTICES.get(fields.get("phan_hoi", "")),
        }
        try:
            service = holder.get()
        except SnapshotError as exc:
            log.error("ask page: index unavailable: %s", exc)  # the page does not show paths to the public
            return _refusal(request, 503, "Chưa sẵn sàng", UNAVAILABLE)
        context["localities"] = _with(service.localities(), locality)
        if unreadable is not None:
            return page(request, context, 422, error=unreadable)
        if not question.strip():
            return page(request, context)
        if len(locality) > MAX_LOCALITY_CHARS:
            return page(request, context, 422, error=LOCALITY_TOO_LONG)
        try:
            answer = service.ask(question, locality=locality or None)
        except QueryError as exc:
            return page(request, context, 422, error=str(exc))
        except CampaignBotError as exc:
            return page(request, context, 400, error=str(exc))
        note(snapshot=service.snapshot_id, answer_status=answer.status, question=question)
        return page(request, context, answer=answer_view(answer, question, service), voting=feedback is not None)

    if feedback is not None:
        store = feedback

        @router.post(FEEDBACK_PATH)
        async def vote(request: Request) -> Response:
            if not same_origin(request):
                return _refusal(request, 403, "Không ghi nhận góp ý", CROSS_SITE)
            try:
                fields = parse_form(await request.body())
            except QueryError as exc:
                return _refusal(request, 422, "Góp ý không hợp lệ", str(exc))
            question, locality = fields.get("q", ""), fields.get("dia_ban", "").strip() or None
            if fields.get("vote") not in ("1", "-1") or not question.strip():
                return _refusal(request, 400, "Góp ý không hợp lệ", BAD_VOTE)
            token = request.cookies.get(VISITOR_COOKIE, "")
            if not _VISITOR_TOKEN.fullmatch(token):
                token = secrets.token_urlsafe(18)
            try:
                recorded = await run_in_threadpool(
                    _record, holder, store, question, locality, int(fields["vote"]), fields.get("snapshot", ""), token
                )
            except SnapshotError as exc:
                log.error("vote: index unavailable: %s", exc)
                return _refusal(request, 503, "Chưa sẵn sàng", UNAVAILABLE)
            except CampaignBotError as exc:  # the question is refused as on the page (too long...)
                return _refusal(request, 422, "Góp ý không hợp lệ", str(exc))
            target = ask_url(question, locality, phan_hoi="cam-on" if recorded else "cu")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(
                VISITOR_COOKIE,
                token,
                max_age=VISITOR_COOKIE_AGE,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
            return response

    return router


def _with(localities: Sequence[str], chosen: str) -> tuple[str, ...]:
    """The picker's localities, with the chosen one added when no plan has it (so it shows selected)."""
    return (*localities, chosen) if chosen and chosen not in localities else tuple(localities)


def _refusal(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", {"title": title, "message": message}, status_code=status)


def _record(
    holder: ServiceHolder,
    store: FeedbackRecords,
    question: str,
    locality: str | None,
    vote: int,
    snapshot: str,
    token: str,
) -> bool:
    """Store the vote on the answer to ``question`` as ``snapshot`` gave it; False (nothing stored)
    when another snapshot is served now (the voter saw an answer that may have changed)."""
    service = holder.get()
    if snapshot != service.snapshot_id:
        return False
    answer = service.ask(question, locality=locality)
    store.record(
        Feedback(
            answer_key=answer_key(service.snapshot_id, question, locality),
            chat_id=WEB_CHAT_ID,
            user_id=visitor_user_id(token),
            vote=vote,
            question=question.strip(),
            answer=answer.answer,
            status=str(answer.status),
            locality=locality,
            snapshot=service.snapshot_id,
        )
    )
    return True
