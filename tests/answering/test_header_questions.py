"""Questions about a plan's own header: which fields are asked, where the plan states them."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from bot.answering.header import (
    DATE,
    EFFECTIVE,
    ISSUER,
    NUMBER,
    SIGNER_FIELD,
    TITLE,
    asked_fields,
    blank_note,
    header_answer,
    locate,
)
from bot.models import KIND_HEADER, KIND_PREAMBLE, KIND_SIGNATURE, Chunk, DocumentMeta


@pytest.mark.parametrize(
    ("question", "fields"),
    [
        ("Kế hoạch của phường Kinh Môn có số hiệu gì và ban hành ngày nào?", (NUMBER, DATE)),
        ("so hieu ke hoach cua kinh mon", (NUMBER,)),
        ("văn bản này do cơ quan nào ban hành vậy ad", (ISSUER,)),
        ("kế hoạch ban hành tháng mấy, có ghi số không", (NUMBER, DATE)),
        # another document's date is not the plan's header
        ("Quyết định 530/QĐ-UBND ban hành ngày nào?", ()),
        ("ai chủ trì tuyên truyền", ()),
        # "do ai ký" asks the signer, not the issuer ("do ai" alone would)
        ("kế hoạch này do ai ký", (SIGNER_FIELD,)),
        ("Kế hoạch được ban hành và có hiệu lực từ ngày nào?", (DATE, EFFECTIVE)),
        ("when was the plan issued and when did it take effect", (DATE, EFFECTIVE)),
        # "hiệu lực" as a word of the content is no header question
        ("giải pháp nâng cao hiệu lực, hiệu quả lãnh đạo là gì", ()),
        # what a decision regulates or approves is its title; what it says about a matter is not
        ("Văn bản này quy định về nội dung gì?", (TITLE,)),
        ("văn bản phê duyệt đề án gì", (TITLE,)),
        ("kế hoạch quy định gì về việc cưới, việc tang", ()),
    ],
)
def test_asked_fields(question: str, fields: tuple[str, ...]) -> None:
    assert asked_fields(question) == fields


def _chunk(kind: str, text: str, ordinal: int) -> Chunk:
    return Chunk(chunk_id=f"c{ordinal}", doc_id="d", section_path=(), text=text, context="", kind=kind, ordinal=ordinal)


HEADER = _chunk(KIND_HEADER, "ỦY BAN NHÂN DÂN\nXÃ TÂN LẬP\nSố: 12/KH-UBND\nTân Lập, ngày 05 tháng 3 năm 2026", 0)
PREAMBLE = _chunk(KIND_PREAMBLE, "Ủy ban nhân dân xã ban hành Kế hoạch thực hiện Phong trào như sau:", 1)
META = DocumentMeta(
    doc_id="d",
    source="d.txt",
    title="Kế hoạch",
    number="12/KH-UBND",
    date="05/03/2026",
    issuer="Ủy ban nhân dân xã Tân Lập",
)


def test_each_value_is_located_on_the_lines_that_state_it() -> None:
    number = locate(META, NUMBER, [PREAMBLE, HEADER])
    assert number is not None and number.lines == ("Số: 12/KH-UBND",) and number.chunk is HEADER
    date = locate(META, DATE, [PREAMBLE, HEADER])
    # dates are compared by their numbers and shown as the plan writes them
    assert date is not None and date.value == "ngày 05 tháng 3 năm 2026"
    assert date.lines == ("Tân Lập, ngày 05 tháng 3 năm 2026",)
    issuer = locate(META, ISSUER, [PREAMBLE, HEADER])
    # the issuer stands on two header lines
    assert issuer is not None and issuer.lines == ("ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP")
    # put together from the preamble and the title, it is cited where the plan says who issues it
    derived = locate(META, ISSUER, [PREAMBLE, _chunk(KIND_HEADER, "Số: 12/KH-UBND", 0)])
    assert derived is not None and derived.chunk is PREAMBLE


def test_unknown_values_are_not_located_and_blanks_are_named() -> None:
    blank = DocumentMeta(doc_id="d", source="d.txt", title="Kế hoạch", number="/KH-BCĐ", date="tháng 3 năm 2024")
    assert locate(blank, ISSUER, [HEADER]) is None
    assert blank_note(NUMBER, "/KH-BCĐ") == " (chưa ghi số)"
    assert blank_note(DATE, "tháng 3 năm 2024") == " (không ghi ngày cụ thể)"
    assert blank_note(DATE, "ngày 05 tháng 3 năm 2026") == ""


SIGNED = DocumentMeta(
    doc_id="s",
    source="s.txt",
    title="Kế hoạch",
    number="14/KH-BCĐ",
    date="04/01/2023",
    effective_date="04/01/2023",
    signer="Nguyễn Văn An",
    signer_title="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
)
PORTAL = _chunk(
    KIND_HEADER, "Số hiệu 14/KH-BCĐ\nNgày ban hành 04/01/2023\nNgày có hiệu lực 04/01/2023\nNgười ký Nguyễn Văn An", 0
)
SIGNATURE = _chunk(KIND_SIGNATURE, "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An", 5)


def test_the_signer_is_cited_from_the_signature_with_the_titles_above_the_name() -> None:
    found = locate(SIGNED, SIGNER_FIELD, [PORTAL, SIGNATURE])
    assert found is not None and found.chunk is SIGNATURE
    # the titles of signer_title that stand right above the name; "TM. ..." is not one of them
    assert found.lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")
    # without a signature block, a portal's "Người ký" line
    portal_only = locate(SIGNED, SIGNER_FIELD, [PORTAL])
    assert portal_only is not None and portal_only.lines == ("Người ký Nguyễn Văn An",)


def test_neighbouring_values_make_one_citation_and_the_signer_shows_his_titles() -> None:
    corpus = SimpleNamespace(chunks_of={"s": [PORTAL, SIGNATURE]}, localities=[])
    answer = header_answer((DATE, EFFECTIVE), [SIGNED], corpus)  # type: ignore[arg-type]
    # the issue date beside the date in effect, both cited by one quote of the two lines
    assert [c.quote for c in answer.citations] == ["Ngày ban hành 04/01/2023\nNgày có hiệu lực 04/01/2023"]
    assert "ban hành ngày 04/01/2023 [1]" in answer.answer and "ngày có hiệu lực: 04/01/2023 [1]" in answer.answer
    signer = header_answer((SIGNER_FIELD,), [SIGNED], corpus)  # type: ignore[arg-type]
    assert "Nguyễn Văn An (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)" in signer.answer
    unsigned = replace(SIGNED, signer=None, effective_date=None)
    # optional fields the metadata lacks are not said to be "không ghi": nothing stated, not_found
    assert header_answer((SIGNER_FIELD,), [unsigned], corpus).status == "not_found"  # type: ignore[arg-type]


def test_the_national_title_motto_and_separators_are_never_quoted_lines() -> None:
    from bot.answering.lines import is_boilerplate

    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "CỘNG", "-------", "***"):
        assert is_boilerplate(line), line
    for line in ("PHÊ DUYỆT ĐỀ ÁN NÂNG CAO CHẤT LƯỢNG", "Số: 2295/QĐ-UBND", "ỦY BAN NHÂN DÂN"):
        assert not is_boilerplate(line), line


def test_a_field_glued_to_its_heading_is_quoted_without_it() -> None:
    from bot.answering.lines import without_heading

    assert without_heading("Thẩm quyền giải quyếtUBND cấp xã", "Thẩm quyền giải quyết") == "UBND cấp xã"
    # a heading starting a sentence is its subject: kept
    line = "Phòng Văn hóa - Thông tin chủ trì tổ chức"
    assert without_heading(line, "Phòng Văn hóa - Thông tin") == line
