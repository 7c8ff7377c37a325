"""Questions about a plan's own header: which fields are asked, where the plan states them."""

from __future__ import annotations

import pytest

from bot.answering.header import DATE, ISSUER, NUMBER, asked_fields, blank_note, locate
from bot.models import KIND_HEADER, KIND_PREAMBLE, Chunk, DocumentMeta


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
