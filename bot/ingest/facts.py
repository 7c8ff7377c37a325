"""Structured facts extracted from a parsed plan at index time.

Every fact is tied to the chunk it comes from and quotes a verbatim span of that chunk's text, so an
answer built from facts can always cite the plan. Extraction is rule-based and generic: Vietnamese
administrative writing is formulaic ("Phòng Văn hóa - Xã hội chủ trì, phối hợp với ...",
"Phấn đấu 97% hộ gia đình ...", "trước ngày 15/6/2026", "Quý II/2026", "Kinh phí: từ nguồn ...").

Kinds (see ``bot.models.FACT_*``):

* responsibility: a unit named by a section heading under "TỔ CHỨC THỰC HIỆN"/"Phân công" with each
  of its duty lines, a unit named in a sentence before "chủ trì/phối hợp/tham mưu", and appendix
  table rows (lead and coordinating units);
* target: lines of "MỤC TIÊU"/"CHỈ TIÊU" sections with a figure, and any line with a percentage;
* deadline: dates, quarters, months, periods and recurrences ("Hàng năm", "Thường xuyên");
* funding: lines of "KINH PHÍ" sections and lines naming a funding source;
* basis: the higher documents a plan implements or cites ("Quyết định số 2478/QĐ-TTg ngày ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from bot.models import (
    FACT_BASIS,
    FACT_DEADLINE,
    FACT_FUNDING,
    FACT_RESPONSIBILITY,
    FACT_TARGET,
    KIND_BODY,
    KIND_PREAMBLE,
    ROLE_ADVISE,
    ROLE_COORDINATE,
    ROLE_LEAD,
    ROLE_PERFORM,
    Chunk,
    Fact,
    ParsedDocument,
)
from bot.text.normalize import fold

# Numbering in front of a heading: "I.", "1.", "1.7.", "a)", "-".
_NUMBERING = re.compile(r"^\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+•])\s*")
# Words a unit's name starts with (folded).
_UNIT_START = re.compile(
    r"^(phong|ban|uy ban|ubnd|ubmttq|mat tran|trung tam|hoi|doan|cong an|truong|cac|bi thu|chu tich|"
    r"pho chu tich|cong chuc|khoi truong|van phong|dang uy|chi bo|thu truong|tram|dai|so|to|lanh dao|"
    r"chanh van phong|giam doc|thuong truc|bch|bcd|cap uy|ca nhan|don vi)\b"
)
_ORGANISING_SECTION = re.compile(r"\b(to chuc thuc hien|phan cong|trach nhiem|nhiem vu cua cac)\b")
_TARGET_SECTION = re.compile(r"\b(muc tieu|chi tieu)\b")
_FUNDING_SECTION = re.compile(r"\bkinh phi\b")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")
_FIGURE = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_YEAR = re.compile(r"(?:đến |trong |năm |giai đoạn )(?:năm )?(20\d\d(?:\s?-\s?20\d\d)?)")
# A unit named in a sentence, then its role verb: "Giao Phòng Văn hóa - Thông tin chủ trì, ...".
_INLINE_ROLE = re.compile(
    r"(?:^|[.;:]\s+|giao\s+|Giao\s+)([A-ZĐÀ-Ỹ][^.;:]{3,80}?)\s+(chủ trì|phối hợp|tham mưu|chịu trách nhiệm)"
)
# "Đơn vị chủ trì tham mưu thực hiện: Phòng Tổ chức - Hành chính - Quản trị".
_LABELLED_UNIT = re.compile(r"(?:Đơn vị|Cơ quan)\s+(chủ trì|phối hợp|thực hiện)[^:]{0,40}:\s*([^;.]+)")
_DEADLINE = re.compile(
    r"(?:(?:trước|trong|từ|đến|vào|hoàn thành)\s+)?(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{4}"
    r"|[Qq]uý\s+[IV]+(?:/\d{4}|\s+năm\s+\d{4})?"
    r"|(?:trong\s+)?tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})(?:\s+đến\s+(?:tháng\s+)?\d{1,2}/\d{4})?"
    r"|(?:[Hh]àng|[Hh]ằng)\s+(?:năm|tháng|quý)"
    r"|[Tt]hường xuyên"
    r"|(?:giai đoạn|năm)\s+20\d\d\s?-\s?20\d\d"
)
# A date that belongs to a document reference ("số 41/KH-UBND ngày 13/02/2023") is not a deadline.
_DOCUMENT_NUMBER = re.compile(r"\d+[/-][\wĐđ/\-.]*[A-ZĐ]")
_REFERENCE = re.compile(
    r"(Nghị quyết|Quyết định|Kế hoạch|Chỉ thị|Thông tư|Nghị định|Chương trình hành động|Chương trình|"
    r"Hướng dẫn|Đề án|Luật|Công văn)\s+(?:số\s+)?(\d+[\w/\-Đđ.]*[/-][\w/\-Đđ.]*[A-ZĐ][\w/\-Đđ]*)"
    r"(?:,?\s*ngày\s+(\d{1,2}(?:/| tháng )\d{1,2}(?:/| năm )\d{4}))?"
)
_FUNDING_SOURCE = re.compile(
    r"(ngân sách[^,;.]*|xã hội hóa|xã hội hoá|nguồn vốn[^,;.]*|kinh phí lồng ghép[^,;.]*)", re.I
)


def unit_of_heading(heading: str) -> str | None:
    """The unit a heading names ("1.7. Bí thư Đoàn thanh niên" → "Bí thư Đoàn thanh niên"), or None."""
    name = _NUMBERING.sub("", heading).strip().rstrip(":").strip()
    name = re.sub(r"^(Đề nghị|Giao)\s+", "", name)
    if not name or len(name) > 120:
        return None
    return name if _UNIT_START.match(fold(name)) else None


def role_of(line: str) -> str:
    """The role a duty line gives its unit, from its leading verb."""
    folded = fold(_NUMBERING.sub("", line))
    if folded.startswith("chu tri") or " chu tri" in folded[:40]:
        return ROLE_LEAD
    if folded.startswith(("tham muu", "la dau moi tham muu", "giup")):
        return ROLE_ADVISE
    if folded.startswith("phoi hop"):
        return ROLE_COORDINATE
    return ROLE_PERFORM


# Closing formulas belong to no unit: "Trên đây là Kế hoạch ...", "Yêu cầu các phòng ... thực hiện".
_CLOSING = re.compile(r"^(trên đây là|yêu cầu các|trong quá trình (tổ chức )?thực hiện)", re.I)
_YEAR_ONLY = re.compile(r"^(19|20)\d\d$")


def _lines(chunk: Chunk) -> Iterator[str]:
    """The chunk's content lines: its bare heading line and closing formulas left out."""
    heading = chunk.section_path[-1] if chunk.section_path else ""
    for line in chunk.text.split("\n"):
        line = line.strip()
        if line and line != heading and not _CLOSING.match(line):
            yield line


