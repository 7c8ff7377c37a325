"""Recognising questions across documents, typed with and without diacritics."""

from __future__ import annotations

import pytest

from bot.query.across import AcrossKind, Reference, read_across


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Chỉ tiêu gia đình văn hóa của Kinh Môn và Cao Lộc khác nhau thế nào?", AcrossKind.COMPARE),
        ("chi tieu gia dinh van hoa cua kinh mon va cao loc khac nhau the nao", AcrossKind.COMPARE),
        ("So sánh chỉ tiêu của phường A và xã B", AcrossKind.COMPARE),
        ("Văn bản nào mới nhất?", AcrossKind.NEWEST),
        ("ke hoach nao duoc ban hanh gan day nhat", AcrossKind.NEWEST),
        ("kế hoạch nào ban hành sớm nhất", AcrossKind.OLDEST),
        ("van ban cu nhat la van ban nao", AcrossKind.OLDEST),
        ("Những văn bản nào căn cứ Nghị định 86/2023/NĐ-CP?", AcrossKind.CITING),
        ("nhung van ban nao can cu nghi dinh 86/2023/nd-cp", AcrossKind.CITING),
        ("các kế hoạch có ghi cùng ngày ban hành của Kế hoạch 14/KH-BCĐ không", AcrossKind.CITING),
        ("Các văn bản của tỉnh Gia Lai", AcrossKind.OF_PLACE),
        ("tinh gia lai co nhung van ban nao", AcrossKind.OF_PLACE),
        ("Bao nhiêu kế hoạch đặt chỉ tiêu gia đình văn hóa?", AcrossKind.COUNT_TARGETS),
        ("co may ke hoach dat chi tieu ve nha van hoa", AcrossKind.COUNT_TARGETS),
    ],
)
def test_kinds(question: str, kind: AcrossKind) -> None:
    reading = read_across(question)
    assert reading is not None and reading.kind == kind


@pytest.mark.parametrize(
    "question",
    [
        "ai chủ trì tuyên truyền",
        "Nghị định 86/2023/NĐ-CP được ban hành ngày nào?",  # a header question about one document
        "Kế hoạch của thị trấn Cao Lộc có những chỉ tiêu 100% nào?",
        "nhiệm vụ đầu tiên của kế hoạch là gì",  # "đầu tiên" of a task, not of a document
        "Các kế hoạch của Kinh Môn có chỉ tiêu gì",  # about the plans' content, not their list
    ],
)
def test_other_questions_are_none(question: str) -> None:
    reading = read_across(question)
    assert reading is None or reading.kind not in (AcrossKind.OF_PLACE, AcrossKind.CITING, AcrossKind.OLDEST)


def test_parts() -> None:
    citing = read_across("các kế hoạch nào căn cứ NĐ 86/2023/NĐ-CP")
    assert citing is not None and citing.reference == Reference("nghi dinh", ("86", "2023", "nd", "cp"))
    assert citing.doc_kind == "ke hoach"  # the citing documents' kind, not the cited one's
    place = read_across("Các văn bản của tỉnh Gia Lai có những gì vậy?")
    assert place is not None and place.place == "tinh gia lai"
    count = read_across("bao nhiêu kế hoạch đặt chỉ tiêu gia đình văn hóa")
    assert count is not None and count.topic == "gia dinh van hoa"
    newest = read_across("quyết định nào mới nhất")
    assert newest is not None and newest.doc_kind == "quyet dinh"
