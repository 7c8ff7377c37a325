"""Telegram adapter (python-telegram-bot): commands, questions, locality choice, feedback, follow-ups.

The bot answers from the same :class:`~bot.service.ServiceHolder` as the API. Answers are computed in
a worker thread so the event loop (shared with uvicorn under ``campaign-bot serve``) keeps serving.
Every message is sent in HTML parse mode; all text from plans and users is escaped
(:mod:`bot.telegram_format`). Per-chat context lives in python-telegram-bot's ``chat_data``:

* ``locality``: the locality chosen with /diaban (the default filter of questions), also kept in
  SQLite (:mod:`bot.chat_settings`) so a restart keeps it;
* ``last``: the last :class:`Turn` (question as asked, answer, locality), for /nguon and follow-ups;
* ``answers``: recent turns by key, for the 👍/👎 buttons.

Robustness: Telegram's flood limits (HTTP 429) are waited out and retried by :class:`FloodRetry`;
network errors are retried a bounded number of times by :class:`RetryingRequest`; any handler error
is logged and answered with a short apology, and the bot keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import weakref
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, MessageEntityType, ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.answering.engine import Answer, AnswerService
from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.errors import CampaignBotError, QueryError, SnapshotError
from bot.models import DocumentMeta
from bot.query.followup import follow_up_place, replace_place
from bot.records.feedback import Feedback, FeedbackStore
from bot.records.localities import ChatSettings
from bot.records.rate_limit import RateLimiter
from bot.telegram.format import (
    escape,
    format_answer,
    format_plans,
    format_responsibilities,
    format_sources,
    format_targets,
    split_html,
)
from bot.telegram.net import FloodRetry, RetryingRequest

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
ALLOWED_UPDATES = ("message", "callback_query")
DEFAULT_API_URL = "https://api.telegram.org/bot"
MAX_REMEMBERED_ANSWERS = 30  # per chat, for late 👍/👎 presses

COMMANDS = (
    ("start", "Bắt đầu và xem câu hỏi mẫu"),
    ("help", "Hướng dẫn sử dụng"),
    ("kehoach", "Danh sách kế hoạch"),
    ("diaban", "Chọn địa bàn để tra cứu"),
    ("trachnhiem", "Nhiệm vụ của một đơn vị, ví dụ: /trachnhiem Phòng Văn hóa"),
    ("chitieu", "Chỉ tiêu của kế hoạch"),
    ("nguon", "Nguồn đầy đủ của câu trả lời gần nhất"),
)

APOLOGY = "Xin lỗi, mình gặp trục trặc khi xử lý yêu cầu này. Bạn vui lòng thử lại sau ít phút nhé."
NO_INDEX = "Xin lỗi, dữ liệu kế hoạch đang được cập nhật nên mình chưa trả lời được. Bạn thử lại sau ít phút nhé."
NOT_TEXT = (
    "Mình chỉ đọc được câu hỏi bằng chữ thôi 🙂 Bạn hãy gõ câu hỏi, ví dụ: "
    "“Ai chủ trì công tác tuyên truyền?” hoặc gõ /help để xem hướng dẫn."
)
ASK_HINT = "Bạn hãy hỏi ngắn gọn một ý, ví dụ: “Chỉ tiêu gia đình văn hóa là bao nhiêu?”"


@dataclass(frozen=True)
class TelegramOptions:
    """What the bot needs from the settings."""

    token: str
    api_url: str = DEFAULT_API_URL
    admins: frozenset[int] = frozenset()
    rate_limit: int = 10  # questions per user per minute
    feedback_path: Path = Path("index/feedback.sqlite3")
    webhook_url: str | None = None
    webhook_secret: str | None = None
    network_retries: int = 2
    concurrent_updates: int = 8  # updates handled at once (1: strictly in order)
    retry_backoff: float = 0.5  # seconds, doubled at each retry

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramOptions:
        """Options from ``settings``; ``CampaignBotError`` when no token is set."""
        if not settings.telegram_bot_token:
            raise CampaignBotError("Chưa có TELEGRAM_BOT_TOKEN: tạo bot với @BotFather rồi đặt biến môi trường này.")
        return cls(
            token=settings.telegram_bot_token,
            api_url=settings.telegram_api_url,
            admins=frozenset(settings.telegram_admins),
            rate_limit=settings.telegram_rate_limit,
            feedback_path=settings.feedback_path,
            webhook_url=settings.telegram_webhook_url or None,
            webhook_secret=settings.telegram_webhook_secret or None,
        )

    @property
    def file_url(self) -> str:
        """The file download base in the same form ("…/bot" → "…/file/bot")."""
        base = self.api_url.rstrip("/")
        return f"{base[: -len('/bot')]}/file/bot" if base.endswith("/bot") else f"{base}/file"


@dataclass(frozen=True)
class Turn:
    """A question as the bot asked it and what it answered."""

    question: str
    answer: Answer
    locality: str | None
    snapshot: str


# --- the bot ---------------------------------------------------------------------------------------


class CampaignTelegramBot:
    """Handlers of the bot, on one ServiceHolder, a feedback store and a per-user rate limit."""

    def __init__(self, holder: ServiceHolder, options: TelegramOptions) -> None:
        self.holder = holder
        self.options = options
        self.feedback = FeedbackStore(options.feedback_path)
        self.chat_settings = ChatSettings(options.feedback_path)
        self.limiter = RateLimiter(options.rate_limit, 60.0)
        # One question at a time per chat, so a follow-up sees the answer before it; a lock lives
        # only while some handler of its chat holds it.
        self._chat_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    # --- wiring --------------------------------------------------------------------------------

    def build(self, *, updater: bool = True) -> Application:
        """The Application with every handler; ``updater=False`` for webhook mode (updates are put on
        its queue by the web server)."""
        options = self.options
        builder = (
            ApplicationBuilder()
            .token(options.token)
            .base_url(options.api_url)
            .base_file_url(options.file_url)
            .request(
                RetryingRequest(
                    retries=options.network_retries,
                    backoff=options.retry_backoff,
                    connection_pool_size=16,
                    connect_timeout=10.0,
                    read_timeout=20.0,
                    write_timeout=20.0,
                    pool_timeout=5.0,
                )
            )
            .get_updates_request(HTTPXRequest(connect_timeout=10.0, read_timeout=40.0, pool_timeout=5.0))
            .rate_limiter(FloodRetry())
            .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
            .concurrent_updates(options.concurrent_updates)
            .post_init(self.setup)
        )
        if not updater:
            builder = builder.updater(None)
        application = builder.build()
        application.add_handler(CommandHandler("start", self.start))
        application.add_handler(CommandHandler("help", self.help))
        application.add_handler(CommandHandler("kehoach", self.plans))
        application.add_handler(CommandHandler("diaban", self.choose_locality))
        application.add_handler(CommandHandler("trachnhiem", self.responsibilities))
        application.add_handler(CommandHandler("chitieu", self.targets))
        application.add_handler(CommandHandler("nguon", self.sources))
        application.add_handler(CommandHandler("reload", self.reload))
        application.add_handler(CallbackQueryHandler(self.on_locality, pattern=r"^loc:"))
        application.add_handler(CallbackQueryHandler(self.on_feedback, pattern=r"^fb:"))
        application.add_handler(CallbackQueryHandler(self.on_example, pattern=r"^ask:"))
        application.add_handler(CallbackQueryHandler(self.on_unknown_button))
        new_messages = filters.UpdateType.MESSAGE
        application.add_handler(MessageHandler(new_messages & filters.COMMAND, self.on_unknown_command))
        application.add_handler(MessageHandler(new_messages & filters.TEXT, self.on_text))
        media = (
            filters.Sticker.ALL
            | filters.PHOTO
            | filters.VOICE
            | filters.AUDIO
            | filters.VIDEO
            | filters.VIDEO_NOTE
            | filters.ANIMATION
            | filters.Document.ALL
            | filters.LOCATION
            | filters.CONTACT
        )
        application.add_handler(MessageHandler(new_messages & media, self.on_not_text))
        application.add_error_handler(self.on_error)
        return application

    async def setup(self, application: Application) -> None:
        """Register the command menu (setMyCommands)."""
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])

    # --- helpers -------------------------------------------------------------------------------

    async def _service(self) -> AnswerService:
        return await asyncio.to_thread(self.holder.get)

    @staticmethod
    def _chat_data(context: Context) -> dict[str, Any]:
        data = context.chat_data
        return data if data is not None else {}

    @staticmethod
    def _in_group(update: Update) -> bool:
        chat = update.effective_chat
        return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)

    async def _send(
        self,
        update: Update,
        context: Context,
        text: str,
        *,
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> Message | None:
        """Send HTML ``text`` to the update's chat in as many messages as it needs, ``keyboard`` on
        the last; in groups the first part replies to the user's message."""
        chat = update.effective_chat
        if chat is None:
            return None
        parts = split_html(text) or ["…"]
        origin = update.message if self._in_group(update) else None
        sent: Message | None = None
        for number, part in enumerate(parts):
            reply = (
                ReplyParameters(message_id=origin.message_id, allow_sending_without_reply=True)
                if origin is not None and number == 0
                else None
            )
            sent = await context.bot.send_message(
                chat.id,
                part,
                reply_markup=keyboard if number == len(parts) - 1 else None,
                reply_parameters=reply,
            )
        return sent

    def _addressed(self, message: Message, context: Context) -> bool:
        """In a group: does ``message`` mention the bot or reply to one of its messages?"""
        bot = context.bot
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        mention = f"@{bot.username}".lower()
        entities = message.parse_entities() if message.text else message.parse_caption_entities()
        for entity, text in entities.items():
            if entity.type == MessageEntityType.MENTION and text.lower() == mention:
                return True
            if entity.type == MessageEntityType.TEXT_MENTION and entity.user is not None and entity.user.id == bot.id:
                return True
        return False

    def _strip_mention(self, text: str, context: Context) -> str:
        return re.sub(rf"@{re.escape(context.bot.username)}\b", " ", text, flags=re.IGNORECASE).strip()

    @staticmethod
    def _localities(documents: Sequence[DocumentMeta]) -> list[str]:
        return sorted({d.locality for d in documents if d.locality})

    @staticmethod
    def _examples(documents: Sequence[DocumentMeta]) -> list[str]:
        """Three example questions; the first names a locality of the plans."""
        place = next((d.locality for d in documents if d.locality), None)
        first = f"Ai chủ trì công tác tuyên truyền ở {place}?" if place else "Ai chủ trì công tác tuyên truyền?"
        return [first, "Chỉ tiêu gia đình văn hóa là bao nhiêu?", "Kinh phí thực hiện lấy từ nguồn nào?"]

    # --- commands ------------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        """Greeting, what the bot answers, three example questions as buttons."""
        service = await self._service()
        documents = service.retriever.snapshot.documents
        places = ", ".join(self._localities(documents)) or "chưa có"
        text = (
            "Xin chào! 👋 Mình là trợ lý hỏi đáp về các kế hoạch thực hiện Phong trào "
            "<b>“Toàn dân đoàn kết xây dựng đời sống văn hóa”</b>.\n\n"
            "Bạn cứ hỏi bằng tiếng Việt, có dấu hay không dấu đều được: ai chủ trì, ai phối hợp, chỉ tiêu, "
            "thời hạn, kinh phí… Mình trả lời đúng lời văn của kế hoạch, kèm nguồn trích dẫn.\n\n"
            f"Địa bàn đang có: {escape(places)}.\n\nThử một câu hỏi mẫu:"
        )
        buttons = [[InlineKeyboardButton(q, callback_data=f"ask:{i}")] for i, q in enumerate(self._examples(documents))]
        await self._send(update, context, text, keyboard=InlineKeyboardMarkup(buttons))

    async def help(self, update: Update, context: Context) -> None:
        """How to use the bot."""
        lines = ["<b>Cách dùng</b>", "Gõ câu hỏi của bạn, ví dụ: <i>ai phu trach tuyen truyen o kinh mon</i>.", ""]
        lines += [f"/{name} — {escape(text)}" for name, text in COMMANDS]
        lines += [
            "",
            "Hỏi tiếp theo ngữ cảnh: <i>còn ở Cao Lộc thì sao?</i>",
            "Trong nhóm, hãy nhắc tên mình (@) hoặc trả lời tin nhắn của mình.",
        ]
        await self._send(update, context, "\n".join(lines))

    async def plans(self, update: Update, context: Context) -> None:
        """The plans: number, date, locality."""
        service = await self._service()
        await self._send(update, context, format_plans(service.retriever.snapshot.documents))

    async def choose_locality(self, update: Update, context: Context) -> None:
        """/diaban: pick a locality with buttons (or ``/diaban <tên>``); a button clears the choice."""
        service = await self._service()
        if context.args:
            wanted = " ".join(context.args)
            found = self._locality_named(service, wanted)
            if found is None:
                await self._send(update, context, f"Chưa có kế hoạch nào của “{escape(wanted)}”. Gõ /diaban để chọn.")
                return
            await self._choose(update, context, found)
            await self._send(update, context, _chosen_text(found))
            return
        localities = self._localities(service.retriever.snapshot.documents)
        buttons = [[InlineKeyboardButton(name, callback_data=f"loc:{i}")] for i, name in enumerate(localities)]
        buttons.append([InlineKeyboardButton("❌ Bỏ chọn địa bàn", callback_data="loc:clear")])
        current = await self._chosen(update, context)
        head = f"Địa bàn đang chọn: <b>{escape(current)}</b>." if current else "Bạn chưa chọn địa bàn nào."
        await self._send(update, context, f"{head}\nChọn địa bàn để tra cứu:", keyboard=InlineKeyboardMarkup(buttons))

    async def _chosen(self, update: Update, context: Context) -> str | None:
        """The chat's chosen locality: from chat_data, else from the settings store (after a restart)."""
        data = self._chat_data(context)
        chat = update.effective_chat
        if "locality" not in data and chat is not None:
            data["locality"] = await asyncio.to_thread(self.chat_settings.locality, chat.id)
        return data.get("locality")

    async def _choose(self, update: Update, context: Context, locality: str | None) -> None:
        """Remember ``locality`` (``None``: forget it) for the chat, in chat_data and the store."""
        self._chat_data(context)["locality"] = locality
        if update.effective_chat is not None:
            await asyncio.to_thread(self.chat_settings.set_locality, update.effective_chat.id, locality)

    @staticmethod
    def _locality_named(service: AnswerService, text: str) -> str | None:
        """The locality of the plans named in ``text`` (first in plan order), if any."""
        named = service.retriever.documents_for_locality(text)
        documents = service.retriever.snapshot.documents
        return next((d.locality for d in documents if d.doc_id in named and d.locality), None)

    async def responsibilities(self, update: Update, context: Context) -> None:
        """/trachnhiem <đơn vị>: the unit's tasks (in the chosen locality, if any)."""
        if not context.args:
            example = "<code>/trachnhiem Phòng Văn hóa</code>"
            await self._send(update, context, f"Hãy ghi tên đơn vị sau lệnh, ví dụ: {example}")
            return
        unit = " ".join(context.args)
        locality = await self._chosen(update, context)
        service = await self._service()
        found = await asyncio.to_thread(service.responsibilities, unit, locality)
        where = f" trong kế hoạch của {escape(locality)}" if locality else ""
        if not found:
            missing = f"Không thấy nhiệm vụ nào của “{escape(unit)}”{where}."
            await self._send(update, context, f"{missing} Bạn thử ghi tên đơn vị ngắn hơn nhé.")
            return
        head = f"<b>Nhiệm vụ của “{escape(unit)}”</b>{where} ({len(found)}):\n\n"
        await self._send(update, context, head + format_responsibilities(found))

    async def targets(self, update: Update, context: Context) -> None:
        """/chitieu [địa bàn]: targets of the named or chosen locality's plans, else of all plans."""
        service = await self._service()
        locality = await self._chosen(update, context)
        if context.args:
            wanted = " ".join(context.args)
            locality = self._locality_named(service, wanted)
            if locality is None:
                await self._send(update, context, f"Chưa có kế hoạch nào của “{escape(wanted)}”.")
                return
        found = await asyncio.to_thread(service.targets, locality)
        where = f" của {escape(locality)}" if locality else " của các kế hoạch"
        if not found:
            await self._send(update, context, f"Không thấy chỉ tiêu nào{where}.")
            return
        await self._send(update, context, f"<b>Chỉ tiêu{where}</b>\n\n" + format_targets(found))

    async def sources(self, update: Update, context: Context) -> None:
        """/nguon: full sources of the last answer in this chat."""
        last: Turn | None = self._chat_data(context).get("last")
        if last is None or not last.answer.citations:
            await self._send(update, context, "Chưa có câu trả lời nào có trích dẫn. Bạn hãy đặt câu hỏi trước nhé.")
            return
        service = await self._service()
        documents = {d.doc_id: d for d in service.retriever.snapshot.documents}
        await self._send(update, context, format_sources(last.answer.citations, documents))

    async def reload(self, update: Update, context: Context) -> None:
        """/reload (admins): serve the newest index snapshot."""
        user = update.effective_user
        if user is None or user.id not in self.options.admins:
            await self._send(update, context, "Lệnh này chỉ dành cho quản trị viên.")
            return
        try:
            snapshot = await asyncio.to_thread(self.holder.reload)
        except CampaignBotError as exc:
            log.error("reload failed: %s", exc)
            await self._send(update, context, f"Không nạp được chỉ mục mới, vẫn dùng bản cũ: {escape(str(exc))}")
            return
        log.info("reloaded snapshot %s for admin %s", snapshot, user.id)
        await self._send(update, context, f"Đã nạp chỉ mục mới: <code>{escape(snapshot)}</code>")

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        """A command the bot does not know: point to /help (in groups only when addressed)."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        _, at, addressee = message.text.split()[0].partition("@")
        if at and addressee.lower() != (context.bot.username or "").lower():
            return  # another bot's command
        if self._in_group(update) and not at:
            return  # a bare /cmd in a group may be for another bot
        await self._send(update, context, "Mình chưa hiểu lệnh này. Gõ /help để xem các lệnh.")

    # --- questions -----------------------------------------------------------------------------

    async def on_text(self, update: Update, context: Context) -> None:
        """Any text is a question (in groups only when it mentions the bot or replies to it)."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        text = message.text
        if self._in_group(update):
            if not self._addressed(message, context):
                return
            text = self._strip_mention(text, context)
        await self._answer(update, context, text)

    async def on_not_text(self, update: Update, context: Context) -> None:
        """Stickers, photos, voice, files...: say what the bot understands."""
        message = update.effective_message
        if message is None or (self._in_group(update) and not self._addressed(message, context)):
            return
        await self._send(update, context, escape(NOT_TEXT))

    async def _answer(self, update: Update, context: Context, text: str) -> None:
        """Answer the question ``text``, or say why not (rate limit, empty, too long). Questions of
        one chat are answered in the order they came (the lock is taken before any wait)."""
        chat = update.effective_chat
        if chat is None:
            return
        lock = self._chat_locks.setdefault(chat.id, asyncio.Lock())
        async with lock:
            if not await self._within_limit(update, context):
                return
            service = await self._service()
            try:
                service.validate(text)
            except QueryError as exc:
                await self._send(update, context, f"{escape(str(exc))}\n{escape(ASK_HINT)}")
                return
            await self._answer_in_turn(update, context, service, text.strip())

    async def _answer_in_turn(self, update: Update, context: Context, service: AnswerService, text: str) -> None:
        """Answer ``text`` (valid) in the update's chat: typing, the cited answer, feedback buttons."""
        user = update.effective_user
        chat = update.effective_chat
        if chat is None:
            return
        data = self._chat_data(context)
        chosen = await self._chosen(update, context)
        question, locality, understood = self._resolve(service, text, data, chosen)
        try:
            await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
        except TelegramError as exc:  # only a courtesy: answer anyway
            log.warning("typing indicator not sent: %s", exc)
        answer = await asyncio.to_thread(service.ask, question, locality)
        turn = Turn(question, answer, locality, service.retriever.snapshot.snapshot_id)
        data["last"] = turn
        key = self._remember(data, turn)
        documents = {d.doc_id: d for d in service.retriever.snapshot.documents}
        html = format_answer(answer, documents, understood=understood)
        if locality and not understood:
            html += f"\n\n<i>Đang tra trong kế hoạch của {escape(locality)} · /diaban để đổi</i>"
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("👍 Hữu ích", callback_data=f"fb:{key}:1"),
                    InlineKeyboardButton("👎 Chưa đúng", callback_data=f"fb:{key}:-1"),
                ]
            ]
        )
        await self._send(update, context, html, keyboard=keyboard)
        log.info("answered %s in chat %s (user %s)", answer.status, chat.id, user.id if user else "?")

    async def _within_limit(self, update: Update, context: Context) -> bool:
        """Count a question for the user; over the limit, say so once per wait."""
        user = update.effective_user
        chat = update.effective_chat
        key = user.id if user is not None else (chat.id if chat is not None else 0)
        wait = self.limiter.acquire(key)
        if not wait:
            return True
        loop = asyncio.get_running_loop()
        user_data = context.user_data if context.user_data is not None else {}
        if user_data.get("warned_until", 0.0) < loop.time():
            user_data["warned_until"] = loop.time() + wait
            seconds = max(1, math.ceil(wait))
            await self._send(
                update, context, f"Bạn hỏi hơi nhanh 🙂 Vui lòng đợi khoảng {seconds} giây rồi hỏi tiếp nhé."
            )
        return False

    def _resolve(
        self, service: AnswerService, text: str, data: dict[str, Any], chosen: str | None
    ) -> tuple[str, str | None, str | None]:
        """(question to ask, locality filter, the question as understood when it was rewritten).

        A follow-up naming a locality of the plans reuses the last question with that locality.
        Otherwise the chosen locality filters, unless the question names a locality itself.
        """
        retriever = service.retriever
        last: Turn | None = data.get("last")
        place = follow_up_place(text)
        if last is not None and place is not None:
            new_locality = self._locality_named(service, place)
            if new_locality is not None:
                old = retriever.documents_for_locality(last.question)
                if not old and last.locality:
                    old = retriever.documents_for_locality(last.locality)
                keys = {retriever.locality_keys[d] for d in old if d in retriever.locality_keys}
                question = replace_place(last.question, keys, new_locality)
                return question, new_locality, question
        if retriever.documents_for_locality(text):
            return text, None, None
        return text, chosen, None

    @staticmethod
    def _remember(data: dict[str, Any], turn: Turn) -> str:
        """Keep ``turn`` for its feedback buttons (the most recent ones only); its key."""
        answers: dict[str, Turn] = data.setdefault("answers", {})
        number = int(data.get("seq", 0)) + 1
        data["seq"] = number
        answers[str(number)] = turn
        for old in list(answers)[:-MAX_REMEMBERED_ANSWERS]:
            del answers[old]
        return str(number)

    # --- buttons -------------------------------------------------------------------------------

    async def on_example(self, update: Update, context: Context) -> None:
        """An example question button of /start: answer it as if typed."""
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        service = await self._service()
        examples = self._examples(service.retriever.snapshot.documents)
        index = _index(query.data, "ask:")
        if index is None or index >= len(examples):
            return
        await self._answer(update, context, examples[index])

    async def on_locality(self, update: Update, context: Context) -> None:
        """A /diaban button: remember the locality for this chat (or forget it)."""
        query = update.callback_query
        if query is None:
            return
        if query.data == "loc:clear":
            await self._choose(update, context, None)
            await query.answer("Đã bỏ chọn địa bàn")
            await query.edit_message_text("Đã bỏ chọn địa bàn: mình sẽ tra trong tất cả kế hoạch.")
            return
        service = await self._service()
        localities = self._localities(service.retriever.snapshot.documents)
        index = _index(query.data, "loc:")
        if index is None or index >= len(localities):
            await query.answer("Danh sách địa bàn đã thay đổi, gõ /diaban để chọn lại.", show_alert=True)
            return
        await self._choose(update, context, localities[index])
        await query.answer(f"Đã chọn {localities[index]}")
        await query.edit_message_text(_chosen_text(localities[index]))

    async def on_feedback(self, update: Update, context: Context) -> None:
        """👍/👎: store the vote with the question and the answer."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        _, key, vote = [*query.data.split(":"), "", ""][:3]
        turn: Turn | None = self._chat_data(context).get("answers", {}).get(key)
        chat = update.effective_chat
        if turn is None or chat is None or vote not in ("1", "-1"):
            await query.answer("Câu trả lời này đã cũ, mình không ghi nhận được góp ý. Cảm ơn bạn!")
            return
        feedback = Feedback(
            answer_key=f"{chat.id}:{key}",
            chat_id=chat.id,
            user_id=query.from_user.id,
            vote=int(vote),
            question=turn.question,
            answer=turn.answer.answer,
            status=turn.answer.status,
            locality=turn.locality,
            snapshot=turn.snapshot,
        )
        await asyncio.to_thread(self.feedback.record, feedback)
        await query.answer("Cảm ơn bạn đã góp ý! 👍" if feedback.vote > 0 else "Cảm ơn bạn! Mình sẽ cải thiện.")

    async def on_unknown_button(self, update: Update, context: Context) -> None:
        """A button from an older version of the bot."""
        if update.callback_query is not None:
            await update.callback_query.answer("Nút này không còn dùng được. Gõ /start để bắt đầu lại.")

    # --- errors --------------------------------------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        """Log any handler error and answer a short apology; the bot keeps running."""
        error = context.error
        log.error("error while handling an update: %r", error, exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        text = NO_INDEX if isinstance(error, SnapshotError) else APOLOGY
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):  # may have been answered before the error
                await update.callback_query.answer()
        try:
            await context.bot.send_message(update.effective_chat.id, escape(text))
        except TelegramError as exc:  # Telegram unreachable too: the log has it
            log.error("could not send the apology: %s", exc)


def _chosen_text(locality: str) -> str:
    return (
        f"Đã chọn địa bàn: <b>{escape(locality)}</b>. Các câu hỏi tiếp theo sẽ tra trong kế hoạch của "
        f"{escape(locality)}. Gõ /diaban để đổi hoặc bỏ chọn."
    )


def _index(data: str | None, prefix: str) -> int | None:
    """The number after ``prefix`` in callback data, or ``None``."""
    if data is None or not data.startswith(prefix) or not data[len(prefix) :].isdigit():
        return None
    return int(data[len(prefix) :])


# --- running ---------------------------------------------------------------------------------------


def build_application(holder: ServiceHolder, options: TelegramOptions, *, updater: bool = True) -> Application:
    """The bot's Application on ``holder`` (``updater=False`` for webhook mode)."""
    return CampaignTelegramBot(holder, options).build(updater=updater)


