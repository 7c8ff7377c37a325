"""Questions: any text (in groups only when addressed to the bot) and the example buttons of /start.

A question is answered in a worker thread so the event loop (shared with uvicorn under
``campaign-bot serve``) keeps serving. Its length limit is the service's, which the CLI sets from
``CAMPAIGN_BOT_MAX_QUESTION_CHARS``. Follow-ups are resolved by :func:`bot.query.followup.resolve_question`.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.answering.service import ServiceHolder, SnapshotService
from bot.errors import QueryError
from bot.models import DocumentMeta
from bot.query.followup import resolve_question
from bot.records.rate_limit import RateLimits
from bot.telegram.conversation import Conversations, Turn
from bot.telegram.format import escape, format_answer
from bot.telegram.messages import Context, addressed, callback_index, in_group, send, strip_mention

log = logging.getLogger(__name__)

NOT_TEXT = (
    "Mình chỉ đọc được câu hỏi bằng chữ thôi 🙂 Bạn hãy gõ câu hỏi, ví dụ: "
    "“Ai chủ trì công tác tuyên truyền?” hoặc gõ /help để xem hướng dẫn."
)
ASK_HINT = "Bạn hãy hỏi ngắn gọn một ý, ví dụ: “Chỉ tiêu gia đình văn hóa là bao nhiêu?”"


def examples(documents: Sequence[DocumentMeta]) -> list[str]:
    """Three example questions; the first names a locality of the plans."""
    place = next((d.locality for d in documents if d.locality), None)
    first = f"Ai chủ trì công tác tuyên truyền ở {place}?" if place else "Ai chủ trì công tác tuyên truyền?"
    return [first, "Chỉ tiêu gia đình văn hóa là bao nhiêu?", "Kinh phí thực hiện lấy từ nguồn nào?"]


class Questions:
    """Answers questions on ``holder``'s current service, ``limiter`` counting them per user."""

    def __init__(self, holder: ServiceHolder, conversations: Conversations, limiter: RateLimits) -> None:
        self.holder = holder
        self.conversations = conversations
        self.limiter = limiter

    async def on_text(self, update: Update, context: Context) -> None:
        """Any text is a question (in groups only when it mentions the bot or replies to it)."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        text = message.text
        if in_group(update):
            if not addressed(message, context):
                return
            text = strip_mention(text, context)
        await self.answer(update, context, text)

    async def on_not_text(self, update: Update, context: Context) -> None:
        """Stickers, photos, voice, files...: say what the bot understands."""
        message = update.effective_message
        if message is None or (in_group(update) and not addressed(message, context)):
            return
        await send(update, context, escape(NOT_TEXT))

    async def on_example(self, update: Update, context: Context) -> None:
        """An example question button of /start: answer it as if typed."""
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        service = await asyncio.to_thread(self.holder.get)
        asked = examples(service.documents())
        index = callback_index(query.data, "ask:")
        if index is None or index >= len(asked):
            return
        await self.answer(update, context, asked[index])

    async def on_place(self, update: Update, context: Context) -> None:
        """A place button under an answer asking which place is meant: choose it for the chat and
        answer that answer's question again, in the chosen place's plans."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        _, key, index = [*query.data.split(":"), "", ""][:3]
        turn = self.conversations.remembered(context, key)
        if turn is None or not index.isdigit() or int(index) >= len(turn.answer.choices):
            await query.answer("Câu trả lời này đã cũ, bạn hãy hỏi lại nhé.", show_alert=True)
            return
        place = turn.answer.choices[int(index)]
        await query.answer(f"Đã chọn {place}")
        await self.conversations.choose(update, context, place)
        await self.answer(update, context, turn.question)

    async def answer(self, update: Update, context: Context, text: str) -> None:
        """Answer the question ``text``, or say why not (rate limit, empty, too long). Questions of
        one chat are answered in the order they came (the lock is taken before any wait)."""
        chat = update.effective_chat
        if chat is None:
            return
        async with self.conversations.lock(chat.id):
            if not await self._within_limit(update, context):
                return
            service = await asyncio.to_thread(self.holder.get)
            try:
                service.validate(text)
            except QueryError as exc:
                await send(update, context, f"{escape(str(exc))}\n{escape(ASK_HINT)}")
                return
            await self._answer_in_turn(update, context, service, text.strip())

    async def _answer_in_turn(self, update: Update, context: Context, service: SnapshotService, text: str) -> None:
        """Answer ``text`` (valid) in the update's chat: typing, the cited answer, feedback buttons."""
        user = update.effective_user
        chat = update.effective_chat
        if chat is None:
            return
        last = self.conversations.last(context)
        chosen = await self.conversations.chosen(update, context)
        resolved = resolve_question(text, last.previous if last else None, chosen, service)
        try:
            await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
        except TelegramError as exc:  # only a courtesy: answer anyway
            log.warning("typing indicator not sent: %s", exc)
        answer = await asyncio.to_thread(service.ask, resolved.question, resolved.locality)
        turn = Turn(resolved.question, answer, resolved.locality, service.snapshot_id)
        key = self.conversations.remember(context, turn)
        html = format_answer(answer, service.documents_by_id(), understood=resolved.understood)
        if resolved.locality and not resolved.understood:
            html += f"\n\n<i>Đang tra trong kế hoạch của {escape(resolved.locality)} · /diaban để đổi</i>"
        # Many plans answer a question naming no place: one button per place the answer offers,
        # which picks it for the chat (as /diaban would) and answers the question again there.
        places = [
            [InlineKeyboardButton(f"📍 {name}", callback_data=f"pick:{key}:{i}")]
            for i, name in enumerate(answer.choices)
        ]
        votes = [
            InlineKeyboardButton("👍 Hữu ích", callback_data=f"fb:{key}:1"),
            InlineKeyboardButton("👎 Chưa đúng", callback_data=f"fb:{key}:-1"),
        ]
        await send(update, context, html, keyboard=InlineKeyboardMarkup([*places, votes]))
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
            await send(update, context, f"Bạn hỏi hơi nhanh 🙂 Vui lòng đợi khoảng {seconds} giây rồi hỏi tiếp nhé.")
        return False
