"""Telegram adapter (python-telegram-bot): the Application with every handler, and running it.

The bot answers from the same :class:`~bot.answering.service.ServiceHolder` as the API. Handlers live
by what they own: :mod:`~bot.telegram.commands`, :mod:`~bot.telegram.localities` (/diaban),
:mod:`~bot.telegram.questions` (text and example buttons), :mod:`~bot.telegram.feedback` (👍/👎);
per-chat state is :mod:`~bot.telegram.conversation`. Every message is sent in HTML parse mode; all
text from plans and users is escaped (:mod:`bot.telegram.format`).

Robustness: Telegram's flood limits (HTTP 429) are waited out and retried by
:class:`~bot.telegram.net.FloodRetry`; network errors are retried a bounded number of times by
:class:`~bot.telegram.net.RetryingRequest`; any handler error is logged and answered with a short
apology, and the bot keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.answering.service import ServiceHolder
from bot.errors import CampaignBotError, SnapshotError
from bot.records.backend import open_records
from bot.telegram.commands import COMMANDS, Commands
from bot.telegram.conversation import Conversations
from bot.telegram.feedback import FeedbackButtons
from bot.telegram.format import escape
from bot.telegram.localities import LocalityChoice
from bot.telegram.messages import Context
from bot.telegram.net import FloodRetry, RetryingRequest
from bot.telegram.options import TelegramOptions
from bot.telegram.questions import Questions

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query")
APOLOGY = "Xin lỗi, mình gặp trục trặc khi xử lý yêu cầu này. Bạn vui lòng thử lại sau ít phút nhé."
NO_INDEX = "Xin lỗi, dữ liệu kế hoạch đang được cập nhật nên mình chưa trả lời được. Bạn thử lại sau ít phút nhé."
# What a user may send that is not text: answered with what the bot understands.
MEDIA = (
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


def build_application(holder: ServiceHolder, options: TelegramOptions, *, updater: bool = True) -> Application:
    """The bot's Application on ``holder`` with every handler; ``updater=False`` for webhook mode
    (updates are put on its queue by the web server)."""
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
        .post_init(register_commands)
    )
    if not updater:
        builder = builder.updater(None)
    application = builder.build()

    records = open_records(options.feedback_path, options.database_url)
    conversations = Conversations(records.localities)
    commands = Commands(holder, conversations, options.admins)
    localities = LocalityChoice(holder, conversations)
    questions = Questions(holder, conversations, records.rate_limits(options.rate_limit, 60.0))
    votes = FeedbackButtons(records.feedback, conversations)

    application.add_handler(CommandHandler("start", commands.start))
    application.add_handler(CommandHandler("help", commands.help))
    application.add_handler(CommandHandler("kehoach", commands.plans))
    application.add_handler(CommandHandler("diaban", localities.command))
    application.add_handler(CommandHandler("trachnhiem", commands.responsibilities))
    application.add_handler(CommandHandler("chitieu", commands.targets))
    application.add_handler(CommandHandler("nguon", commands.sources))
    application.add_handler(CommandHandler("reload", commands.reload))
    application.add_handler(CallbackQueryHandler(localities.on_button, pattern=r"^loc:"))
    application.add_handler(CallbackQueryHandler(votes.on_vote, pattern=r"^fb:"))
    application.add_handler(CallbackQueryHandler(questions.on_example, pattern=r"^ask:"))
    application.add_handler(CallbackQueryHandler(questions.on_place, pattern=r"^pick:"))
    application.add_handler(CallbackQueryHandler(votes.on_unknown_button))
    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(new_messages & filters.COMMAND, commands.on_unknown_command))
    application.add_handler(MessageHandler(new_messages & filters.TEXT, questions.on_text))
    application.add_handler(MessageHandler(new_messages & MEDIA, questions.on_not_text))
    application.add_error_handler(on_error)
    return application


async def register_commands(application: Application) -> None:
    """Register the command menu (setMyCommands)."""
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def on_error(update: object, context: Context) -> None:
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
