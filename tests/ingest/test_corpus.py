"""The real documents of ../shared/corpus: expected metadata, read from INDEX.md and each header.

The files are excerpts copied from public portals and legal-document sites (see INDEX.md there);
they are read in place, never copied here. Where INDEX.md says more than the text does (09: "UBND
TP Hồ Chí Minh" where the text says "UBND TP"; 08: a plan date the summary does not give), the
expectation is what the text states: nothing is guessed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest import parse_file
from bot.ingest.chunking import chunk_document
from bot.ingest.issuer import is_motto
from bot.ingest.kinds import citation_label
from bot.ingest.report import describe
from bot.models import KIND_BODY, KIND_HEADER, ParsedDocument
from bot.text.normalize import match_form

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# file → (kind, number, date, issuer)
EXPECTED: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "01_kh14-bcdtw-2023.txt": (
        "Kế hoạch",
        "14/KH-BCĐ",
        "04/01/2023",
        "Ban Chỉ đạo Trung ương Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”",
    ),
    "02_nd86-2023-nd-cp.txt": ("Nghị định", "86/2023/NĐ-CP", "07/12/2023", "Chính phủ"),
    "03_qd22-2024-phutho-tieuchuan.txt": ("Quyết định", "22/2024/QĐ-UBND", "19/9/2024", "Ủy ban nhân dân tỉnh Phú Thọ"),
    "04_qd2295-2021-thaibinh-dean.txt": ("Quyết định", "2295/QĐ-UBND", "20/9/2021", "Ủy ban nhân dân tỉnh Thái Bình"),
    "05_bc20-2020-thieuduy-tongket20nam.txt": (
        "Báo cáo",
        "20/UBND-BCĐPT",
        "11/8/2020",
        "Ủy ban nhân dân xã Thiệu Duy – BCĐ phong trào “ Toàn dân ĐKXD-ĐSVH”",
    ),
    "06_kh-canglong-travinh-2022-2026.txt": ("Kế hoạch", None, "25/5/2022", "UBND huyện Càng Long"),
    "07_kh74-2022-danang.txt": ("Kế hoạch", "74/KH-UBND", "09/4/2022", "UBND thành phố Đà Nẵng"),
    "08_kh47-2020-bache-quangninh.txt": ("Kế hoạch", "47/KH-BCĐ", None, 'Ban chỉ đạo "TDĐKXDĐSVH" huyện Ba Chẽ'),
    "09_kh-tphcm-2022-2026.txt": ("Kế hoạch", None, None, "UBND TP"),
    "10_kh-bcd-tphcm-2023.txt": (
        "Kế hoạch",
        None,
        None,
        "Ban Chỉ đạo Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” Thành phố",
    ),
    "11_nd86-trinhtu-gdvh-tanbinh-tayninh.txt": ("Tin bài", None, "18/12/2023", None),
    "12_tthc-gdvh-hangnam-gialai-nd122.txt": ("Thủ tục hành chính", None, None, None),
    "13_ketqua-2023-andien-bencat.txt": ("Tin bài", None, None, None),
    "14_tongket-2024-iadreh-krongpa.txt": ("Tin bài", None, "10/01/2025", None),
}


@pytest.fixture(scope="module")
def corpus() -> dict[str, ParsedDocument]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    missing = [name for name in EXPECTED if not (CORPUS / name).exists()]
    if missing:
        pytest.skip(f"../shared/corpus lacks {missing}")
    return {name: parse_file(CORPUS / name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata(corpus: dict[str, ParsedDocument], name: str) -> None:
    meta = corpus[name].meta
    assert (meta.kind, meta.number, meta.date, meta.issuer) == EXPECTED[name]


def test_other_fields(corpus: dict[str, ParsedDocument]) -> None:
    kh14 = corpus["01_kh14-bcdtw-2023.txt"].meta
    assert (kh14.signer, kh14.effective_date) == ("Nguyễn Văn Hùng", "04/01/2023")
    assert kh14.implements[0].startswith("Quyết định số 2214/QĐ-TTg ngày 28 tháng 12 năm 2021")
    qd22 = corpus["03_qd22-2024-phutho-tieuchuan.txt"].meta
    assert qd22.signer == "Bùi Văn Quang"
    assert qd22.effective_date is None  # the site writes "Ngày hiệu lực: Đã biết": a placeholder, not a date
    assert corpus["06_kh-canglong-travinh-2022-2026.txt"].meta.issued_with == "Quyết định số 1671/QĐ-UBND"
    assert corpus["08_kh47-2020-bache-quangninh.txt"].meta.published == "14/04/2020"
    bc20 = corpus["05_bc20-2020-thieuduy-tongket20nam.txt"].meta
    assert bc20.published == "19/08/2020"
    assert bc20.implements[0].startswith("kế hoạch số 418/KH – UBND")
    assert corpus["09_kh-tphcm-2022-2026.txt"].meta.title.startswith("Kế hoạch thực hiện Phong trào")


def test_citation_labels(corpus: dict[str, ParsedDocument]) -> None:
    labels = {name: citation_label(doc.meta) for name, doc in corpus.items()}
    assert labels["02_nd86-2023-nd-cp.txt"] == "Nghị định số 86/2023/NĐ-CP"
    assert labels["01_kh14-bcdtw-2023.txt"] == "Kế hoạch số 14/KH-BCĐ"
    assert labels["06_kh-canglong-travinh-2022-2026.txt"] == "Kế hoạch ban hành kèm theo Quyết định số 1671/QĐ-UBND"
    assert labels["14_tongket-2024-iadreh-krongpa.txt"] == "Tin bài ngày 10/01/2025"


def test_legal_numbering(corpus: dict[str, ParsedDocument]) -> None:
    paths = [" > ".join(s.path) for s in corpus["02_nd86-2023-nd-cp.txt"].sections]
    assert "Chương I > Điều 1. Phạm vi điều chỉnh" in paths
    assert "Chương I > Điều 1. Phạm vi điều chỉnh > 1" in paths
    assert "Chương I > Điều 2. Đối tượng áp dụng" in paths
    qd = {s.heading: s.text for s in corpus["04_qd2295-2021-thaibinh-dean.txt"].sections}
    # a truncated article with nothing under it is content, not an empty heading
    assert qd["Điều 2"].startswith("Điều 2. Sở Văn hóa, Thể thao và Du lịch có trách nhiệm")
    bc = [s.path for s in corpus["05_bc20-2020-thieuduy-tongket20nam.txt"].sections]
    assert ("Phần thứ nhất", "I. CÔNG TÁC LÃNH ĐẠO CHỈ ĐẠO") in bc


def test_texts_without_headings_are_cut(corpus: dict[str, ParsedDocument]) -> None:
    record = {s.heading for s in corpus["12_tthc-gdvh-hangnam-gialai-nd122.txt"].sections}
    assert {"Trình tự thực hiện", "Thời gian giải quyết", "Thẩm quyền giải quyết", "Yêu cầu"} <= record
    for name in ("06_kh-canglong-travinh-2022-2026.txt", "13_ketqua-2023-andien-bencat.txt"):
        bodies = [s for s in corpus[name].sections if s.kind == KIND_BODY]
        assert len(bodies) >= 4, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_boilerplate_is_never_content_or_metadata(corpus: dict[str, ParsedDocument], name: str) -> None:
    doc = corpus[name]
    for section in doc.sections:
        for line in section.text.split("\n"):
            assert not is_motto(line), (section.path, line)
            assert line.strip("-–—_=|* ") != "" or not line, (section.path, line)
    for chunk in chunk_document(doc):
        if chunk.kind != KIND_HEADER:
            assert "Thứ hai - 18/12/2023" not in chunk.text
            assert "Tác giả bài viết" not in chunk.text
    meta = doc.meta
    for value in (meta.title, meta.issuer, meta.locality, meta.signer, meta.number, meta.date):
        if value:
            assert "xã hội chủ nghĩa" not in match_form(value)
            assert "độc lập" not in match_form(value)


def test_inspect_shows_the_metadata(corpus: dict[str, ParsedDocument]) -> None:
    text = describe(corpus["02_nd86-2023-nd-cp.txt"])
    for expected in ("Loại văn bản: Nghị định", "Số hiệu: 86/2023/NĐ-CP", "Cơ quan ban hành: Chính phủ"):
        assert expected in text
    assert "Tên trích dẫn: Nghị định số 86/2023/NĐ-CP" in text
