"""Choosing the locality a chat's questions are filtered on: /diaban (buttons, or ``/diaban <tên>``)
and its ``loc:`` buttons. The choice is kept by :class:`~bot.telegram.conversation.Conversations`."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.answering.service import ServiceHolder
from bot.telegram.conversation import Conversations
from bot.telegram.format import escape
from bot.telegram.messages import Context, callback_index, send


def chosen_text(locality: str) -> str:
    """The confirmation of a chosen locality (HTML)."""
    return (
        f"Đã chọn địa bàn: <b>{escape(locality)}</b>. Các câu hỏi tiếp theo sẽ tra trong kế hoạch của "
        f"{escape(locality)}. Gõ /diaban để đổi hoặc bỏ chọn."
    )


class LocalityChoice:
    """/diaban and its buttons, on the localities of ``holder``'s current snapshot."""

    def __init__(self, holder: ServiceHolder, conversations: Conversations) -> None:
        self.holder = holder
        self.conversations = conversations

    async def command(self, update: Update, context: Context) -> None:
        """/diaban: pick a locality with buttons (or ``/diaban <tên>``); a button clears the choice."""
        service = await asyncio.to_thread(self.holder.get)
        if context.args:
            wanted = " ".join(context.args)
            found = service.locality_named(wanted)
            if found is None:
                await send(update, context, f"Chưa có kế hoạch nào của “{escape(wanted)}”. Gõ /diaban để chọn.")
                return
            await self.conversations.choose(update, context, found)
            await send(update, context, chosen_text(found))
            return
        localities = service.localities()
        buttons = [[InlineKeyboardButton(name, callback_data=f"loc:{i}")] for i, name in enumerate(localities)]
        buttons.append([InlineKeyboardButton("❌ Bỏ chọn địa bàn", callback_data="loc:clear")])
        current = await self.conversations.chosen(update, context)
        head = f"Địa bàn đang chọn: <b>{escape(current)}</b>." if current else "Bạn chưa chọn địa bàn nào."
        await send(update, context, f"{head}\nChọn địa bàn để tra cứu:", keyboard=InlineKeyboardMarkup(buttons))

    async def on_button(self, update: Update, context: Context) -> None:
        """A /diaban button: remember the locality for this chat (or forget it)."""
        query = update.callback_query
        if query is None:
            return
        if query.data == "loc:clear":
            await self.conversations.choose(update, context, None)
            await query.answer("Đã bỏ chọn địa bàn")
            await query.edit_message_text("Đã bỏ chọn địa bàn: mình sẽ tra trong tất cả kế hoạch.")
            return
        service = await asyncio.to_thread(self.holder.get)
        localities = service.localities()
        index = callback_index(query.data, "loc:")
        if index is None or index >= len(localities):
            await query.answer("Danh sách địa bàn đã thay đổi, gõ /diaban để chọn lại.", show_alert=True)
            return
        await self.conversations.choose(update, context, localities[index])
        await query.answer(f"Đã chọn {localities[index]}")
        await query.edit_message_text(chosen_text(localities[index]))