@asynccontextmanager
async def running(
    application: Application,
    *,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    poll_timeout: float = 10.0,
) -> AsyncIterator[Application]:
    """Run ``application`` inside the current event loop until the block exits: command menu set,
    then long polling started, or the webhook registered (``webhook_url``) once updates can be
    processed. May be entered again after it failed or ended."""
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            if webhook_url:
                await application.bot.set_webhook(
                    webhook_url, secret_token=webhook_secret, allowed_updates=list(ALLOWED_UPDATES)
                )
            elif application.updater is not None:
                await application.updater.start_polling(
                    timeout=timedelta(seconds=poll_timeout), allowed_updates=list(ALLOWED_UPDATES)
                )
            yield application
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()
    finally:
        await application.shutdown()


def run_polling(holder: ServiceHolder, options: TelegramOptions) -> None:
    """``campaign-bot telegram``: long polling until interrupted (Ctrl-C / SIGTERM)."""
    application = build_application(holder, options)
    asyncio.set_event_loop(asyncio.new_event_loop())  # run_polling uses, then closes, the current loop
    try:
        application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    except InvalidToken as exc:
        raise CampaignBotError(
            f"Telegram từ chối TELEGRAM_BOT_TOKEN ({exc}): hãy lấy lại token từ @BotFather."
        ) from exc
    except NetworkError as exc:
        raise CampaignBotError(f"Không kết nối được Telegram tại {options.api_url} ({exc}).") from exc
