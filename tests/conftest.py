"""Shared fixtures: a small synthetic corpus with a fake embedder (fast), and the real model with a
real index of the bundled plans (slow, built once per test session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.models import KIND_TABLE, Chunk, DocumentMeta, TableRow
from tests.fakes import passage_chunks

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = REPO / "documents"
SHARED = REPO.parent / "shared"
DEV_SET = SHARED / "eval" / "dev.jsonl"

# Tests never reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Settings()`` in a test sees its defaults, never the developer's ``CAMPAIGN_BOT_*``/``TELEGRAM_*``.

    ``CAMPAIGN_BOT_TEST_CACHE`` is the test suite's own option (where the real model is cached), kept.
    """
    for name in list(os.environ):
        if name.startswith(("CAMPAIGN_BOT_", "TELEGRAM_")) and name != "CAMPAIGN_BOT_TEST_CACHE":
            monkeypatch.delenv(name)


def make_corpus() -> tuple[list[DocumentMeta], list[Chunk]]:
    """Two small plans of different localities, written like the real ones."""
    alpha = DocumentMeta(
        doc_id="alpha",
        source="alpha.txt",
        title="Kế hoạch thực hiện Phong trào phường An Bình",
        doc_type="Kế hoạch",
        number="12/KH-UBND",
        locality="phường An Bình",
        content_hash="a" * 64,
    )
    beta = DocumentMeta(
        doc_id="beta",
        source="beta.txt",
        title="Kế hoạch thực hiện Phong trào xã Tân Hòa",
        doc_type="Kế hoạch",
        number="/KH-UBND",
        locality="xã Tân Hòa",
        content_hash="b" * 64,
    )
    row = TableRow(
        cells=(
            ("task", "Tổ chức hoạt động văn nghệ quần chúng"),
            ("lead", "Trung tâm Văn hóa"),
            ("coordinating", "Đoàn Thanh niên"),
            ("time", "Quý II/2026"),
            ("output", "Chương trình"),
        ),
        group="I. Nhóm nhiệm vụ: Văn hóa",
        line="\t".join(
            [
                "1",
                "Tổ chức hoạt động văn nghệ quần chúng",
                "Trung tâm Văn hóa",
                "Đoàn Thanh niên",
                "Quý II/2026",
                "Chương trình",
            ]
        ),
    )
    specs = [
        (
            alpha,
            ("II. MỤC TIÊU", "2. Mục tiêu cụ thể"),
            '- 95% trở lên số gia đình được công nhận danh hiệu "Gia đình văn hóa".\n'
            "- 80% tổ dân phố có nhà văn hóa đạt chuẩn.",
        ),
        (
            alpha,
            ("IV. TỔ CHỨC THỰC HIỆN", "1. Phòng Văn hóa - Xã hội"),
            "- Chủ trì tham mưu UBND phường triển khai kế hoạch.\n- Tổng hợp báo cáo trước ngày 15/6/2026.",
        ),
        (alpha, ("III. KINH PHÍ",), "Kinh phí thực hiện từ nguồn ngân sách Nhà nước và nguồn xã hội hóa."),
        (
            beta,
            ("II. MỤC TIÊU", "2. Mục tiêu cụ thể"),
            '- 90% gia đình được công nhận danh hiệu "Gia đình văn hóa".',
        ),
        (
            beta,
            ("IV. TỔ CHỨC THỰC HIỆN", "2. Công an xã"),
            "- Chủ trì phòng, chống tệ nạn xã hội trên địa bàn.",
        ),
    ]
    chunks = passage_chunks(specs)
    chunks.append(
        Chunk(
            chunk_id="row1",
            doc_id="beta",
            section_path=("PHỤ LỤC",),
            text=row.line,
            context=f"{beta.title}\n{beta.locality}\nPHỤ LỤC\nNhiệm vụ: {row.get('task')}; "
            f"Đơn vị chủ trì: {row.get('lead')}; Đơn vị phối hợp: {row.get('coordinating')}",
            kind=KIND_TABLE,
            ordinal=len(chunks),
            row=row,
        )
    )
    return [alpha, beta], chunks


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cache folder for the converted model (CAMPAIGN_BOT_TEST_CACHE reuses one across runs)."""
    return Path(os.environ.get("CAMPAIGN_BOT_TEST_CACHE") or tmp_path_factory.mktemp("model-cache"))


@pytest.fixture(scope="session")
def real_embedder(model_cache: Path):  # type: ignore[no-untyped-def]
    """The bundled e5 model, converted once per session into the test cache."""
    from bot.embedding.transformer import load_embedder

    return load_embedder(None, model_cache)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A real index of the bundled plans, built once with the real model."""
    from bot.indexing.build import build_index

    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(DOCUMENTS, index_dir, real_embedder)
    yield index_dir
