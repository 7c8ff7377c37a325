"""Property tests (hypothesis): normalisation, the outline parser and the answer composer hold their
contracts on any input, not only on the plans we wrote tests for.

Examples are bounded (``max_examples``) so the default suite stays fast; ``HYPOTHESIS_PROFILE=long``
runs each property on many more (see README "Hostile input and faults").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answering.service import ServiceHolder
from bot.errors import QueryError
from bot.indexing.build import build_index
from bot.ingest import parse_text
from bot.ingest.paragraphs import is_paragraph_label
from bot.text.normalize import clean, fold, match_form, tokens
from bot.text.spans import skeleton_of
from tests.conftest import DOCUMENTS
from tests.fakes import FakeEmbedder

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
# any text: all of Unicode but lone surrogates (a str that cannot be encoded is refused at the edge)
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
WORDS = st.text(st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + "  ,.;:-%/()\t\u00a0\u0301\u0303"), max_size=60)


@given(ANY_TEXT)
def test_normalisation_is_idempotent_and_never_raises(text: str) -> None:
    assert clean(clean(text)) == clean(text)
    assert match_form(match_form(text)) == match_form(text)
    assert fold(fold(text)) == fold(text)
    tokens(text)


@given(st.one_of(ANY_TEXT, WORDS))
def test_folding_is_stable_through_the_other_forms(text: str) -> None:
    """Folding the match form or the display form gives the same key: a query and a document that
    differ only in tone-mark placement, case, NFC/NFD or spacing meet on one folded form."""
    assert fold(match_form(text)) == fold(text)
    assert fold(clean(text)) == fold(text)


HEADINGS = st.sampled_from(
    ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ", "1. Mục tiêu", "1.1. Chỉ tiêu", "a) Tuyên truyền", "Chương I",
     "Điều 3. Trách nhiệm", "1. Khoản một", "Mục 2", "PHỤ LỤC", "III.", "**2. Phân công:**", "## IV. KINH PHÍ"]
)  # fmt: skip
# list items carry text: a bare "-" is dropped by cleanup (an empty item), so it is no span to look for
ITEMS = st.tuples(st.sampled_from(["- ", "+ ", "* "]), WORDS.filter(str.strip)).map("".join)
LINE = st.one_of(HEADINGS, WORDS, ITEMS, st.tuples(HEADINGS, WORDS).map(lambda p: p[0] + " " + p[1]))


@given(st.lists(LINE, max_size=30))
def test_the_outline_never_raises_and_every_section_line_is_from_the_input(lines: list[str]) -> None:
    raw = "KẾ HOẠCH\n" + "\n".join(lines)
    document = parse_text(raw, source="sinh-ra.txt")
    source = skeleton_of(raw)
    for section in document.sections:
        for line in section.text.split("\n"):
            assert skeleton_of(line) in source, (line, section.path)
        for heading in section.path:  # a heading is a line of the input, or the name of a paragraph
            assert is_paragraph_label(heading) or skeleton_of(heading) in source, heading


@pytest.fixture(scope="module")
def holder(tmp_path_factory: pytest.TempPathFactory) -> ServiceHolder:
    index = tmp_path_factory.mktemp("index")
    embedder = FakeEmbedder()
    build_index(DOCUMENTS, index, embedder)
    return ServiceHolder(index, embedder, watch_interval=None)


SOURCES = {path.stem.lower(): path.read_text(encoding="utf-8") for path in DOCUMENTS.iterdir()}
DOCUMENT_WORDS = sorted({w for text in SOURCES.values() for w in text.split() if w.isalpha()})
QUESTION_WORDS = ["ai", "chủ trì", "phối hợp", "bao nhiêu", "khi nào", "chỉ tiêu", "kinh phí", "ở", "của", "không"]


@settings(max_examples=40)
@given(st.lists(st.sampled_from(DOCUMENT_WORDS + QUESTION_WORDS), min_size=1, max_size=12), st.booleans())
def test_every_quote_is_a_verbatim_span_of_its_document(holder: ServiceHolder, words: list[str], plain: bool) -> None:
    question = " ".join(words)
    if plain:
        question = fold(question)  # typed without diacritics
    try:
        answer = holder.get().ask(question)
    except QueryError:
        return  # e.g. too long: refused with a message, which is the contract
    for citation in answer.citations:
        source = SOURCES[citation.doc_id]
        assert citation.quote in source, (question, citation.doc_id, citation.quote)


def test_the_properties_see_the_bundled_documents() -> None:
    assert len(SOURCES) == len(list(Path(DOCUMENTS).iterdir())) >= 5
    assert len(DOCUMENT_WORDS) > 500
