"""Wiring: the parts of a running campaign-bot built from :class:`~bot.config.Settings`.

The one place outside the adapters that reads the settings (the import contracts in pyproject.toml
hold the rest of the package to it): the use cases and everything below them get plain values.
``campaign-bot`` commands, ``scripts/evaluate.py`` and tests build the embedder and the service holder
through these functions, so the question limit the service enforces is the one the API declares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:
    from bot.answering.service import ServiceHolder
    from bot.embedding.protocol import Embedder
    from bot.embedding.transformer import SentenceTransformerEmbedder
    from bot.records.backend import Records


def load_embedder(settings: Settings, *, progress: bool = False) -> SentenceTransformerEmbedder:
    """The embedding model of the settings (``embedding_model`` from ``cache_dir``); ``ModelError`` if unusable."""
    from bot.embedding.transformer import load_embedder as load  # lazy: torch is slow to import

    return load(settings.embedding_model, settings.cache_dir, show_progress_bar=progress)


def service_holder(settings: Settings, embedder: Embedder) -> ServiceHolder:
    """A :class:`ServiceHolder` on ``settings.index_dir`` enforcing ``settings.max_question_chars``.

    Nothing is loaded yet: the first :meth:`ServiceHolder.get` loads the current snapshot.
    """
    from bot.answering.service import ServiceHolder

    return ServiceHolder(settings.index_dir, embedder, max_question_chars=settings.max_question_chars)


def records(settings: Settings) -> Records:
    """The shared-state stores: PostgreSQL at ``settings.database_url`` when set, else the SQLite file
    ``settings.feedback_path`` and memory. ``CampaignBotError`` when the database cannot be reached."""
    from bot.records.backend import open_records

    return open_records(settings.feedback_path, settings.database_url or None)