def _fact(kind: str, chunk: Chunk, quote: str, **fields: str) -> Fact:
    return Fact(
        kind=kind, doc_id=chunk.doc_id, section_path=chunk.section_path, quote=quote, chunk_id=chunk.chunk_id, **fields
    )


def _table_facts(chunk: Chunk) -> Iterator[Fact]:
    row = chunk.row
    if row is None:
        return
    task, lead, coordinating, time = row.get("task"), row.get("lead"), row.get("coordinating"), row.get("time")
    if lead:
        yield _fact(FACT_RESPONSIBILITY, chunk, chunk.text, subject=lead, role=ROLE_LEAD, detail=task, value=time)
    if coordinating and coordinating != time:
        yield _fact(
            FACT_RESPONSIBILITY, chunk, chunk.text, subject=coordinating, role=ROLE_COORDINATE, detail=task, value=time
        )
    if time:
        yield _fact(FACT_DEADLINE, chunk, chunk.text, subject=task, value=time, detail=lead)


def _responsibility_facts(chunk: Chunk, folded_path: str) -> Iterator[Fact]:
    unit = unit_of_heading(chunk.section_path[-1]) if chunk.section_path else None
    in_organising = bool(_ORGANISING_SECTION.search(folded_path))
    for line in _lines(chunk):
        body = line
        if unit and in_organising:
            if line.startswith(_NUMBERING.sub("", chunk.section_path[-1])[:10]) or _NUMBERING.sub("", line) == unit:
                # the heading line itself; its content (after "Trưởng Ban chỉ đạo:") may be the duty
                _, _, body = line.partition(":")
                if not body.strip():
                    continue
            yield _fact(FACT_RESPONSIBILITY, chunk, line, subject=unit, role=role_of(body), detail=body.strip())
            continue
        for match in _LABELLED_UNIT.finditer(line):
            role = {"chủ trì": ROLE_LEAD, "phối hợp": ROLE_COORDINATE}.get(match.group(1), ROLE_PERFORM)
            yield _fact(FACT_RESPONSIBILITY, chunk, line, subject=match.group(2).strip(), role=role, detail=line)
        for match in _INLINE_ROLE.finditer(line):
            name = re.sub(r"^(Đề nghị|Giao)\s+", "", match.group(1).strip())
            if not _UNIT_START.match(fold(name)):
                continue
            role = {"chủ trì": ROLE_LEAD, "phối hợp": ROLE_COORDINATE, "tham mưu": ROLE_ADVISE}.get(
                match.group(2), ROLE_PERFORM
            )
            yield _fact(FACT_RESPONSIBILITY, chunk, line, subject=name, role=role, detail=line)


