"""Scope: reading a question (validation, the plans it is limited to, its intent), and the first
answerer, which refuses questions about places no plan covers.

Input: the question as typed and an optional locality filter. Output: a
:class:`~bot.answering.question.Question`; ``QueryError`` when the question is unusable.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.answer import Answer
from bot.answering.corpus import Corpus
from bot.answering.question import Question
from bot.answering.render import not_found
from bot.errors import QueryError
from bot.query.intent import detect_intent
from bot.query.rewriting import AnalysedQuery
from bot.query.terms import STOPWORDS
from bot.retrieval.hybrid import Retriever, has_diacritics
from bot.text.normalize import fold, replace_abbreviations, tokens

# Administrative units, as written with diacritics (folded they collide with "quan", "phương"...).
_ADMIN_UNITS = ("thị trấn", "thị xã", "thành phố", "phường", "huyện", "tỉnh", "quận", "xã")
MAX_NAME_WORDS = 3


def validate(question: str, max_chars: int) -> str:
    """The stripped question; ``QueryError`` when it is empty or longer than ``max_chars``."""
    text = question.strip()
    if not text:
        raise QueryError("Câu hỏi trống: hãy nhập nội dung cần hỏi.")
    if len(text) > max_chars:
        raise QueryError(f"Câu hỏi quá dài ({len(text)} ký tự); tối đa {max_chars} ký tự.")
    return text


def resolve_scope(retriever: Retriever, question: str, locality: str | None) -> set[str] | None:
    """doc_ids the question is limited to: the locality given, else the ones it names, else all
    (``None``). Empty only when a locality is given that no plan has."""
    if locality and locality.strip():
        return retriever.documents_for_locality(locality)
    named = retriever.documents_for_locality(question)
    return named or None


def read_question(retriever: Retriever, text: str, locality: str | None) -> Question:
    """``text`` (already validated) read for the answerers."""
    scope = resolve_scope(retriever, text, locality)
    analysed = retriever.analyse(text)
    return Question(
        text=text,
        locality=locality,
        scope=frozenset(scope) if scope is not None else None,
        analysed=analysed,
        intent=detect_intent(f"{text} {analysed.text}"),
    )


def unknown_place(question: str, analysed: AnalysedQuery, corpus: Corpus) -> str | None:
    """A place named in the question ("xã Hồng Phong") that no indexed plan mentions at all.

    The administrative word is recognised with its diacritics (restored ones for a question typed
    without them), so "cơ quan nào" or "địa phương" are no places; the name is the next words up
    to a question word; it is unknown when no plan's text has the unit followed by that name.
    """
    typed = tokens(replace_abbreviations(question))  # "P. Ngô Quyền" names a phường
    accented = typed if has_diacritics(question) or len(tokens(analysed.text)) != len(typed) else tokens(analysed.text)
    for i in range(len(typed)):
        for unit in _ADMIN_UNITS:
            size = len(unit.split())
            if " ".join(accented[i : i + size]) != unit:
                continue
            name = []
            for word in typed[i + size : i + size + MAX_NAME_WORDS]:
                if fold(word) in STOPWORDS or not word.isalpha():
                    break
                name.append(fold(word))
            if not name:
                continue
            if not any(f" {fold(unit)} {' '.join(name[:n])} " in corpus.folded_text for n in range(1, len(name) + 1)):
                shown = typed[i + size : i + size + len(name)]
                return f"{unit} {' '.join(w.capitalize() for w in shown)}"
    return None


@dataclass(frozen=True)
class ScopeGuard:
    """Answers ``not_found`` for a locality filter no plan has, or a place the question names that no
    plan mentions; ``None`` for any other question."""

    corpus: Corpus

    def answer(self, question: Question) -> Answer | None:
        """The refusal, or ``None`` when the question's scope has plans."""
        if question.scope is not None and not question.scope:
            reason = f"Chưa có kế hoạch nào của địa bàn “{question.locality}” trong dữ liệu."
            return not_found(self.corpus.localities, reason)
        if question.scope is None and (place := unknown_place(question.text, question.analysed, self.corpus)):
            return not_found(self.corpus.localities, f"Chưa có kế hoạch nào của {place} trong dữ liệu.")
        return None
