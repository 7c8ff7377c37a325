"""Gold question sets: one JSON object per line (``dev.jsonl`` and the extra sets), loaded and checked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Question types whose right answer is an abstention (status ``not_found``).
ABSTAIN_TYPES: frozenset[str] = frozenset({"unanswerable", "out_of_scope"})


@dataclass(frozen=True)
class EvalQuestion:
    """One line of ``dev.jsonl``.

    Fields that the file holds as a string, a list or ``null`` (``doc``, ``locality``,
    ``section``, ``evidence``) are tuples here: empty for ``null``, one element for a string.
    ``must_include`` keeps the raw tokens (``"A|B"`` alternatives are split when judging).
    """

    id: str
    question: str
    doc: tuple[str, ...]
    locality: tuple[str, ...]
    section: tuple[str, ...]
    evidence: tuple[str, ...]
    answer: str
    must_include: tuple[str, ...]
    type: str
    style: str

    @property
    def should_abstain(self) -> bool:
        """True for ``unanswerable``/``out_of_scope`` questions: the right status is ``not_found``."""
        return self.type in ABSTAIN_TYPES


def _as_tuple(value: object, field: str, where: str) -> tuple[str, ...]:
    """``None`` → ``()``, ``str`` → ``(str,)``, list of str → tuple; anything else is an error."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ValueError(f"{where}: field {field!r} must be a string, a list of strings or null")


def _required_str(record: Mapping[str, Any], field: str, where: str) -> str:
    value = record.get(field)
    if not isinstance(value, str):
        raise ValueError(f"{where}: field {field!r} must be a string")
    return value


def question_from_record(record: Mapping[str, Any], where: str = "record") -> EvalQuestion:
    """Build an :class:`EvalQuestion` from one decoded JSON object; ``ValueError`` names ``where``."""
    return EvalQuestion(
        id=_required_str(record, "id", where),
        question=_required_str(record, "question", where),
        doc=_as_tuple(record.get("doc"), "doc", where),
        locality=_as_tuple(record.get("locality"), "locality", where),
        section=_as_tuple(record.get("section"), "section", where),
        evidence=_as_tuple(record.get("evidence"), "evidence", where),
        answer=_required_str(record, "answer", where),
        must_include=_as_tuple(record.get("must_include"), "must_include", where),
        type=_required_str(record, "type", where),
        style=_required_str(record, "style", where),
    )


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL question file (blank lines skipped), in file order.

    Raises ``ValueError`` naming the file and line for malformed JSON or fields, and
    ``OSError`` when the file cannot be read.
    """
    questions: list[EvalQuestion] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise ValueError(f"{where}: expected a JSON object")
            questions.append(question_from_record(record, where))
    return questions
