"""The 👍/👎 buttons under answers (votes stored with the question and the answer), and the reply to
a button the bot no longer knows."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.records.feedback import Feedback, FeedbackRecords
from bot.telegram.conversation import Conversations
from bot.telegram.messages import Context


class FeedbackButtons:
    """Records votes on the turns :class:`Conversations` remembers into ``store``."""

    def __init__(self, store: FeedbackRecords, conversations: Conversations) -> None:
        self.store = store
        self.conversations = conversations

    async def on_vote(self, update: Update, context: Context) -> None:
        """👍/👎: store the vote with the question and the answer."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        _, key, vote = [*query.data.split(":"), "", ""][:3]
        turn = self.conversations.remembered(context, key)
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
        await asyncio.to_thread(self.store.record, feedback)
        await query.answer("Cảm ơn bạn đã góp ý! 👍" if feedback.vote > 0 else "Cảm ơn bạn! Mình sẽ cải thiện.")

    @staticmethod
    async def on_unknown_button(update: Update, context: Context) -> None:
        """A button from an older version of the bot."""
        if update.callback_query is not None:
            await update.callback_query.answer("Nút này không còn dùng được. Gõ /start để bắt đầu lại.")
