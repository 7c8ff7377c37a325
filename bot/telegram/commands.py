"""The bot's commands other than /diaban (:mod:`bot.telegram.localities`): /start, /help, /kehoach,
/trachnhiem, /chitieu, /nguon, /reload (admins), and the reply to an unknown command."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.answering.service import ServiceHolder
from bot.errors import CampaignBotError
from bot.telegram.conversation import Conversations
from bot.telegram.format import escape, format_plans, format_responsibilities, format_sources, format_targets
from bot.telegram.messages import Context, in_group, send
from bot.telegram.questions import examples

log = logging.getLogger(__name__)

# The command menu (setMyCommands) and /help, in this order.
COMMANDS = (
    ("start", "Bắt đầu và xem câu hỏi mẫu"),
    ("help", "Hướng dẫn sử dụng"),
    ("kehoach", "Danh sách kế hoạch"),
    ("diaban", "Chọn địa bàn để tra cứu"),
    ("trachnhiem", "Nhiệm vụ của một đơn vị, ví dụ: /trachnhiem Phòng Văn hóa"),
    ("chitieu", "Chỉ tiêu của kế hoạch"),
    ("nguon", "Nguồn đầy đủ của câu trả lời gần nhất"),
)


class Commands:
    """Command handlers on ``holder``'s current service; ``admins`` may /reload."""

    def __init__(self, holder: ServiceHolder, conversations: Conversations, admins: frozenset[int]) -> None:
        self.holder = holder
        self.conversations = conversations
        self.admins = admins

    async def start(self, update: Update, context: Context) -> None:
        """Greeting, what the bot answers, three example questions as buttons."""
        service = await asyncio.to_thread(self.holder.get)
        places = ", ".join(service.localities()) or "chưa có"
        text = (
            "Xin chào! 👋 Mình là trợ lý hỏi đáp về các kế hoạch thực hiện Phong trào "
            "<b>“Toàn dân đoàn kết xây dựng đời sống văn hóa”</b>.\n\n"
            "Bạn cứ hỏi bằng tiếng Việt, có dấu hay không dấu đều được: ai chủ trì, ai phối hợp, chỉ tiêu, "
            "thời hạn, kinh phí… Mình trả lời đúng lời văn của kế hoạch, kèm nguồn trích dẫn.\n\n"
            f"Địa bàn đang có: {escape(places)}.\n\nThử một câu hỏi mẫu:"
        )
        asked = examples(service.documents())
        buttons = [[InlineKeyboardButton(q, callback_data=f"ask:{i}")] for i, q in enumerate(asked)]
        await send(update, context, text, keyboard=InlineKeyboardMarkup(buttons))

    async def help(self, update: Update, context: Context) -> None:
        """How to use the bot."""
        lines = ["<b>Cách dùng</b>", "Gõ câu hỏi của bạn, ví dụ: <i>ai phu trach tuyen truyen o kinh mon</i>.", ""]
        lines += [f"/{name} — {escape(text)}" for name, text in COMMANDS]
        lines += [
            "",
            "Hỏi tiếp theo ngữ cảnh: <i>còn ở Cao Lộc thì sao?</i>",
            "Trong nhóm, hãy nhắc tên mình (@) hoặc trả lời tin nhắn của mình.",
        ]
        await send(update, context, "\n".join(lines))

    async def plans(self, update: Update, context: Context) -> None:
        """The plans: number, date, locality."""
        service = await asyncio.to_thread(self.holder.get)
        await send(update, context, format_plans(service.documents()))

    async def responsibilities(self, update: Update, context: Context) -> None:
        """/trachnhiem <đơn vị>: the unit's tasks (in the chosen locality, if any)."""
        if not context.args:
            example = "<code>/trachnhiem Phòng Văn hóa</code>"
            await send(update, context, f"Hãy ghi tên đơn vị sau lệnh, ví dụ: {example}")
            return
        unit = " ".join(context.args)
        locality = await self.conversations.chosen(update, context)
        service = await asyncio.to_thread(self.holder.get)
        found = await asyncio.to_thread(service.responsibilities, unit, locality)
        where = f" trong kế hoạch của {escape(locality)}" if locality else ""
        if not found:
            missing = f"Không thấy nhiệm vụ nào của “{escape(unit)}”{where}."
            await send(update, context, f"{missing} Bạn thử ghi tên đơn vị ngắn hơn nhé.")
            return
        head = f"<b>Nhiệm vụ của “{escape(unit)}”</b>{where} ({len(found)}):\n\n"
        await send(update, context, head + format_responsibilities(found))

    async def targets(self, update: Update, context: Context) -> None:
        """/chitieu [địa bàn]: targets of the named or chosen locality's plans, else of all plans."""
        service = await asyncio.to_thread(self.holder.get)
        locality = await self.conversations.chosen(update, context)
        if context.args:
            wanted = " ".join(context.args)
            locality = service.locality_named(wanted)
            if locality is None:
                await send(update, context, f"Chưa có kế hoạch nào của “{escape(wanted)}”.")
                return
        found = await asyncio.to_thread(service.targets, locality)
        where = f" của {escape(locality)}" if locality else " của các kế hoạch"
        if not found:
            await send(update, context, f"Không thấy chỉ tiêu nào{where}.")
            return
        await send(update, context, f"<b>Chỉ tiêu{where}</b>\n\n" + format_targets(found))

    async def sources(self, update: Update, context: Context) -> None:
        """/nguon: full sources of the last answer in this chat."""
        last = self.conversations.last(context)
        if last is None or not last.answer.citations:
            await send(update, context, "Chưa có câu trả lời nào có trích dẫn. Bạn hãy đặt câu hỏi trước nhé.")
            return
        service = await asyncio.to_thread(self.holder.get)
        await send(update, context, format_sources(last.answer.citations, service.documents_by_id()))

    async def reload(self, update: Update, context: Context) -> None:
        """/reload (admins): serve the newest index snapshot."""
        user = update.effective_user
        if user is None or user.id not in self.admins:
            await send(update, context, "Lệnh này chỉ dành cho quản trị viên.")
            return
        try:
            snapshot = await asyncio.to_thread(self.holder.reload)
        except CampaignBotError as exc:
            log.error("reload failed: %s", exc)
            await send(update, context, f"Không nạp được chỉ mục mới, vẫn dùng bản cũ: {escape(str(exc))}")
            return
        log.info("reloaded snapshot %s for admin %s", snapshot, user.id)
        await send(update, context, f"Đã nạp chỉ mục mới: <code>{escape(snapshot)}</code>")

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        """A command the bot does not know: point to /help (in groups only when addressed)."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        _, at, addressee = message.text.split()[0].partition("@")
        if at and addressee.lower() != (context.bot.username or "").lower():
            return  # another bot's command
        if in_group(update) and not at:
            return  # a bare /cmd in a group may be for another bot
        await send(update, context, "Mình chưa hiểu lệnh này. Gõ /help để xem các lệnh.")
