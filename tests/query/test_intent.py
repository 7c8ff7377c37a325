from __future__ import annotations

import pytest

from bot.models import FACT_DEADLINE, FACT_RESPONSIBILITY
from bot.query.intent import (
    BASIS,
    CONTENT,
    COUNT,
    DATE,
    FUNDING,
    MONEY,
    PERSON,
    PLACE,
    RECIPIENTS,
    SIGNER,
    TARGET,
    WHEN,
    WHO,
    detect_intent,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Đơn vị nào chủ trì tổ chức lễ hội?", WHO),
        ("ai lo vụ này vậy", WHO),
        ("Who leads the festival?", WHO),
        ("Báo cáo gửi trước ngày nào?", WHEN),
        ("bao lau mot lan", WHEN),
        ("chỉ tiêu gia đình văn hóa là bao nhiêu phần trăm", TARGET),
        ("kinh phi lay tu dau", FUNDING),
        ("Kế hoạch thực hiện quyết định nào?", BASIS),
        ("qđ 1234 nói về cái gì", BASIS),
        ("văn bản được gửi tới những nơi nào", RECIPIENTS),
        ("ke hoach do ai ky", SIGNER),
        ("Kế hoạch đề cập nội dung giáo dục nào?", CONTENT),
    ],
)
def test_intent_kinds(question: str, kind: str) -> None:
    assert detect_intent(question).kind == kind


def test_flags_and_fact_kinds() -> None:
    listing = detect_intent("Trường học có những nhiệm vụ gì?")
    assert listing.wants_list and not listing.wants_quantity
    quantity = detect_intent("Có bao nhiêu công chức?")
    assert quantity.wants_quantity
    premise = detect_intent("Chỉ tiêu 60% có đúng không?")
    assert premise.yes_no and premise.figures == ("60%",) and premise.kind == TARGET
    assert detect_intent("ai chủ trì").fact_kind == FACT_RESPONSIBILITY
    assert detect_intent("khi nào").fact_kind == FACT_DEADLINE
    assert detect_intent("văn bản gửi tới đâu").fact_kind is None


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Giải thưởng cho cá nhân xuất sắc là bao nhiêu tiền?", MONEY),
        ("kinh phi thuc hien ke hoach la bao nhieu", MONEY),
        ("How much money is allocated to the movement?", MONEY),
        ("thị trấn có tổng cộng bao nhiêu hộ gia đình", COUNT),
        ("Hội nghị tổ chức ngày nào?", DATE),
        ("On what date is the conference?", DATE),
        ("Hội nghị tổ chức tại hội trường nào?", PLACE),
        ("Where will the review conference be held?", PLACE),
        ("trưởng ban chỉ đạo phong trào tên là gì vậy", PERSON),
        ("What is the name of the head of the steering committee?", PERSON),
        ("ai phụ trách tuyên truyền", None),
        ("kinh phí lấy từ đâu", None),
        ("chỉ tiêu gia đình văn hóa là bao nhiêu phần trăm", None),
        ("Báo cáo gửi khi nào?", None),
    ],
)
def test_the_value_a_question_asks_for(question: str, value: str | None) -> None:
    assert detect_intent(question).value == value


def test_a_counted_list_is_a_list() -> None:
    assert detect_intent("Kế hoạch đánh giá kết quả thực hiện 7 phong trào nào?").wants_list
    assert detect_intent("hội nghị đánh giá mấy cái tồn tại, hạn chế nào vậy").wants_list
    assert not detect_intent("Phong trào nào do Đoàn Thanh niên chủ trì?").wants_list


def test_who_questions_know_their_framing_words() -> None:
    assert {"phu", "trach"} <= detect_intent("ai phụ trách tuyên truyền").framing
    assert detect_intent("chỉ tiêu gia đình văn hóa").framing == frozenset()
