"""The documents pages through the app the CLI serves: the list and its filters, a document's page (metadata,
sections, facts, a cited quote marked), the original file, and the 404 pages."""

from __future__ import annotations

import os
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.app import create_app
from bot.models import Chunk, DocumentMeta
from bot.web.links import QUOTE_PARAMETER, document_url, original_url, section_anchor
from bot.web.site import web_router
from tests.conftest import make_corpus
from tests.fakes import FakeEmbedder, corpus_facts, write_index

GAMMA = DocumentMeta(
    doc_id="ke-hoach-ha-long",
    source="Kế hoạch Hạ Long.md",
    title="Chương trình hành động Ngày hội Đại đoàn kết phường Hạ Long",
    doc_type="Chương trình hành động",
    number="05/CTr-UBND",
    date="10/03/2025",
    issuer="Ủy ban nhân dân phường Hạ Long",
    locality="phường Hạ Long",
    province="tỉnh Quảng Ninh",
    signer="Nguyễn Văn An",
    signer_title="CHỦ TỊCH",
    implements=("Kế hoạch số 47/KH-BCĐ ngày 01/3/2025 của Ban Chỉ đạo",),
    content_hash="c" * 64,
)
GAMMA_CHUNKS = [
    # one section cut into two chunks; the file's Markdown markers kept in the source
    Chunk(
        "g0",
        GAMMA.doc_id,
        ("I. NỘI DUNG",),
        "I. NỘI DUNG\nTổ chức ngày hội ở 5 khu phố.",
        "context",
        ordinal=0,
        source="## I. NỘI DUNG\nTổ chức ngày hội ở **5 khu phố**.",
    ),
    Chunk("g1", GAMMA.doc_id, ("I. NỘI DUNG",), "Chỉ tiêu so sánh: số hộ a < b & c.", "context", ordinal=1),
    Chunk(
        "g2",
        GAMMA.doc_id,
        ("II. TỔ CHỨC THỰC HIỆN", "1. Công an phường"),
        "- Bảo đảm an ninh trật tự.\n- Phối hợp Đoàn Thanh niên tổ chức ngày hội.",
        "context",
        ordinal=2,
    ),
]
ALPHA_BYTES = "KẾ HOẠCH\nThực hiện Phong trào phường An Bình\n".encode()
GAMMA_BYTES = b"## I. N\xe1\xbb\x98I DUNG\n"


@dataclass
class Site:
    client: TestClient
    documents_dir: Path
    chunks: list[Chunk]


def serve(tmp_path: Path, documents: list[DocumentMeta], chunks: list[Chunk], **kwargs: object) -> TestClient:
    embedder = FakeEmbedder()
    write_index(tmp_path / "index", embedder, documents, chunks, **kwargs)  # type: ignore[arg-type]
    settings = Settings(index_dir=tmp_path / "index", documents_dir=tmp_path / "documents")
    holder = ServiceHolder(tmp_path / "index", embedder)
    return TestClient(create_app(holder, settings, routers=[web_router(holder, settings)]))


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """alpha, beta and gamma indexed with facts; alpha.txt in the documents folder, gamma in a subfolder,
    beta's file gone."""
    documents, chunks = make_corpus()
    gamma_chunks = [Chunk(**{**c.__dict__, "ordinal": len(chunks) + c.ordinal}) for c in GAMMA_CHUNKS]
    every = chunks + gamma_chunks
    folder = tmp_path / "documents"
    (folder / "2025").mkdir(parents=True)
    (folder / "alpha.txt").write_bytes(ALPHA_BYTES)
    (folder / "2025" / GAMMA.source).write_bytes(GAMMA_BYTES)
    client = serve(tmp_path, [*documents, GAMMA], every, facts=corpus_facts())
    return Site(client, folder, every)