def _target_facts(chunk: Chunk, folded_path: str, doc: ParsedDocument) -> Iterator[Fact]:
    in_targets = bool(_TARGET_SECTION.search(folded_path))
    # the year a target is for: stated in the line, else in its headings, else in the plan's title
    heading_year = _YEAR.search(" ".join(chunk.section_path)) or _YEAR.search(doc.meta.title)
    for line in _lines(chunk):
        percent = _PERCENT.search(line)
        figure = percent or (_FIGURE.search(_NUMBERING.sub("", line)) if in_targets else None)
        if figure is None or (not in_targets and not percent) or _YEAR_ONLY.match(figure.group(0)):
            continue
        if _DOCUMENT_NUMBER.search(line) and not percent:
            continue
        year = _YEAR.search(line) or heading_year
        subject = _NUMBERING.sub("", line).strip()
        yield _fact(
            FACT_TARGET, chunk, line, subject=subject, value=figure.group(0), detail=year.group(1) if year else ""
        )


def _deadline_facts(chunk: Chunk) -> Iterator[Fact]:
    task = _NUMBERING.sub("", chunk.section_path[-1]) if chunk.section_path else ""
    for line in _lines(chunk):
        references = [m.start() for m in _REFERENCE.finditer(line)]
        for match in _DEADLINE.finditer(line):
            before = line[max(0, match.start() - 45) : match.start()]
            if _DOCUMENT_NUMBER.search(before) and "ngày" in before + match.group(0):
                continue  # the date of a cited document
            sentence_start = max(line.rfind(";", 0, match.start()), line.rfind(".", 0, match.start()))
            if any(sentence_start < start < match.start() for start in references):
                continue  # a period in the title of a cited document ("Chương trình ... giai đoạn 2021-2026")
            yield _fact(FACT_DEADLINE, chunk, line, subject=task, value=match.group(0).strip(), detail=line)


def _funding_facts(chunk: Chunk, folded_path: str) -> Iterator[Fact]:
    in_funding = bool(_FUNDING_SECTION.search(folded_path))
    for line in _lines(chunk):
        sources = [m.group(0).strip() for m in _FUNDING_SOURCE.finditer(line)]
        if in_funding or ("kinh phí" in line.lower() and sources):
            yield _fact(FACT_FUNDING, chunk, line, subject="; ".join(sources), detail=line)


def _basis_facts(chunk: Chunk) -> Iterator[Fact]:
    for line in _lines(chunk):
        for match in _REFERENCE.finditer(line):
            subject = f"{match.group(1)} số {match.group(2)}"
            yield _fact(FACT_BASIS, chunk, line, subject=subject, value=match.group(3) or "", detail=line)


def extract_facts(doc: ParsedDocument, chunks: Sequence[Chunk]) -> list[Fact]:
    """Every fact of ``doc`` found in its ``chunks``, in document order, without duplicates."""
    facts: list[Fact] = []
    seen: set[tuple[str, str, str, str, str]] = set()
    for chunk in chunks:
        folded_path = fold(" > ".join(chunk.section_path))
        if chunk.row is not None:
            found: Iterator[Fact] = _table_facts(chunk)
        elif chunk.kind in (KIND_BODY, KIND_PREAMBLE):
            found = _chain(
                _responsibility_facts(chunk, folded_path),
                _target_facts(chunk, folded_path, doc),
                _deadline_facts(chunk) if chunk.kind == KIND_BODY else iter(()),
                _funding_facts(chunk, folded_path),
                _basis_facts(chunk),
            )
        else:
            continue
        for fact in found:
            key = (fact.kind, fact.chunk_id, fact.subject, fact.value, fact.quote)
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    return facts


def _chain(*iterators: Iterator[Fact]) -> Iterator[Fact]:
    for iterator in iterators:
        yield from iterator
