"""Done-when of "staff add new plans in any format": a .docx, a .pdf and a .txt plan added to a copy of
documents/ are indexed by the real ``index build`` command and answered with citations by the API,
like the bundled plans."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bot.answering.service import ServiceHolder
from bot.cli.main import app
from bot.embedding.transformer import load_embedder
from bot.http.app import create_app
from tests.conftest import DOCUMENTS
from tests.ingest.generate import logical_lines, synthetic_plan, write_docx, write_pdf

NEW_PLANS = {
    "tan-lap_15-KH-UBND_2026.docx": dict(
        commune="Tân Lập",
        number=15,
        unit="Hội Liên hiệp Phụ nữ xã",
        task="tổ chức Hội thi gói bánh chưng ngày Tết cổ truyền tại Nhà văn hóa xã",
        target="Phấn đấu có 92% hộ gia đình được công nhận danh hiệu Gia đình văn hóa.",
        signer="Nguyễn Văn An",
    ),
    "hoa-son_22-KH-UBND_2026.pdf": dict(
        commune="Hòa Sơn",
        number=22,
        unit="Đoàn Thanh niên xã",
        task="tổ chức Giải kéo co truyền thống giữa các thôn vào dịp Quốc khánh 2/9",
        target="Phấn đấu 100% thôn có đội văn nghệ quần chúng hoạt động thường xuyên.",
        signer="Trần Thị Bình",
    ),
    "phu-my_31-KH-UBND_2026.txt": dict(
        commune="Phú Mỹ",
        number=31,
        unit="Hội Nông dân xã",
        task="tổ chức Liên hoan dân ca ví giặm của các chi hội nông dân",
        target="Phấn đấu có 8/9 thôn đạt danh hiệu Thôn văn hóa.",
        signer="Lê Văn Cường",
    ),
}
QUESTIONS = {
    "tan-lap_15-KH-UBND_2026.docx": "Xã Tân Lập giao đơn vị nào chủ trì tổ chức Hội thi gói bánh chưng?",
    "hoa-son_22-KH-UBND_2026.pdf": "Ở xã Hòa Sơn ai chủ trì tổ chức giải kéo co truyền thống?",
    "phu-my_31-KH-UBND_2026.txt": "Xã Phú Mỹ giao ai chủ trì Liên hoan dân ca ví giặm?",
}


def _write_plan(path: Path, text: str) -> None:
    if path.suffix == ".txt":
        path.write_text(text, encoding="utf-8")
    elif path.suffix == ".docx":
        write_docx(logical_lines(text), path)
    else:
        write_pdf(logical_lines(text), path, running_header="UBND xã Hòa Sơn")


@pytest.mark.slow
def test_new_docx_pdf_and_txt_plans_are_answered_with_citations(tmp_path: Path, model_cache: Path) -> None:
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS, documents)
    for name, fields in NEW_PLANS.items():
        _write_plan(documents / name, synthetic_plan(**fields))  # type: ignore[arg-type]
    index = tmp_path / "index"
    env = {"CAMPAIGN_BOT_CACHE_DIR": str(model_cache)}
    built = CliRunner().invoke(app, ["index", "build", "--documents", str(documents), "--index", str(index)], env=env)
    assert built.exit_code == 0, built.output

    client = TestClient(create_app(ServiceHolder(index, load_embedder(None, model_cache))))
    listed = {d["doc_id"] for d in client.get("/documents").json()}
    assert {Path(n).stem.lower() for n in NEW_PLANS} <= listed
    assert len(listed) == len(NEW_PLANS) + len(list(DOCUMENTS.iterdir()))
    for name, question in QUESTIONS.items():
        body = client.post("/ask", json={"question": question}).json()
        assert body["status"] == "answered", (name, body)
        cited = body["citations"][0]
        assert cited["doc_id"] == Path(name).stem.lower(), (name, body)
        assert NEW_PLANS[name]["unit"] in cited["quote"] or NEW_PLANS[name]["unit"] in cited["section"], body
        if name.endswith(".pdf"):
            assert "(trang 1)" in body["answer"]
    seed = client.post("/ask", json={"question": "Phường Lê Chân giao ai chủ trì phòng, chống tệ nạn xã hội?"}).json()
    assert seed["status"] == "answered" and seed["citations"][0]["doc_id"] == "le-chan_ctr-du_2026"
