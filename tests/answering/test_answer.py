from __future__ import annotations

import re

import pytest

from bot.answering.answer import NOT_FOUND_SENTENCE, STATUS_ANSWERED, STATUS_NOT_FOUND
from bot.answering.engine import AnswerService
from bot.answering.lines import with_labels
from bot.errors import QueryError
from bot.query.terms import folded_terms


def _quotes_are_verbatim(service: AnswerService, answer_citations: tuple) -> None:  # type: ignore[type-arg]
    texts = {c.chunk_id: c.source or c.text for c in service.retriever.snapshot.chunks}
    for citation in answer_citations:
        assert any(citation.quote in text for text in texts.values())


def test_answer_for_named_locality_cites_its_plan(service: AnswerService) -> None:
    answer = service.ask("Ở phường An Bình, kinh phí thực hiện lấy từ nguồn nào?")
    assert answer.status == STATUS_ANSWERED
    assert "ngân sách Nhà nước" in answer.answer
    assert [c.locality for c in answer.citations] == ["phường An Bình"]
    assert answer.citations[0].section == "III. KINH PHÍ"
    _quotes_are_verbatim(service, answer.citations)


def test_question_without_locality_lists_each_plan(service: AnswerService) -> None:
    answer = service.ask("bao nhieu phan tram gia dinh duoc cong nhan danh hieu gia dinh van hoa")
    assert answer.status == STATUS_ANSWERED
    assert {c.locality for c in answer.citations} == {"phường An Bình", "xã Tân Hòa"}
    assert "95%" in answer.answer and "90%" in answer.answer
    _quotes_are_verbatim(service, answer.citations)


def test_locality_parameter_limits_the_plans(service: AnswerService) -> None:
    answer = service.ask("gia đình được công nhận danh hiệu gia đình văn hóa", locality="xã Tân Hòa")
    assert {c.locality for c in answer.citations} == {"xã Tân Hòa"}
    unknown = service.ask("tỷ lệ gia đình văn hóa", locality="Hà Nội")
    assert unknown.status == STATUS_NOT_FOUND and "Hà Nội" in unknown.answer


def test_table_row_answer_names_lead_unit(service: AnswerService) -> None:
    answer = service.ask("Hoạt động văn nghệ quần chúng do đơn vị nào chủ trì?")
    assert answer.status == STATUS_ANSWERED
    assert "chủ trì: Trung tâm Văn hóa" in answer.answer
    assert answer.citations[0].quote.startswith("1\tTổ chức hoạt động văn nghệ")


def test_unrelated_question_is_not_found(service: AnswerService) -> None:
    answer = service.ask("Who won the 2022 FIFA World Cup?")
    assert answer.status == STATUS_NOT_FOUND
    assert NOT_FOUND_SENTENCE in answer.answer
    assert answer.citations == ()


def test_place_no_plan_covers_is_not_found(service: AnswerService) -> None:
    answer = service.ask("xa hong phong dat chi tieu gia dinh van hoa bao nhieu")
    assert answer.status == STATUS_NOT_FOUND
    assert "Chưa có kế hoạch nào của xã Hồng Phong" in answer.answer  # as the gazetteer spells it


def _numbers_outside_citations(answer_text: str, citations: tuple) -> set[str]:  # type: ignore[type-arg]
    grounded = " ".join(f"{c.quote} {c.section} {c.title}" for c in citations)
    return set(re.findall(r"\d+", answer_text)) - set(re.findall(r"\d+", grounded))


def test_quantity_not_stated_is_not_found(service: AnswerService) -> None:
    answer = service.ask("Tổng kinh phí thực hiện của phường An Bình là bao nhiêu tỷ đồng?")
    assert answer.status == STATUS_NOT_FOUND
    assert not _numbers_outside_citations(answer.answer, answer.citations)


@pytest.mark.parametrize("question", ["", "   \n", "x" * 201])
def test_unusable_questions_raise(service: AnswerService, question: str) -> None:
    with pytest.raises(QueryError):
        service.ask(question)


