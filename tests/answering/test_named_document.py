"""The named-document part: a ``not_found`` about a document named by number is asked again of the
documents citing it; any other answer, or a locality filter, keeps the parts' answer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.answer import STATUS_ANSWERED, STATUS_NOT_FOUND, Answer
from bot.answering.documents import NamedDocumentAnswerer
from bot.answering.question import Question
from bot.query.document_refs import parse_refs
from bot.query.intent import detect_intent
from bot.query.rewriting import AnalysedQuery
from bot.retrieval.document_scope import DocumentScope, RefResolution

TEXT = "Nghị định 86/2023/NĐ-CP: hồ sơ gồm những gì?"


@dataclass
class _Scoped:
    """Answers only from the citing documents' scope; records the questions it was asked."""

    asked: list[Question]

    def answer(self, question: Question) -> Answer | None:
        self.asked.append(question)
        if question.scope == frozenset({"plan"}):
            return Answer(STATUS_ANSWERED, "from the plan")
        return Answer(STATUS_NOT_FOUND, "not said")


def _question(locality: str | None = None, cited_by: tuple[str, ...] = ("plan",)) -> Question:
    (ref,) = parse_refs(TEXT)
    documents = DocumentScope((RefResolution(ref, named=("decree",), how="number", cited_by=cited_by),))
    return Question(
        text=TEXT,
        locality=locality,
        scope=frozenset({"decree"}),
        analysed=AnalysedQuery(raw=TEXT, text=TEXT, restored=False, english=False),
        intent=detect_intent(TEXT),
        documents=documents,
    )


def test_not_found_in_the_named_document_is_asked_of_the_documents_citing_it() -> None:
    part = _Scoped([])
    answer = NamedDocumentAnswerer((part,)).answer(_question())
    assert answer is not None and answer.answer == "from the plan"
    first, again = part.asked
    assert (first.scope, first.via_citing) == (frozenset({"decree"}), False)
    assert (again.scope, again.via_citing, again.header_reading) == (frozenset({"plan"}), True, "")


def test_no_citing_document_or_a_locality_filter_keeps_the_first_answer() -> None:
    for question in (_question(cited_by=()), _question(locality="phường Kinh Môn")):
        part = _Scoped([])
        answer = NamedDocumentAnswerer((part,)).answer(question)
        assert answer is not None and answer.status == STATUS_NOT_FOUND
        assert len(part.asked) == 1


def test_the_header_is_read_without_the_named_reference() -> None:
    question = _question()
    assert "86" not in question.header_reading and "2023" not in question.header_reading
    assert "86" not in question.wording
