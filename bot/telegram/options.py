"""What the Telegram bot needs from the settings, as one frozen value built at the edge.

Every value that :class:`~bot.config.Settings` defines (token, Bot API URL, admins, rate limit, the
SQLite file) is taken from it, so its defaults are written once, there; the fields with defaults here
are the bot's own tuning knobs, which the settings do not expose.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.errors import CampaignBotError


@dataclass(frozen=True)
class TelegramOptions:
    """The Telegram adapter's configuration."""

    token: str
    api_url: str  # python-telegram-bot's base_url form: the token is appended ("…/bot")
    feedback_path: Path  # SQLite file of votes and chosen localities
    rate_limit: int  # questions per user per minute
    admins: frozenset[int] = frozenset()
    webhook_url: str | None = None
    webhook_secret: str | None = None
    network_retries: int = 2
    concurrent_updates: int = 8  # updates handled at once (1: strictly in order)
    retry_backoff: float = 0.5  # seconds, doubled at each retry
    database_url: str | None = None  # PostgreSQL for votes, localities and rate limits (many replicas)

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramOptions:
        """Options from ``settings``; ``CampaignBotError`` when no token is set."""
        if not settings.telegram_bot_token:
            raise CampaignBotError("Chưa có TELEGRAM_BOT_TOKEN: tạo bot với @BotFather rồi đặt biến môi trường này.")
        return cls(
            token=settings.telegram_bot_token,
            api_url=settings.telegram_api_url,
            feedback_path=settings.feedback_path,
            rate_limit=settings.telegram_rate_limit,
            admins=frozenset(settings.telegram_admins),
            webhook_url=settings.telegram_webhook_url or None,
            webhook_secret=settings.telegram_webhook_secret or None,
            database_url=settings.database_url or None,
        )

    @property
    def file_url(self) -> str:
        """The file download base in the same form ("…/bot" → "…/file/bot")."""
        base = self.api_url.rstrip("/")
        return f"{base[: -len('/bot')]}/file/bot" if base.endswith("/bot") else f"{base}/file"
