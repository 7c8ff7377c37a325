"""Talking in a chat: sending HTML replies (split to Telegram's size), and telling whether a group
message is meant for the bot. Shared by every handler module."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import ContextTypes

from bot.telegram.format import split_html

Context = ContextTypes.DEFAULT_TYPE


def in_group(update: Update) -> bool:
    """Does ``update`` come from a group or supergroup?"""
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def send(
    update: Update,
    context: Context,
    text: str,
    *,
    keyboard: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send HTML ``text`` to the update's chat in as many messages as it needs, ``keyboard`` on the
    last; in groups the first part replies to the user's message."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_html(text) or ["…"]
    origin = update.message if in_group(update) else None
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


def addressed(message: Message, context: Context) -> bool:
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


def strip_mention(text: str, context: Context) -> str:
    """``text`` without the bot's @mention."""
    return re.sub(rf"@{re.escape(context.bot.username)}\b", " ", text, flags=re.IGNORECASE).strip()


def callback_index(data: str | None, prefix: str) -> int | None:
    """The number after ``prefix`` in a button's callback data, or ``None``."""
    if data is None or not data.startswith(prefix) or not data[len(prefix) :].isdigit():
        return None
    return int(data[len(prefix) :])
