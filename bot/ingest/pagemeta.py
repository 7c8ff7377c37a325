"""Metadata a document's own header does not give: the legal site's block, the attached-document
line, and for a web article the lead sentence, its title and its posting date.

The official header always wins (:mod:`bot.ingest.header` reads it first); these fill the fields
it leaves empty. Values are checked for their shape ("Đã biết", "Đang cập nhật" are a site's
placeholders, not dates).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.ingest.kinds import ARTICLE, PROCEDURE, canonical_kind, kind_from_code, leading_kind
from bot.ingest.news import Issuance, dateline_place, reported_issuance
from bot.ingest.paragraphs import MIN_PROCEDURE_FIELDS
from bot.ingest.patterns import procedure_field
from bot.ingest.site import SitePage
from bot.models import KIND_PREAMBLE, Section

_DATE_VALUE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_NUMBER_VALUE = re.compile(r"^\d*\s*[/-]\s*\S+$|^\d+[/-]\S+$")
# "(Ban hành kèm theo Quyết định số 12/2024/QĐ-UBND ngày 05/3/2024 của ...)" under a Quy chế's title
_ATTACHED_TO = re.compile(
    r"kèm theo\s+(?P<ref>(?:Quyết định|Nghị định|Thông tư|Nghị quyết|Chỉ thị)\s+số\s+[^\s,;)]+)"
    r"(?:\s+ngày\s+(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
    r"(?:\s+của\s+(?P<issuer>[^()]+?)\s*\)?\s*$)?",
    re.IGNORECASE,
)
# The opening of minutes: "Hôm nay, ngày 20 tháng 11 năm 2024, tại ..." / "Vào lúc 14 giờ, ngày ..."
_MINUTES_DATE = re.compile(
    r"^(?:Hôm nay|Vào hồi|Vào lúc)[^.]{0,40}?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE
)
_LEAD_DATE = re.compile(r"^Ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b|^Ngày\s+(\d{1,2}/\d{1,2}/\d{4})\b")
MAX_LEAD_TITLE_CHARS = 200


def date_value(text: str | None) -> str | None:
    """``text`` when it is a date ("19/09/2024"), else ``None`` ("Đã biết", "Đang cập nhật")."""
    return text if text and _DATE_VALUE.match(text.strip()) else None


def number_value(text: str | None) -> str | None:
    """``text`` when it is a document number ("14/KH-BCĐ"), else ``None``."""
    text = re.sub(r"\s+", "", text or "")
    return text if text and _NUMBER_VALUE.match(text) else None


def attached_to(lines: Sequence[str]) -> tuple[str | None, str | None, str | None]:
    """(decision, its date, its issuer) from "(Ban hành kèm theo Quyết định số ... ngày ... của ...)"."""
    for line in lines:
        m = _ATTACHED_TO.search(line)
        if m:
            return m.group("ref"), m.group("date"), m.group("issuer")
    return None, None, None


def minutes_date(lines: Sequence[str]) -> str | None:
    """The date minutes open with ("Hôm nay, ngày 20 tháng 11 năm 2024, ..." → "20/11/2024")."""
    for line in lines[:3]:
        m = _MINUTES_DATE.match(line.strip())
        if m:
            return f"{m.group(1)}/{m.group(2)}/{m.group(3)}"
    return None


def lead_of(sections: Sequence[Section]) -> str:
    """The first line of the text after the front matter (an article's lead sentence)."""
    for section in sections:
        for line in section.text.split("\n"):
            if line.strip():
                return line.strip()
    return ""


def is_procedure(sections: Sequence[Section]) -> bool:
    """Sections named by procedure fields (an administrative-procedure record)."""
    return sum(1 for s in sections if s.path and procedure_field(s.path[-1]) == s.path[-1]) >= MIN_PROCEDURE_FIELDS


@dataclass(frozen=True)
class PageFacts:
    """What the page says about the document, for the fields its header left empty."""

    kind: str = ""
    title: str = ""
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    place: str | None = None
    signer: str | None = None
    effective_date: str | None = None
    issued_with: str | None = None
    lead: str = ""  # where a bare unit of the issuer finds its name ("UBND huyện" ... "huyện Càng Long")


def _lead_date(lead: str) -> str | None:
    m = _LEAD_DATE.match(lead)
    if not m:
        return None
    return m.group(4) or f"{m.group(1)}/{m.group(2)}/{m.group(3)}"


def _lead_title(lead: str, issuance: Issuance | None, kind: str) -> str:
    """An article without a title: the reported document's name, else its first sentence."""
    if issuance is not None and issuance.kind == kind and issuance.rest.strip():
        return f"{kind} {issuance.rest.strip()}"
    sentence = re.split(r"(?<=[.!?])\s", lead, maxsplit=1)[0].rstrip(".")
    if len(sentence) > MAX_LEAD_TITLE_CHARS:
        sentence = sentence[:MAX_LEAD_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return sentence


def page_facts(
    site: SitePage, sections: Sequence[Section], *, kind: str, has_header: bool, front_lines: Sequence[str]
) -> PageFacts:
    """Fill-in values from the site block, the attachment line and (without a header) the article."""
    issued_with, attached_date, attached_issuer = attached_to(front_lines)
    kind = kind or canonical_kind(site.field("kind") or "") or ""
    facts = {
        "number": number_value(site.field("number")),
        "date": date_value(site.field("date")) or attached_date or minutes_date(front_lines),
        "issuer": site.field("issuer") or attached_issuer,
        "signer": site.field("signer"),
        "effective_date": date_value(site.field("effective")),
    }
    body = [s for s in sections if s.kind != KIND_PREAMBLE] or list(sections)
    lead = lead_of(body)
    title = site.title
    place = dateline_place(title) if title else None
    if has_header:
        return PageFacts(kind=kind, title=title, issued_with=issued_with, lead=lead, place=place, **facts)
    issuance = reported_issuance(lead)
    kind = kind or leading_kind(re.sub(r"^Ban hành\s+", "", title)) or (issuance.kind if issuance else "")
    if issuance is not None and issuance.kind == kind:
        facts["number"] = facts["number"] or issuance.number
        facts["date"] = facts["date"] or issuance.date
        facts["issuer"] = facts["issuer"] or issuance.issuer
    elif issuance is not None and issuance.attached_kind == kind:
        issued_with = issued_with or issuance.reference  # "ban hành Quyết định số ... kèm theo kế hoạch"
        facts["date"] = facts["date"] or issuance.date
        facts["issuer"] = facts["issuer"] or issuance.issuer
    if not kind and is_procedure(sections):
        kind = PROCEDURE
    if not kind and facts["number"]:
        kind = kind_from_code(facts["number"]) or ""
    if not kind and lead:
        kind = ARTICLE
    if kind == ARTICLE:
        facts["date"] = facts["date"] or site.published or _lead_date(lead)
    if not title and lead:
        title = _lead_title(lead, issuance, kind)
    return PageFacts(kind=kind, title=title, issued_with=issued_with, lead=lead, place=place, **facts)
