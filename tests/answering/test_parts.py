"""Contracts of the answer engine's parts: answerers in order, citations made in one place,
rendering's numbering, the evidence gates and the value checks."""

from __future__ import annotations

from pathlib import Path

from bot.answering.answer import STATUS_ANSWERED, STATUS_NOT_FOUND, Answer, AnswerStatus, cite
from bot.answering.checks import states_quantity, states_value
from bot.answering.engine import AnswerService
from bot.answering.header import HeaderAnswerer
from bot.answering.lines import Excerpt, Span
from bot.answering.question import Question
from bot.answering.render import compose
from bot.answering.scope import ScopeGuard, read_question
from bot.models import Chunk, DocumentMeta
from bot.query.intent import COUNT, DATE, MONEY, IntentKind
from bot.retrieval.hybrid import Hit

META = DocumentMeta(doc_id="d", source="d.txt", title="Kế hoạch X", number="5/KH-UBND", content_hash="0" * 64)


def _chunk(text: str, *, source: str = "", pages: tuple[int, ...] = ()) -> Chunk:
    return Chunk(
        chunk_id="k", doc_id="d", section_path=("II. MỤC TIÊU",), text=text, context="", pages=pages, source=source
    )


def _read(service: AnswerService, text: str, locality: str | None = None) -> Question:
    return read_question(service.retriever, text, locality, names=service.corpus.documents_named)


class _Fixed:
    """An answerer for one question only, the way a new kind of question joins the engine."""

    def __init__(self, text: str) -> None:
        self.text = text

    def answer(self, question: Question) -> Answer | None:
        return Answer(STATUS_ANSWERED, "fixed") if question.text == self.text else None


def test_a_new_answerer_placed_first_answers_its_questions_only(service: AnswerService) -> None:
    usual = service.ask("Phường An Bình tổng hợp báo cáo trước ngày nào?")
    service.answerers = (_Fixed("câu hỏi riêng"), *service.answerers)
    assert service.ask("câu hỏi riêng").answer == "fixed"
    assert service.ask("Phường An Bình tổng hợp báo cáo trước ngày nào?") == usual


def test_scope_guard_passes_covered_questions_and_refuses_unknown_localities(service: AnswerService) -> None:
    guard = ScopeGuard(service.corpus)
    covered = _read(service, "phường An Bình tổng hợp báo cáo")
    assert covered.scope == frozenset({"alpha"})
    assert guard.answer(covered) is None
    unknown = guard.answer(_read(service, "tỷ lệ gia đình văn hóa", "Hà Nội"))
    assert unknown is not None and unknown.status == STATUS_NOT_FOUND and "Hà Nội" in unknown.answer


def test_header_answerer_answers_header_questions_only(service: AnswerService) -> None:
    header = HeaderAnswerer(service.corpus, service.retriever)
    assert header.answer(_read(service, "ai chủ trì phòng chống tệ nạn")) is None
    question = _read(service, "kế hoạch của phường An Bình có số hiệu gì")
    assert question.intent.kind == IntentKind.HEADER
    answer = header.answer(question)
    assert answer is not None and "12/KH-UBND" in answer.answer
    assert [c.doc_id for c in answer.citations] == ["alpha"]


def test_citation_quotes_the_source_and_rounds_the_score() -> None:
    chunk = _chunk("95% gia đình văn hóa.", source="95% gia **đình** văn hóa.", pages=(3,))
    citation = cite(META, chunk, "95% gia đình văn hóa.", 0.123456)
    assert citation.quote == "95% gia **đình** văn hóa."
    assert (citation.score, citation.pages, citation.locality, citation.section) == (0.1235, (3,), "", "II. MỤC TIÊU")


def _hit(chunk: Chunk, meta: DocumentMeta = META) -> Hit:
    return Hit(chunk=chunk, document=meta, score=0.5, dense=0.5, lexical=0.5)


def test_compose_numbers_one_citation_per_quote() -> None:
    chunk = _chunk("Dòng một.\nDòng hai.")
    one_quote = compose([Excerpt(_hit(chunk), Span(("Dòng một.", "Dòng hai."), ("Dòng một.\nDòng hai.",)))])
    assert one_quote.answer.endswith("“Dòng một.” “Dòng hai.” [1]") and len(one_quote.citations) == 1
    per_line = compose([Excerpt(_hit(chunk), Span(("Dòng một.", "Dòng hai."), ("Dòng một.", "Dòng hai.")))])
    assert per_line.answer.endswith("“Dòng một.” [1] “Dòng hai.” [2]") and len(per_line.citations) == 2
    other = DocumentMeta(doc_id="e", source="e.txt", title="Kế hoạch Y", locality="xã Y", content_hash="1" * 64)
    both = compose(
        [
            Excerpt(_hit(chunk), Span(("Dòng một.",), ("Dòng một.",))),
            Excerpt(_hit(chunk), Span(("Dòng hai.",), ("Dòng hai.",))),
        ],
        silent=[other],
        notes=["Lưu ý: ..."],
    )
    lines = both.answer.split("\n")
    assert lines[0] == "Tùy kế hoạch của từng địa bàn:" and lines[2].endswith("“Dòng hai.” [2]")
    assert lines[3] == "Không tìm thấy nội dung này trong: Kế hoạch (xã Y)." and lines[4] == "Lưu ý: ..."


def test_value_checks_tell_values_from_dates_and_numbering() -> None:
    def says(text: str) -> Span:
        return Span((text,), (text,))

    chunk = _chunk("")
    assert states_value(chunk, says("Tổng hợp báo cáo trước ngày 15/6/2026."), DATE)
    assert not states_value(chunk, says("Kinh phí từ nguồn ngân sách Nhà nước."), MONEY)
    assert states_value(chunk, says("Kinh phí 50 triệu đồng."), MONEY)
    assert not states_value(chunk, says("1. Báo cáo trước ngày 15/6/2026."), COUNT)
    assert not states_quantity(chunk, says("Thực hiện Kế hoạch số 12/KH-UBND năm 2026."))
    assert states_quantity(chunk, says("Có 12 tổ dân phố đạt chuẩn."))


def test_statuses_are_the_words_json_shows() -> None:
    assert [str(s) for s in AnswerStatus] == ["answered", "not_found"]
    assert f"{STATUS_NOT_FOUND}" == "not_found"


def test_citations_are_made_in_one_place() -> None:
    package = Path(__file__).parents[2] / "bot"
    makers = [
        p for p in package.rglob("*.py") if "Citation(" in p.read_text(encoding="utf-8").replace("class Citation(", "")
    ]
    assert [p.relative_to(package).as_posix() for p in makers] == ["answering/answer.py"]
