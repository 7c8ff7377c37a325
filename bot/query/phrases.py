"""The phrases of questions about a plan's own header (its số hiệu, date of issue, issuer, title,
signer, date it takes effect).

One home for them: :mod:`bot.query.intent` asks "is this a header question?" with
:data:`HEADER_QUESTION`, and :mod:`bot.answering.header` asks "which fields?" with
:data:`FIELD_PATTERNS`. Each field has two kinds of phrase:

- ``marking``: the phrase alone makes the question a header question and asks for this field
  ("số hiệu", "ngày ban hành");
- ``naming``: the phrase asks for this field only once the question is about the header; alone it
  asks something else ("khi nào" is a deadline question, "do ai" a responsibility question).

Phrases are matched on the folded question (no diacritics, lower case, words joined by one space),
as whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class HeaderField(StrEnum):
    """A field of a plan's header that a question may ask for."""

    NUMBER = "number"
    DATE = "date"
    ISSUER = "issuer"
    TITLE = "title"
    SIGNER = "signer"
    EFFECTIVE = "effective"


@dataclass(frozen=True)
class FieldPhrases:
    """The phrases that ask for one header field (see the module docstring)."""

    field: HeaderField
    marking: tuple[str, ...]
    naming: tuple[str, ...]


HEADER_FIELDS: tuple[FieldPhrases, ...] = (
    FieldPhrases(
        HeaderField.NUMBER,
        marking=("so hieu", "so ky hieu", "ky hieu", "ghi so", "document number"),
        naming=("so may", "so bao nhieu", "number"),
    ),
    FieldPhrases(
        HeaderField.DATE,
        marking=(r"ban hanh (ngay|khi|vao|luc|nam|thang) (nao|may)", "ngay ban hanh"),
        naming=("ngay nao", "ngay thang", "thang may", "nam nao", "khi nao", "bao gio", "date", "when"),
    ),
    FieldPhrases(
        HeaderField.ISSUER,
        marking=(r"(co quan|don vi) nao ban hanh", "ai ban hanh", "ban hanh boi", "issuer"),
        naming=("cap nao ban hanh", r"do (co quan|ai(?! ky))", "issued by"),
    ),
    FieldPhrases(
        HeaderField.TITLE,
        # what a decision regulates or approves is what its title (trích yếu) says
        marking=(
            r"ten (ke hoach|van ban|chuong trinh)",
            # ... unless it asks what it says about a matter: "quy định gì về việc cưới"
            r"quy dinh (ve )?(noi dung )?(gi|cai gi)(?! ve)",
            r"phe duyet (de an |noi dung |chuong trinh |ke hoach )?(gi|cai gi|nao)(?! ve)",
            r"ve viec gi",
        ),
        naming=("ten day du", "trich yeu", "title"),
    ),
    # "ai ký" alone is a signer question (intent ``signer``, :mod:`bot.query.intent`), answered from the
    # metadata too; its phrases only name the field, so they do not make a header question of it.
    FieldPhrases(
        HeaderField.SIGNER,
        marking=(),
        naming=("ai ky", "nguoi ky", "do ai ky", "ky ten", "ky boi", "chuc vu", "signed", "signer", "signs"),
    ),
    # "hiệu lực" alone is no header word ("nâng cao hiệu lực, hiệu quả"): only "có hiệu lực (từ) ngày nào".
    FieldPhrases(
        HeaderField.EFFECTIVE,
        marking=(
            r"ngay (co )?hieu luc",
            r"(co )?hieu luc (thi hanh )?(tu |ke tu )?(ngay|khi|luc) (nao|may)",
            r"(take|took|takes|taking) effect",
            "effective date",
            "in effect",
        ),
        naming=(),
    ),
)
# Marks a header question but names no field: "when was the plan issued" asks for the date.
HEADER_ONLY = ("issued",)
# A question naming another kind of document asks about that document, not the plan's header.
OTHER_DOCUMENTS = ("quyet dinh", "nghi quyet", "chi thi", "thong tu", "cong van", "huong dan so", "qd", "nq")


def _whole_words(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(phrases) + r")\b")


HEADER_QUESTION = _whole_words(tuple(p for f in HEADER_FIELDS for p in f.marking) + HEADER_ONLY)
# Fields a document may well state outside its metadata (a Nghị định's "có hiệu lực thi hành từ ngày"
# in its last Điều, a signature the reader did not recognise): unknown, they are left to the passages.
OPTIONAL_FIELDS = frozenset({HeaderField.SIGNER, HeaderField.EFFECTIVE})
FIELD_PATTERNS: tuple[tuple[HeaderField, re.Pattern[str]], ...] = tuple(
    (f.field, _whole_words(f.marking + f.naming)) for f in HEADER_FIELDS if f.marking + f.naming
)
OTHER_DOCUMENT = _whole_words(OTHER_DOCUMENTS)
