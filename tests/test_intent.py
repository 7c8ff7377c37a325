from __future__ import annotations

import pytest

from bot.intent import BASIS, CONTENT, FUNDING, RECIPIENTS, SIGNER, TARGET, WHEN, WHO, detect_intent
from bot.models import FACT_DEADLINE, FACT_RESPONSIBILITY


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
