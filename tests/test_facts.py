"""Structured facts extracted from plans written like the real ones."""

from __future__ import annotations

from bot.ingest import parse_file, parse_text
from bot.ingest.chunking import chunk_document
from bot.ingest.facts import extract_facts, role_of, unit_of_heading
from bot.models import (
    FACT_BASIS,
    FACT_DEADLINE,
    FACT_FUNDING,
    FACT_RESPONSIBILITY,
    FACT_TARGET,
    ROLE_ADVISE,
    ROLE_COORDINATE,
    ROLE_LEAD,
    ROLE_PERFORM,
)
from tests.conftest import DOCUMENTS

PLAN = """ỦY BAN NHÂN DÂN
XÃ TÂN LẬP

Số: 12/KH-UBND
Tân Lập, ngày 05 tháng 3 năm 2026

KẾ HOẠCH
Thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” xã Tân Lập năm 2026

Thực hiện Quyết định số 99/QĐ-UBND ngày 10/02/2026 của UBND huyện về thực hiện Phong trào.

I. MỤC TIÊU
- Phấn đấu 92% hộ gia đình được công nhận danh hiệu “Gia đình văn hóa”.
- Có 5 thôn đạt chuẩn văn hóa.

II. KINH PHÍ
Kinh phí thực hiện từ nguồn ngân sách Nhà nước và nguồn xã hội hóa.

III. TỔ CHỨC THỰC HIỆN
1. Công chức Văn hóa - Xã hội
- Tham mưu UBND xã triển khai Kế hoạch.
- Chủ trì tổng hợp, báo cáo kết quả trước ngày 15/11/2026.
2. Đề nghị Ủy ban Mặt trận Tổ quốc xã
- Phối hợp tuyên truyền, vận động Nhân dân hưởng ứng Phong trào.
- Giám sát việc thực hiện hàng năm.

Nơi nhận:
- UBND huyện;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""


def _facts():  # type: ignore[no-untyped-def]
    doc = parse_text(PLAN, source="tan-lap.txt")
    chunks = chunk_document(doc)
    return extract_facts(doc, chunks), {c.chunk_id: c.text for c in chunks}


def test_unit_headings_and_roles() -> None:
    assert unit_of_heading("1.7. Bí thư Đoàn thanh niên") == "Bí thư Đoàn thanh niên"
    assert unit_of_heading("2. Đề nghị Ủy ban Mặt trận Tổ quốc xã") == "Ủy ban Mặt trận Tổ quốc xã"
    assert unit_of_heading("1. Mục đích") is None
    assert role_of("- Chủ trì, phối hợp với ...") == ROLE_LEAD
    assert role_of("- Phối hợp tuyên truyền") == ROLE_COORDINATE
    assert role_of("- Tham mưu UBND xã") == ROLE_ADVISE
    assert role_of("- Giám sát việc thực hiện") == ROLE_PERFORM


def test_every_kind_is_extracted_with_verbatim_quotes() -> None:
    facts, texts = _facts()
    assert all(f.quote in texts[f.chunk_id] for f in facts)
    duties = {(f.subject, f.role, f.detail) for f in facts if f.kind == FACT_RESPONSIBILITY}
    assert ("Công chức Văn hóa - Xã hội", ROLE_ADVISE, "- Tham mưu UBND xã triển khai Kế hoạch.") in duties
    assert (
        "Ủy ban Mặt trận Tổ quốc xã",
        ROLE_COORDINATE,
        "- Phối hợp tuyên truyền, vận động Nhân dân hưởng ứng Phong trào.",
    ) in duties
    targets = {f.value: f for f in facts if f.kind == FACT_TARGET}
    assert set(targets) == {"92%", "5"}
    assert targets["92%"].detail == "2026"
    deadlines = {f.value for f in facts if f.kind == FACT_DEADLINE}
    assert "trước ngày 15/11/2026" in deadlines and "hàng năm" in deadlines
    assert "10/02/2026" not in " ".join(deadlines)  # the date of the cited decision is not a deadline
    funding = [f for f in facts if f.kind == FACT_FUNDING]
    assert funding and "xã hội hóa" in funding[0].subject
    basis = [f for f in facts if f.kind == FACT_BASIS]
    assert [(b.subject, b.value) for b in basis] == [("Quyết định số 99/QĐ-UBND", "10/02/2026")]


def test_appendix_rows_become_facts() -> None:
    doc = parse_file(next(DOCUMENTS.glob("le-chan*")))
    facts = extract_facts(doc, chunk_document(doc))
    rows = [f for f in facts if f.kind == FACT_RESPONSIBILITY and "\t" in f.quote]
    leads = {(f.detail, f.subject) for f in rows if f.role == ROLE_LEAD}
    assert ("Phòng, chống tệ nạn xã hội", "Công an phường") in leads
    deadlines = {(f.subject, f.value) for f in facts if f.kind == FACT_DEADLINE and "\t" in f.quote}
    assert ("Xây dựng, thực hiện quy ước, hương ước", "2026-2027") in deadlines