class Page(HTMLParser):
    """What the tests read of a page: the ids, the text of each <mark> with the section it stands in, links,
    the text of each table cell and of each heading."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.cells: list[str] = []
        self.headings: dict[str, str] = {}  # id → text of the headings that have one
        self._cell: str | None = None
        self._heading: str | None = None
        self.marks: list[tuple[str, str]] = []  # (anchor of the section it stands in, marked text)
        self.links: list[str] = []
        self._section = ""
        self._in_mark = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        if tag in ("h3", "h4", "h5", "h6") and values.get("id"):
            self._section = values.get("id") or ""  # the text below a section's heading is the section's
        if tag == "mark":
            self._in_mark = True
            self.marks.append((self._section, ""))
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in ("td", "th"):
            self._cell = ""
        if tag in ("h2", "h3", "h4", "h5", "h6") and values.get("id"):
            self._heading = values["id"]
            self.headings[self._heading or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(self._cell.strip())
            self._cell = None
        if tag in ("h2", "h3", "h4", "h5", "h6"):
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell += data
        if self._heading is not None:
            self.headings[self._heading] += data
        if self._in_mark:
            section, text = self.marks[-1]
            self.marks[-1] = (section, text + data)


def listed(client: TestClient, **params: str) -> list[str]:
    """The document links of the list filtered by ``params``."""
    response = client.get("/van-ban", params=params)
    assert response.status_code == 200
    return [link for link in Page(response.text).links if link.startswith("/van-ban/")]


# --- the list --------------------------------------------------------------------------------------


def test_the_list_shows_every_document_with_its_header_and_a_link_to_its_page(site: Site) -> None:
    response = site.client.get("/van-ban")
    assert response.status_code == 200
    assert 'aria-current="page">Văn bản' in response.text
    cells = Page(response.text).cells
    for value in (GAMMA.title, GAMMA.number, GAMMA.date, GAMMA.issuer, GAMMA.locality, GAMMA.province, GAMMA.doc_type):
        assert value in cells
    assert listed(site.client) == [document_url(d) for d in ("alpha", "beta", GAMMA.doc_id)]
    assert "3 văn bản" in response.text
    assert '<th scope="col">Số hiệu</th>' in response.text


def test_the_filters_offer_the_values_of_the_data(site: Site) -> None:
    text = site.client.get("/van-ban").text
    for value in ("Kế hoạch", "Chương trình hành động", "tỉnh Quảng Ninh", "phường An Bình", "xã Tân Hòa"):
        assert f'<option value="{value}">{value}</option>' in text
    for name in ("q", "kind", "province", "locality"):
        assert f'<label for="{name}">' in text


def test_filters_narrow_the_list(site: Site) -> None:
    assert listed(site.client, locality="xã Tân Hòa") == [document_url("beta")]
    assert listed(site.client, kind="Chương trình hành động") == [document_url(GAMMA.doc_id)]
    assert listed(site.client, province="tỉnh Quảng Ninh") == [document_url(GAMMA.doc_id)]
    assert listed(site.client, kind="Kế hoạch", locality="phường An Bình") == [document_url("alpha")]
    assert listed(site.client, kind="Kế hoạch", province="tỉnh Quảng Ninh") == []
    chosen = site.client.get("/van-ban", params={"locality": "xã Tân Hòa"}).text
    assert '<option value="xã Tân Hòa" selected>' in chosen
    assert "1 / 3 văn bản" in chosen


def test_the_search_ignores_diacritics_and_case(site: Site) -> None:
    assert listed(site.client, q="tan hoa") == [document_url("beta")]
    assert listed(site.client, q="AN BINH") == [document_url("alpha")]
    assert listed(site.client, q="uy ban nhan dan phuong ha long") == [document_url(GAMMA.doc_id)]  # issuer
    assert listed(site.client, q="12/kh-ubnd") == [document_url("alpha")]  # number
    assert listed(site.client, q="phong trao phuong") == [document_url("alpha")]  # every word, in the title
    assert listed(site.client, q="khong co dau") == []
    nothing = site.client.get("/van-ban", params={"q": "<b>khong</b>"}).text
    assert "<b>khong</b>" not in nothing and "&lt;b&gt;khong&lt;/b&gt;" in nothing


# --- a document's page -----------------------------------------------------------------------------


def test_the_page_shows_the_metadata_with_vietnamese_labels(site: Site) -> None:
    response = site.client.get(document_url(GAMMA.doc_id))
    assert response.status_code == 200
    assert f">{GAMMA.title}</h1>" in response.text
    labels = {
        "Loại": GAMMA.doc_type,
        "Số hiệu": GAMMA.number,
        "Ngày ban hành": GAMMA.date,
        "Cơ quan ban hành": GAMMA.issuer,
        "Địa bàn": GAMMA.locality,
        "Tỉnh": GAMMA.province,
        "Người ký": GAMMA.signer,
        "Chức vụ người ký": GAMMA.signer_title,
        "Căn cứ / Thực hiện": GAMMA.implements[0],
    }
    for label, value in labels.items():
        assert f"<dt>{label}</dt>\n  <dd>{value}</dd>" in response.text
    assert "<dt>Ngày có hiệu lực</dt>" not in response.text  # unset fields are left out
    assert f'href="{original_url(GAMMA.doc_id)}"' in response.text


def test_every_section_stands_once_with_the_anchor_citations_link_to(site: Site) -> None:
    for doc_id in ("alpha", "beta", GAMMA.doc_id):
        page = Page(site.client.get(document_url(doc_id)).text)
        for chunk in (c for c in site.chunks if c.doc_id == doc_id):
            anchor = section_anchor(chunk.section)
            assert page.ids.count(anchor) == 1, (doc_id, chunk.section)
            assert f"#{anchor}" in page.links  # the outline links to it
        assert len(page.ids) == len(set(page.ids))


def test_a_section_cut_into_several_chunks_shows_them_together_its_heading_line_once(site: Site) -> None:
    text = site.client.get(document_url(GAMMA.doc_id)).text
    anchor = section_anchor("I. NỘI DUNG")
    assert Page(text).headings[anchor] == "I. NỘI DUNG"
    block = text[text.index(f'id="{anchor}"') :]
    block = block[: block.index('<div class="section')]
    assert "Tổ chức ngày hội ở 5 khu phố.\nChỉ tiêu so sánh: số hộ a &lt; b &amp; c." in block  # display form
    assert block.count("I. NỘI DUNG") == 1


def test_a_quote_on_a_heading_line_marks_the_heading(site: Site) -> None:
    page = Page(site.client.get(document_url(GAMMA.doc_id), params={QUOTE_PARAMETER: "## I. NỘI DUNG\nTổ chức"}).text)
    assert [text for _, text in page.marks] == ["I. NỘI DUNG", "Tổ chức"]


def test_the_page_lists_the_documents_facts_each_linking_to_its_line(site: Site) -> None:
    response = site.client.get(document_url("alpha"))
    page = Page(response.text)
    for fact in (f for f in corpus_facts() if f.doc_id == "alpha"):
        assert fact.subject in page.cells
        link = document_url("alpha", fact.section, fact.quote)
        assert link in page.links
        marks = Page(site.client.get(link).text).marks
        assert (section_anchor(fact.section), fact.quote) in marks
    assert "Phòng Văn hóa - Xã hội" not in Page(site.client.get(document_url("beta")).text).cells  # alpha's fact


def test_a_cited_quote_of_a_real_answer_is_marked_on_the_page_the_citation_opens(site: Site) -> None:
    answer = site.client.post("/ask", json={"question": "ai chu tri tham muu o phuong an binh"}).json()
    assert answer["citations"]
    for citation in answer["citations"]:
        link = document_url(citation["doc_id"], citation["section"], citation["quote"])
        response = site.client.get(link)
        assert response.status_code == 200
        page = Page(response.text)
        anchor = link.rsplit("#", 1)[1]
        assert anchor in page.ids
        lines = [line.strip() for line in citation["quote"].split("\n") if line.strip()]
        assert [text for section, text in page.marks if section == anchor] == lines
        assert "Đoạn trích được tô sáng" in response.text


def test_a_quote_spanning_two_lines_marks_each_line(site: Site) -> None:
    quote = "- Bảo đảm an ninh trật tự.\n- Phối hợp Đoàn Thanh niên"
    page = Page(site.client.get(document_url(GAMMA.doc_id), params={QUOTE_PARAMETER: quote}).text)
    anchor = section_anchor("II. TỔ CHỨC THỰC HIỆN > 1. Công an phường")
    assert page.marks == [(anchor, "- Bảo đảm an ninh trật tự."), (anchor, "- Phối hợp Đoàn Thanh niên")]


def test_a_quote_whose_line_breaks_were_lost_is_still_marked(site: Site) -> None:
    quote = "- Bảo đảm an ninh trật tự. - Phối hợp"
    page = Page(site.client.get(document_url(GAMMA.doc_id), params={QUOTE_PARAMETER: quote}).text)
    assert [text for _, text in page.marks] == ["- Bảo đảm an ninh trật tự.", "- Phối hợp"]


def test_a_quote_of_the_files_markdown_across_two_chunks_is_marked_in_the_text_shown(site: Site) -> None:
    quote = "ở **5 khu phố**.\nChỉ tiêu so sánh"  # as the file (the chunk's source) has it
    page = Page(site.client.get(document_url(GAMMA.doc_id), params={QUOTE_PARAMETER: quote}).text)
    assert [text for _, text in page.marks] == ["ở 5 khu phố.", "Chỉ tiêu so sánh"]


def test_html_in_the_quote_and_in_the_text_is_escaped(site: Site) -> None:
    found = site.client.get(document_url(GAMMA.doc_id), params={QUOTE_PARAMETER: "a < b & c"}).text
    assert "<mark>a &lt; b &amp; c</mark>" in found
    hostile = '<script>alert("x")</script><mark>'
    response = site.client.get(document_url(GAMMA.doc_id), params={QUOTE_PARAMETER: hostile})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert Page(response.text).marks == []
    assert "Không tìm thấy đoạn trích" in response.text
    for odd in ("%00%01", "%ED%A0%80", "a" * 20_000):  # control bytes, a UTF-16 surrogate's bytes, far too long
        response = site.client.get(f"{document_url(GAMMA.doc_id)}?{QUOTE_PARAMETER}={odd}")
        assert response.status_code == 200 and "Không tìm thấy đoạn trích" in response.text


def test_a_quote_not_in_the_document_shows_the_page_without_a_mark_and_says_so(site: Site) -> None:
    response = site.client.get(document_url("alpha"), params={QUOTE_PARAMETER: "Công an xã chủ trì"})
    assert response.status_code == 200
    assert Page(response.text).marks == []
    assert "Không tìm thấy đoạn trích" in response.text
    assert "Không tìm thấy đoạn trích" not in site.client.get(document_url("alpha")).text


def test_the_pages_have_no_inline_script_or_style(site: Site) -> None:
    for url in ("/van-ban", document_url(GAMMA.doc_id, quote="a < b"), "/van-ban/nothing"):
        text = site.client.get(url).text
        assert " style=" not in text and "<style" not in text
        assert text.count("<script") == text.count('<script src="/static/')
        assert 'href="#main"' in text  # the skip link


def test_an_unknown_document_is_a_vietnamese_404_page(site: Site) -> None:
    for doc_id in ("nothing", "<b>x</b>", "alpha.txt", "ALPHA", "alpha/goc/x", "\x00", "é" * 3000):
        response = site.client.get(document_url(doc_id))
        assert response.status_code == 404, doc_id
        assert response.headers["content-type"].startswith("text/html")
        assert "Không có văn bản này" in response.text or "Không có trang này" in response.text
        assert "<b>x</b>" not in response.text


# --- the original file -----------------------------------------------------------------------------


def test_the_original_file_is_served_as_it_is_with_its_name(site: Site) -> None:
    response = site.client.get(original_url("alpha"))
    assert response.status_code == 200
    assert response.content == (site.documents_dir / "alpha.txt").read_bytes()
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-disposition"] == "attachment; filename=\"alpha.txt\"; filename*=UTF-8''alpha.txt"


def test_an_original_in_a_subfolder_with_a_vietnamese_name_is_served_with_an_rfc5987_name(site: Site) -> None:
    response = site.client.get(original_url(GAMMA.doc_id))
    assert response.status_code == 200
    assert response.content == GAMMA_BYTES
    assert response.headers["content-type"].startswith("text/markdown")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Ke_hoach_Ha_Long.md"; ')
    assert disposition.endswith("filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20H%E1%BA%A1%20Long.md")


def test_a_missing_original_is_a_404_page_and_the_document_page_says_so(site: Site) -> None:
    response = site.client.get(original_url("beta"))
    assert response.status_code == 404
    assert "Không tìm thấy tệp gốc" in response.text
    page = site.client.get(document_url("beta")).text
    assert original_url("beta") not in page and "Tệp gốc không còn" in page


def test_addresses_reaching_out_of_the_documents_folder_are_404(site: Site) -> None:
    (site.documents_dir.parent / "secret.txt").write_text("secret")
    for path in (
        "/van-ban/..%2Fsecret.txt/goc",
        "/van-ban/..%2F..%2Fetc%2Fpasswd/goc",
        "/van-ban/%2E%2E/goc",
        "/van-ban/alpha.txt/goc",
        "/van-ban/%2Fetc%2Fpasswd/goc",
        "/van-ban/..%5Csecret.txt/goc",
    ):
        response = site.client.get(path)
        assert response.status_code == 404, path
        assert "secret" not in response.text


def test_a_manifest_naming_a_file_outside_the_folder_serves_nothing(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    folder = tmp_path / "documents"
    folder.mkdir()
    os.symlink(outside, folder / "link.txt")
    documents = [
        DocumentMeta(doc_id="up", source="../secret.txt", title="Up"),
        DocumentMeta(doc_id="absolute", source=str(outside), title="Absolute"),
        DocumentMeta(doc_id="link", source="link.txt", title="Link"),
    ]
    chunks = [Chunk(f"x{i}", d.doc_id, ("I. A",), "Nội dung.", "c", ordinal=i) for i, d in enumerate(documents)]
    client = serve(tmp_path, documents, chunks)
    for meta in documents:
        response = client.get(original_url(meta.doc_id))
        assert response.status_code == 404, meta.source
        assert "secret" not in response.text
        assert client.get(document_url(meta.doc_id)).status_code == 200


def test_pdf_and_docx_originals_carry_their_media_types_and_a_safe_name(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    files = {"plan.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 'Kế hoạch "số 5"; a.docx': b"PK\x03\x04docx"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    documents = [DocumentMeta(doc_id=f"d{i}", source=name, title=name) for i, name in enumerate(files)]
    chunks = [Chunk(f"x{i}", d.doc_id, ("I. A",), "Nội dung.", "c", ordinal=i) for i, d in enumerate(documents)]
    client = serve(tmp_path, documents, chunks)
    pdf, docx = client.get(original_url("d0")), client.get(original_url("d1"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content == files["plan.pdf"]
    assert docx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert docx.content == files['Kế hoạch "số 5"; a.docx']
    assert docx.headers["content-disposition"] == (
        'attachment; filename="Ke_hoach_so_5_a.docx"; '
        "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20%22s%E1%BB%91%205%22%3B%20a.docx"
    )
