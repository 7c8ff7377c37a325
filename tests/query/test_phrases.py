"""The header-question phrases have one home, read alike by the intent and by the header answerer."""

from __future__ import annotations

import re

import pytest

from bot.answering.header import asked_fields
from bot.query.intent import HEADER, WHEN, detect_intent
from bot.query.phrases import HEADER_FIELDS, HEADER_ONLY, HeaderField

_PLAIN = [(f.field, p, kind) for f in HEADER_FIELDS for kind in ("marking", "naming") for p in getattr(f, kind)]


@pytest.mark.parametrize(("field", "phrase", "kind"), [x for x in _PLAIN if re.escape(x[1]) == x[1]])
def test_every_plain_phrase_asks_its_field(field: HeaderField, phrase: str, kind: str) -> None:
    question = f"ke hoach {phrase}"
    assert field in asked_fields(question)
    if kind == "marking":
        assert detect_intent(question).kind == HEADER


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("kế hoạch ban hành ngày nào", HeaderField.DATE),
        ("van ban ban hanh thang may", HeaderField.DATE),
        ("cơ quan nào ban hành kế hoạch", HeaderField.ISSUER),
        ("tên kế hoạch là gì", HeaderField.TITLE),
    ],
)
def test_patterned_marking_phrases(question: str, field: HeaderField) -> None:
    assert detect_intent(question).kind == HEADER
    assert field in asked_fields(question)


def test_a_naming_phrase_alone_asks_something_else() -> None:
    # "khi nào" asks for a deadline; only in a header question does it ask for the date of issue
    assert detect_intent("khi nào nộp báo cáo").kind == WHEN
    assert detect_intent("kế hoạch ban hành khi nào").kind == HEADER
    assert asked_fields("kế hoạch ban hành khi nào") == (HeaderField.DATE,)


def test_header_only_phrases_mark_a_header_question_without_naming_a_field() -> None:
    for phrase in HEADER_ONLY:
        assert detect_intent(f"the plan was {phrase}").kind == HEADER
        assert asked_fields(f"the plan was {phrase}") == ()
    assert asked_fields("when was the plan issued") == (HeaderField.DATE,)


def test_another_document_named_is_no_header_question() -> None:
    assert asked_fields("Quyết định 530/QĐ-UBND có số hiệu gì") == ()
