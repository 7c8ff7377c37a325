"""The development-set judge: normalisation, answer/citation/abstention/recall rules, reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.evaluation.gold import EvalQuestion, load_questions
from bot.evaluation.judge import abstention_correct, answer_correct, citation_hit, judge_normalise, recall_at_k
from bot.evaluation.report import format_report, report_as_dict
from bot.evaluation.run import evaluate
from tests.conftest import SHARED

TAB_ROW = "Tuyên truyền trên hệ thống truyền thanh\tUBND phường\tTrung tâm Dịch vụ sự nghiệp công"
DEV_SET = SHARED / "eval" / "dev.jsonl"


def make_question(**overrides: Any) -> EvalQuestion:
    fields: dict[str, Any] = {
        "id": "t001",
        "question": "Ai chịu trách nhiệm tuyên truyền?",
        "doc": ("000.txt",),
        "locality": ("phường Lê Chân",),
        "section": ("IV. TỔ CHỨC THỰC HIỆN > 5. Trung tâm Dịch vụ sự nghiệp công",),
        "evidence": (TAB_ROW,),
        "answer": "UBND phường chủ trì.",
        "must_include": ("Ủy ban nhân dân phường|UBND phường", "Trung tâm Dịch vụ sự nghiệp công"),
        "type": "responsibility",
        "style": "formal",
    }
    fields.update(overrides)
    return EvalQuestion(**fields)


UNANSWERABLE = make_question(
    id="t002",
    question="Xã Hồng Phong đạt chỉ tiêu gia đình văn hóa bao nhiêu?",
    doc=(),
    locality=(),
    section=(),
    evidence=(),
    answer="Không có tài liệu.",
    must_include=(),
    type="unanswerable",
)


def answered(answer: str, citations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"status": "answered", "answer": answer, "citations": citations or [], "took_ms": 3.0}


def not_found(answer: str) -> dict[str, Any]:
    return {"status": "not_found", "answer": answer, "citations": [], "took_ms": 1.0}


def citation(quote: str = "", section: str = "") -> dict[str, Any]:
    return {"doc_id": "d", "title": "t", "locality": "l", "section": section, "quote": quote, "score": 1.0}


def test_normalise_tone_placement_case_whitespace_dashes_percent() -> None:
    assert judge_normalise("Văn hoá  –\tThông tin") == judge_normalise("văn hóa - thông tin")
    assert judge_normalise("Uỷ ban") == judge_normalise("ỦY BAN")
    assert judge_normalise("80 %") == "80%"
    assert judge_normalise("2021 - 2025") == "2021-2025"
    # "qu" + "ý": the tone is on "y" in both styles and must not move.
    assert judge_normalise("quý") == "quý"


def test_correct_answer_with_every_token() -> None:
    q = make_question()
    assert answer_correct(q, answered("Ủy ban nhân dân phường chủ trì, Trung tâm Dịch vụ sự nghiệp công."))


def test_missing_token_is_wrong() -> None:
    q = make_question()
    assert not answer_correct(q, answered("Ủy ban nhân dân phường chủ trì."))


def test_abbreviation_accepted_both_ways() -> None:
    q = make_question(must_include=("Ủy ban nhân dân phường", "Mặt trận Tổ quốc", "Ban Chỉ đạo"))
    assert answer_correct(q, answered("UBND phường, MTTQ và BCĐ phối hợp."))
    q = make_question(must_include=("UBMTTQ", "HĐND"))
    assert answer_correct(q, answered("Ủy ban Mặt trận Tổ quốc và Hội đồng nhân dân."))


def test_alternatives_accept_either() -> None:
    q = make_question(must_include=("Mặt trận Tổ quốc|MTTQ",))
    assert answer_correct(q, answered("Mặt trận Tổ quốc thị trấn."))
    assert answer_correct(q, answered("Ban Thường trực MTTQ."))
    assert not answer_correct(q, answered("Hội Nông dân."))


def test_answerable_needs_status_answered() -> None:
    q = make_question()
    response = not_found("UBND phường, Trung tâm Dịch vụ sự nghiệp công")
    assert not answer_correct(q, response)
    assert not abstention_correct(q, response)


def test_not_found_is_right_for_unanswerable() -> None:
    response = not_found("Các văn bản không có thông tin về xã Hồng Phong.")
    assert answer_correct(UNANSWERABLE, response)
    assert abstention_correct(UNANSWERABLE, response)


def test_invented_number_rejected() -> None:
    assert not answer_correct(UNANSWERABLE, not_found("Không rõ, có lẽ khoảng 85% gia đình."))
    assert not answer_correct(UNANSWERABLE, answered("Xã Hồng Phong đạt 90%."))
    assert not abstention_correct(UNANSWERABLE, answered("Xã Hồng Phong đạt 90%."))


def test_number_from_question_is_not_invented() -> None:
    q = make_question(
        question="Kế hoạch năm 2030 của xã Hồng Phong?",
        evidence=(),
        must_include=(),
        type="out_of_scope",
    )
    assert answer_correct(q, not_found("Không có kế hoạch năm 2030 của xã Hồng Phong."))


def test_list_clarification_naming_every_locality() -> None:
    q = make_question(
        locality=("phường Kinh Môn", "thị trấn Cao Lộc"),
        must_include=("Kinh Môn", "Cao Lộc", "đạt chuẩn văn hóa"),
        type="list",
    )
    assert answer_correct(q, answered("Bạn hỏi về phường Kinh Môn hay thị trấn Cao Lộc?"))
    assert not answer_correct(q, answered("Trường học đạt chuẩn văn hoá ở Kinh Môn."))


def test_citation_hit_with_tab_evidence() -> None:
    q = make_question()
    quote = "Tuyên truyền trên hệ thống truyền thanh UBND phường  Trung tâm Dịch vụ sự nghiệp công"
    assert citation_hit(q, answered("...", [citation(quote=quote)]))
    assert not citation_hit(q, answered("...", [citation(quote="Tuyên truyền trên hệ thống truyền thanh")]))


def test_citation_hit_by_section() -> None:
    q = make_question(evidence=("1.7. Bí thư Đoàn thanh niên",))
    section = "V. TỔ CHỨC THỰC HIỆN > 1.7. Bí thư Đoàn thanh niên"
    assert citation_hit(q, answered("...", [citation(section=section)]))
    assert not citation_hit(q, answered("..."))


def test_recall_at_k_only_counts_top_k() -> None:
    q = make_question(evidence=("100% người dân được tuyên truyền",))
    hit = {"text": "- 100 % người dân được tuyên truyền, phổ biến", "section": "II"}
    miss = {"text": "khác", "section": "I"}
    results = {"results": [miss, miss, hit], "took_ms": 2.0}
    assert recall_at_k(q, results, k=3)
    assert not recall_at_k(q, results, k=2)
    assert not recall_at_k(q, {"results": []})


def test_evaluate_reports_scores_and_failures() -> None:
    good = make_question(id="ok")
    bad = make_question(id="bad", must_include=("Hội Nông dân",))
    replies = {
        good.question: answered(
            "UBND phường, Trung tâm Dịch vụ sự nghiệp công",
            [citation(quote=TAB_ROW)],
        )
    }

    def ask(question: str) -> dict[str, Any]:
        return replies[question]

    def search(question: str, k: int) -> dict[str, Any]:
        raise RuntimeError("search down")

    report = evaluate([good, bad], ask, search)
    assert report.overall.n == 2
    assert report.overall.answer_accuracy == 0.5
    assert report.overall.recall_at_k == 0.0
    assert [r.question.id for r in report.failures] == ["ok", "bad"]
    assert "search error" in report.failures[0].reasons[0]
    text = format_report(report)
    assert "overall" in text and "bad [responsibility/formal]" in text
    json.dumps(report_as_dict(report))


def test_load_questions_from_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    record = {
        "id": "x1",
        "question": "q",
        "doc": None,
        "locality": None,
        "section": None,
        "evidence": "a\tb",
        "answer": "a",
        "must_include": [],
        "type": "content",
        "style": "formal",
    }
    path.write_text(json.dumps(record) + "\n\n", encoding="utf-8")
    [q] = load_questions(path)
    assert q.evidence == ("a\tb",) and q.doc == () and not q.should_abstain
    path.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":1"):
        load_questions(path)


def test_load_dev_set() -> None:
    if not DEV_SET.exists():
        pytest.skip("../shared/eval/dev.jsonl is not present")
    questions = load_questions(DEV_SET)
    assert len(questions) >= 1
    assert len({q.id for q in questions}) == len(questions)
    # The gold answers themselves must pass the judge: guards the normalisation and the loader.
    for q in questions:
        status = "not_found" if q.should_abstain else "answered"
        assert answer_correct(q, {"status": status, "answer": q.answer, "citations": []}), q.id
