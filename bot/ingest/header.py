"""Document metadata from the header block, title, preamble, recipients and signature.

Nothing is guessed: a field the document does not state stays ``None``/empty. Where the header
block is missing (text exported without the two-column header table), the same facts are read
from what the document does say: the title ("... của Ban Thường vụ Đảng ủy phường Lê Chân"), the
preamble ("Văn phòng UBND tỉnh ban hành kế hoạch ..."), or the appendix line describing the
document itself ("Kèm theo Chương trình hành động số 10-CTr/ĐU ngày 08/4/2026 ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.ingest.front import DOC_REFERENCE, Front
from bot.ingest.issuer import issuer_block, readable_issuer
from bot.ingest.kinds import kind_from_code, refine_kind
from bot.ingest.pagemeta import page_facts
from bot.ingest.patterns import is_caps, is_list_item, is_person_name, is_recipients_start
from bot.ingest.site import SitePage
from bot.models import KIND_PREAMBLE, KIND_RECIPIENTS, KIND_SIGNATURE, DocumentMeta, Section
from bot.text.normalize import match_form
from bot.text.places import UNIT_ABBREVIATIONS, UNIT_WORDS_LONGEST_FIRST, PlaceMention, find_places
from bot.text.places.units import level_word

# --- number and date ---------------------------------------------------------------------------

_NUMBER = re.compile(r"Số\s*:?\s*(?P<number>\d*\s*[/-]\s*[^\s,;]+|\d+[^\s,;]*)")
_DATE = re.compile(r"ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})", re.IGNORECASE)
_PLACE = re.compile(r"(?P<place>[^\s,][^,]*?),\s*ngày\b", re.IGNORECASE)
_SELF_REFERENCE = re.compile(r"\(?\s*Kèm theo\s+(?P<type>.+?)\s+số\s+(?P<number>\S+)\s+ngày\s+(?P<date>[\d/]+)")


def parse_number(lines: Sequence[str]) -> str | None:
    """Số hiệu from the header: "Số:78/KH-UBND" → "78/KH-UBND"; "Số: /KH-BCĐ" → "/KH-BCĐ"."""
    for line in lines:
        m = _NUMBER.search(line)
        if m and ("/" in m.group("number") or "-" in m.group("number")):
            return re.sub(r"\s+", "", m.group("number"))
    return None


def parse_date(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """(date, place) from the date line: "Kinh Môn, ngày 29 tháng 09 năm 2025" → ("29/09/2025", "Kinh Môn").

    A blank day ("ngày tháng 3 năm 2024") gives "tháng 3 năm 2024".
    """
    for line in lines:
        m = _DATE.search(line)
        if not m:
            continue
        day, month, year = m.group("day"), m.group("month"), m.group("year")
        date = f"{day}/{month}/{year}" if day else f"tháng {month} năm {year}"
        head = line[: m.start()]
        number = _NUMBER.search(head)
        if number:
            head = head[number.end() :]
        place_match = _PLACE.search(head + "ngày")
        place = place_match.group("place").strip() if place_match else None
        return date, place or None
    return None, None


def self_reference(sections: Sequence[Section], doc_type: str) -> tuple[str | None, str | None]:
    """(number, date) from an appendix line "Kèm theo <this type> số X ngày D" naming this document."""
    if not doc_type:
        return None, None
    for section in sections:
        for m in _SELF_REFERENCE.finditer(section.text):
            if match_form(m.group("type")) == match_form(doc_type):
                return m.group("number"), m.group("date")
    return None, None


# --- issuer and locality -----------------------------------------------------------------------

_BARE_UNIT_END = re.compile(rf"\b(?:{'|'.join(UNIT_WORDS_LONGEST_FIRST)})\s*$", re.IGNORECASE)
# Bodies whose jurisdiction is a whole locality: their plan is the locality's plan.
_GENERAL_BODIES = (
    "ủy ban nhân dân",
    "ubnd",
    "hội đồng nhân dân",
    "ban chỉ đạo",
    "ban thường vụ",
    "ban chấp hành",
    "đảng ủy",
    "đảng bộ",
    "ủy ban mặt trận",
    "thành ủy",
    "tỉnh ủy",
    "huyện ủy",
    "quận ủy",
)
_ISSUING_CLAUSE = re.compile(
    r"(?:^|[.;,]\s+)(?P<issuer>[^.;,]+?)\s+(?:(?:đã|vừa)\s+)?(?:ban hành|xây dựng)\s+(?:kế hoạch|chương trình)",
    re.IGNORECASE,
)
_OF_ISSUER = re.compile(r"^của\s+(?P<issuer>.+?)(?=\s+(?:thực hiện|về|triển khai|năm|giai đoạn)\b|$)")


def _strip_parentheses(text: str) -> str:
    return " ".join(re.sub(r"\([^)]*\)", " ", text).split())


def find_issuer(front: Front, preamble: str) -> str | None:
    """The issuing body, from the header lines, else the title ("của ..."), else the preamble."""
    issuer_lines = issuer_block(front.header)
    if issuer_lines:
        return readable_issuer(issuer_lines)
    if front.title:
        m = _OF_ISSUER.match(" ".join(front.title))
        if m:
            return _strip_parentheses(m.group("issuer"))
    for m in _ISSUING_CLAUSE.finditer(preamble):
        issuer = _strip_parentheses(m.group("issuer"))
        if issuer and issuer[0].isupper() and len(issuer) <= 150:
            return issuer
    return None


_LEADING_ABBREVIATION = re.compile(
    rf"^(?:{'|'.join(map(re.escape, sorted(UNIT_ABBREVIATIONS, key=len, reverse=True)))})\s*"
)


def complete_issuer(issuer: str, title: str, place: str | None) -> str:
    """Name a bare unit at the end of an issuer: "Ủy ban nhân dân huyện" → "... huyện Cẩm Xuyên"."""
    m = _BARE_UNIT_END.search(issuer)
    if not m:
        return issuer
    unit = match_form(m.group(0))
    for named in find_places(title):
        if named.with_unit_word and match_form(named.written[: -len(named.name)].rstrip(" .")) == unit:
            return f"{issuer} {named.name}"
    if place:
        bare_place = _LEADING_ABBREVIATION.sub("", place)
        return f"{issuer} {bare_place}"
    return issuer


OPENING_CHARS = 600  # how much of a text without header or title may name its place
_DATE_LINE_AFTER = re.compile(r"\s*,\s*ngày\b", re.IGNORECASE)  # "Hà Nội, ngày ...": where it was signed


_ISSUING_LEVEL = re.compile(
    rf"(?:{'|'.join(map(re.escape, _GENERAL_BODIES))})(?:\s+(?:“[^”]*”|\"[^\"]*\"))?\s+"
    rf"({'|'.join([*UNIT_WORDS_LONGEST_FIRST, 'tp'])})\s+(?:vừa|đã|ban hành|xây dựng)"
)


def locality_place(issuer: str | None, title: str, opening: str = "") -> tuple[str, PlaceMention] | None:
    """The place the plan is for, as users name it ("phường Kinh Môn", "Văn phòng UBND tỉnh Sơn La"),
    with the place it names (level, province): from the issuer, else the title, else the opening
    lines of a text without either (a news item: "Ba Chẽ: Triển khai ...").

    A locality-wide body (UBND, Đảng ủy, Ban Chỉ đạo...) plans for its locality; an agency (Văn
    phòng, Sở, Phòng...) plans for itself, so the agency is the locality.
    """
    if issuer:
        places = list(find_places(issuer))
        if places and not any(match_form(issuer).startswith(body) for body in _GENERAL_BODIES):
            if places[0].with_unit_word and len(issuer) <= 100:
                return issuer, places[0]
        elif places:
            return places[0].canonical, places[0]
    # read together, so that each place's province may come from the other ("xã An Điền ... thị xã Bến Cát")
    text = f"{title}\n{opening}"
    places = [p for p in find_places(text) if not _DATE_LINE_AFTER.match(text, p.span[1])]
    places = [p for p in places if p.span[1] <= len(title)] or places
    # "UBND huyện ban hành ..." says which of the places named is the issuer's
    issuing = _ISSUING_LEVEL.search(match_form(text))
    word = UNIT_ABBREVIATIONS.get(issuing.group(1).upper(), issuing.group(1)) if issuing else None
    chosen = next((p for p in places if level_word(p.level) == word), places[0] if places else None)
    return (chosen.canonical, chosen) if chosen else None


def find_locality(issuer: str | None, title: str, opening: str = "") -> str | None:
    """The locality of :func:`locality_place`, or ``None``."""
    found = locality_place(issuer, title, opening)
    return found[0] if found else None


# --- preamble, recipients, signature -----------------------------------------------------------

# What may stand before a top-level citation: the opening verb, a list separator or "và".
_VERB_BEFORE = re.compile(
    r"(?:^|[.;]\s+)(?:Thực hiện|Căn cứ|Triển khai|Theo|Trên cơ sở|Thi hành)\s+$|[;,]\s*$|\svà\s+$"
)
_LAW = re.compile(r"(?:Bộ luật|Luật|Pháp lệnh|Hiến pháp)\s+(?=\w)")
_LAW_BEFORE = re.compile(r"(?:^|\s)Căn cứ\s+$|;\s*$")
_MAIN_CLAUSE = re.compile(r",\s+[^,]*\b(?:ban hành|xây dựng)\b[^,]*(?:như sau|:)\s*$")
_SENTENCE_END = re.compile(r"[.;](?:\s|$)")


def find_implements(preamble: str) -> tuple[str, ...]:
    """The higher documents named by the preamble's "Thực hiện/Căn cứ ..." clauses, as written.

    Documents cited inside another citation ("... về thực hiện Nghị quyết 80-NQ/TW") are part of
    it, not separate entries. Laws are cited by name ("Căn cứ Luật Thi đua, khen thưởng ngày ...;").
    """
    text = " ".join(preamble.split())
    starts = [m.start() for m in DOC_REFERENCE.finditer(text) if _VERB_BEFORE.search(text[: m.start()])]
    starts = sorted({*starts, *(m.start() for m in _LAW.finditer(text) if _LAW_BEFORE.search(text[: m.start()]))})
    found: list[str] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        piece = text[start:end]
        stop = _SENTENCE_END.search(piece)
        piece = piece[: stop.start()] if stop else piece
        main = _MAIN_CLAUSE.search(piece)
        piece = piece[: main.start()] if main else piece
        piece = re.sub(r"(?:\s+và|[,;:\s])+$", "", piece)
        if piece:
            found.append(piece)
    return tuple(found)


def find_recipients(section: Section | None) -> tuple[str, ...]:
    """ "Nơi nhận" lines without their leading dash."""
    if section is None:
        return ()
    out: list[str] = []
    for line in section.text.split("\n"):
        if is_recipients_start(line):
            continue
        item = re.sub(r"^[-+•–—]\s*", "", line).strip()
        if item and not is_list_item(line) and out and item[:1].islower():
            out[-1] = f"{out[-1]} {item}"  # the rest of a recipient broken over two lines
        elif item:
            out.append(item)
    return tuple(out)


def find_signer(section: Section | None) -> tuple[str | None, str | None]:
    """(name, title) from the signature block; the title joins the role lines with " / "."""
    if section is None:
        return None, None
    lines = [line.strip() for line in section.text.split("\n") if line.strip()]
    names = [line for line in lines if is_person_name(line) and not is_caps(line)]
    roles = [line for line in lines if is_caps(line)]
    return (names[-1] if names else None), (" / ".join(roles) if roles else None)


# --- entry point -------------------------------------------------------------------------------


def _first(sections: Sequence[Section], kind: str) -> Section | None:
    return next((s for s in sections if s.kind == kind), None)


def _basis_text(preamble: str, sections: Sequence[Section]) -> str:
    """The preamble, or without one the "Thực hiện/Căn cứ ..." lines opening the first sections."""
    if preamble:
        return preamble
    lines = [line for s in sections[:3] for line in s.text.split("\n")]
    return "\n".join(line for line in lines if _BASIS_LINE.match(line) and DOC_REFERENCE.search(line))


def cited_in_passing(sections: Sequence[Section]) -> tuple[str, ...]:
    """Documents a text without preamble names after "theo"/"thực hiện" in its opening lines
    ("... theo Nghị định 86/2023/NĐ-CP ngày 7/12/2023 của Chính phủ.")."""
    lines = [line for s in sections[:2] for line in s.text.split("\n")[:2]]
    found: list[str] = []
    for line in lines:
        for m in _IN_PASSING.finditer(line):
            piece = m.group("ref").rstrip(" ,")
            if piece not in found:
                found.append(piece)
    return tuple(found)


_SUBJECT_LINE = re.compile(r"^(?:V/v|Về việc)\s*:?\s+\S", re.IGNORECASE)  # a letter's subject (trích yếu)
_IN_PASSING = re.compile(
    r"\b(?:[Tt]heo|[Tt]hực hiện|[Cc]ăn cứ)\s+(?P<ref>(?:" + DOC_REFERENCE.pattern + r")[^.;]*?)(?=[.;]|,\s|$)"
)
_BASIS_LINE = re.compile(r"^(?:Thực hiện|Căn cứ|Thi hành|Triển khai)\b")


def extract_meta(
    front: Front,
    sections: Sequence[Section],
    *,
    doc_id: str,
    source: str,
    content_hash: str,
    site: SitePage | None = None,
) -> DocumentMeta:
    """Build the :class:`DocumentMeta` of a parsed document (``site``: what the web page added)."""
    site = site or SitePage(lines=())
    preamble_section = _first(sections, KIND_PREAMBLE)
    preamble = preamble_section.text if preamble_section else ""
    title_text = " ".join(front.title)
    title = f"{front.doc_type} {title_text}".strip() if front.doc_type else title_text
    number = parse_number(front.header)
    date, place = parse_date(front.header)
    if number is None or date is None:
        own_number, own_date = self_reference(sections, front.doc_type)
        number = number or own_number
        date = date or own_date
    kind = refine_kind(front.doc_type, title_text) if front.doc_type else ""
    page = page_facts(
        site,
        sections,
        kind=kind or (kind_from_code(number) or "" if number else ""),
        has_header=bool(front.header or front.doc_type or site.fields),
        front_lines=(*front.title, *front.preamble[:3]),
    )
    subject = next((line for line in front.header if _SUBJECT_LINE.match(line)), "")
    title = title or subject or page.title
    title_text = title_text or page.title
    number = number or page.number
    date = date or page.date
    place = place or page.place
    issuer = page.issuer or find_issuer(front, preamble)
    if issuer:
        issuer = complete_issuer(issuer, f"{title_text} {page.lead}", place)
    signer, signer_title = find_signer(_first(sections, KIND_SIGNATURE))
    # the opening of the body across sections: a text cut into paragraphs names its place a few lines in
    opening = (preamble or "\n".join(section.text for section in sections[:8]))[:OPENING_CHARS]
    located = locality_place(issuer, title_text, opening)
    return DocumentMeta(
        doc_id=doc_id,
        source=source,
        title=title or source,
        doc_type=page.kind,
        number=number,
        date=date,
        place=place,
        issuer=issuer,
        locality=located[0] if located else None,
        province=located[1].province if located else None,
        level=located[1].level if located and located[0] == located[1].canonical else None,
        signer=signer or page.signer,
        signer_title=signer_title,
        implements=find_implements(_basis_text(preamble, sections)) or (() if preamble else cited_in_passing(sections)),
        recipients=find_recipients(_first(sections, KIND_RECIPIENTS)),
        content_hash=content_hash,
        effective_date=page.effective_date,
        published=site.published,
        issued_with=page.issued_with,
    )