def test_bigrams_pair_only_words_standing_side_by_side() -> None:
    terms = folded_terms("Kế hoạch của Sơn La do ai ký?")
    assert {"ke", "hoach", "son", "ky", "ke_hoach"} <= set(terms)
    # "của", "do", "ai" are function words: the content words around them are not neighbours
    assert "hoach_son" not in terms and "son_ky" not in terms


def test_value_the_plans_do_not_state_is_not_found_with_the_closest_line(service: AnswerService) -> None:
    # the funding line names sources, not an amount; the targets state percentages, not a day
    money = service.ask("Ở phường An Bình, kinh phí thực hiện là bao nhiêu tiền?")
    assert money.status == STATUS_NOT_FOUND
    assert "số tiền" in money.answer and "ngân sách Nhà nước" in money.answer
    assert [c.section for c in money.citations] == ["III. KINH PHÍ"]
    _quotes_are_verbatim(service, money.citations)
    venue = service.ask("Công an xã Tân Hòa chủ trì phòng, chống tệ nạn xã hội tại địa điểm nào?")
    assert venue.status == STATUS_NOT_FOUND and "địa điểm" in venue.answer
    assert [c.locality for c in venue.citations] == ["xã Tân Hòa"]
    for answer in (money, venue):
        assert not _numbers_outside_citations(answer.answer, answer.citations)


def test_value_the_plans_state_is_answered(service: AnswerService) -> None:
    answer = service.ask("Phường An Bình tổng hợp báo cáo trước ngày nào?")
    assert answer.status == STATUS_ANSWERED
    assert "15/6/2026" in answer.answer


def test_unaccented_words_in_accented_text_are_content_words() -> None:
    # "Ban" (a committee) in text typed with diacritics; "ban" (bạn, a particle) in chat typed without
    assert "ban" in folded_terms("Trưởng Ban Chỉ đạo phụ trách chung")
    assert "ban" not in folded_terms("ban oi cho minh hoi")


def test_terms_weigh_less_when_every_passage_of_the_scope_has_them(service: AnswerService) -> None:
    question = "phường An Bình tổng hợp báo cáo"
    overall = service.query_terms(question).weights
    within = service.query_terms(question, within={"alpha"}).weights
    # the place is in every passage of its own plan: it tells them apart no more
    assert within["binh"] < overall["binh"]
    assert within["binh"] < within["bao"]


def test_framing_words_weigh_less_than_the_matter_of_the_question(service: AnswerService) -> None:
    plain = service.query_terms("ai phụ trách tuyên truyền").weights
    framed = service.query_terms("ai phụ trách tuyên truyền", framing=frozenset({"phu", "trach"})).weights
    assert framed["phu_trach"] < plain["phu_trach"] and framed["trach"] < plain["trach"]
    assert framed["tuyen_truyen"] == plain["tuyen_truyen"]


def test_a_sentence_from_the_middle_of_a_labelled_paragraph_keeps_its_label() -> None:
    text = (
        "- Công chức Văn hóa - Xã hội (Phụ trách Chính sách xã hội): phối hợp thực hiện các nội dung. "
        "Chủ trì xây dựng quỹ “Đền ơn đáp nghĩa” của thị trấn.\n- Các đơn vị trường học: phối hợp tuyên truyền."
    )
    sentence = "Chủ trì xây dựng quỹ “Đền ơn đáp nghĩa” của thị trấn."
    assert with_labels((sentence,), text) == ("Công chức Văn hóa - Xã hội (Phụ trách Chính sách xã hội)", sentence)
    # a line quoted from its start names its unit already
    first = "- Các đơn vị trường học: phối hợp tuyên truyền."
    assert with_labels((first,), text) == (first,)


def test_english_question_with_words_the_plans_never_use(service: AnswerService) -> None:
    # "where", "come", "from" are unknown to the plans; the term map understood "funding" and "ward"
    answer = service.ask("Where does the funding for the An Binh ward plan come from?")
    assert answer.status == STATUS_ANSWERED
    assert "ngân sách Nhà nước" in answer.answer
    assert service.ask("Who won the 2022 FIFA World Cup?").status == STATUS_NOT_FOUND
