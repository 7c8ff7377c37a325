"""Hostile uploads through the admin API: bodies over the limit refused while they stream, zip bombs,
PDFs of too many pages, odd file names. Each is a clear 4xx and nothing is written where it should not be."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.errors import DocumentError
from bot.http.app import UPLOAD_OVERHEAD_BYTES, create_app
from bot.indexing.build import build_index
from bot.ingest.readers.docx import MAX_INFLATED_BYTES, MAX_ZIP_ENTRIES, check_zip_limits
from bot.ingest.readers.pdf import MAX_PDF_PAGES, read_pdf
from tests.conftest import DOCUMENTS
from tests.fakes import FakeEmbedder

TOKEN = "hostile-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 1_000_000


@pytest.fixture
def site(tmp_path: Path) -> tuple[TestClient, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kinh-mon.txt").write_bytes((DOCUMENTS / "kinh-mon_78-KH-UBND_2025.txt").read_bytes())
    index = tmp_path / "index"
    embedder = FakeEmbedder()
    build_index(docs, index, embedder)
    settings = Settings(admin_token=TOKEN, documents_dir=docs, max_upload_bytes=LIMIT, rate_limit=0)
    return TestClient(create_app(ServiceHolder(index, embedder, watch_interval=None), settings)), docs


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(site: tuple[TestClient, Path]) -> None:
    client, docs = site
    before = files_under(docs.parent)
    body = b"x" * (LIMIT + UPLOAD_OVERHEAD_BYTES + 1)
    response = client.post(
        "/admin/documents", content=body, headers={**AUTH, "content-type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 413
    assert "quá lớn" in response.json()["error"]
    assert files_under(docs.parent) == before


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(site: tuple[TestClient, Path]) -> None:
    client, docs = site
    sent = 0

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server can only count
        nonlocal sent
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        for _ in range(200):
            sent += 16_384
            yield b"y" * 16_384

    response = client.post(
        "/admin/documents", content=chunks(), headers={**AUTH, "content-type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 413
    assert sorted(p.name for p in docs.iterdir()) == ["kinh-mon.txt"]


def test_a_question_body_of_two_megabytes_is_413(site: tuple[TestClient, Path]) -> None:
    client, _ = site
    body = b'{"question": "' + b"a" * 2_000_000 + b'"}'
    response = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused_from_its_directory(site: tuple[TestClient, Path]) -> None:
    client, docs = site
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (MAX_INFLATED_BYTES + 1)})
    assert len(bomb) < 1_000_000  # a small upload ...
    response = client.post("/admin/documents", files={"file": ("ke-hoach.docx", bomb)}, headers=AUTH)
    assert 400 <= response.status_code < 500
    assert "inflate" in response.json()["error"] or "zip bomb" in response.json()["error"]
    assert sorted(p.name for p in docs.iterdir()) == ["kinh-mon.txt"]


def test_zip_limits_on_entries_and_ratio() -> None:
    many = zip_bytes({f"part{i}.xml": b"<a/>" for i in range(MAX_ZIP_ENTRIES + 1)})
    with pytest.raises(DocumentError, match="parts"):
        check_zip_limits(many, "many.docx")
    dense = zip_bytes({"word/document.xml": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(DocumentError, match="zip bomb"):
        check_zip_limits(dense, "dense.docx")
    with pytest.raises(DocumentError, match=r"not a \.docx"):
        check_zip_limits(b"PK\x03\x04 truncated", "broken.docx")
    check_zip_limits(zip_bytes({"word/document.xml": "<w:t>Kế hoạch</w:t>".encode() * 100}), "ok.docx")


def test_a_pdf_of_too_many_pages_is_refused() -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    for _ in range(MAX_PDF_PAGES + 1):
        pdf.add_page()
    data = bytes(pdf.output())
    with pytest.raises(DocumentError, match="pages"):
        read_pdf(data, "dai.pdf")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", b"\0" * 100],
)
def test_malformed_pdfs_get_a_clear_4xx(site: tuple[TestClient, Path], data: bytes) -> None:
    client, docs = site
    response = client.post("/admin/documents", files={"file": ("hong.pdf", data)}, headers=AUTH)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]
    assert sorted(p.name for p in docs.iterdir()) == ["kinh-mon.txt"]


@pytest.mark.parametrize(
    "name",
    [
        "../../escape.txt",
        "..\\..\\escape.txt",
        "/etc/passwd.txt",
        "kế hoạch\u202egnp.txt",  # a right-to-left override hiding the real extension
        "\u0000nul.txt",
        "CON.txt",
        "a" * 300 + ".txt",
        "kê\u0301 hoạch NFD.txt",
    ],
)
def test_odd_file_names_never_write_outside_the_documents_folder(site: tuple[TestClient, Path], name: str) -> None:
    client, docs = site
    outside_before = files_under(docs.parent) - {f"docs/{p}" for p in files_under(docs)}
    text = (DOCUMENTS / "son-la_KH-VPUB_2026.md").read_bytes()
    response = client.post("/admin/documents", files={"file": (name, text)}, headers=AUTH)
    assert response.status_code in {201, 400, 409, 415, 422}, response.text
    outside_after = files_under(docs.parent) - {f"docs/{p}" for p in files_under(docs)}
    assert outside_after == outside_before
    for stored in docs.iterdir():
        assert "/" not in stored.name and "\\" not in stored.name and "\0" not in stored.name
        assert "\u202e" not in stored.name
