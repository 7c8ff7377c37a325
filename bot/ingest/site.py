"""What a web page adds around a document copied from it: page title, posting time, the legal
site's metadata block, bylines.

Text copied from a portal or a legal-document site opens with the page title and the posting time
("Thứ hai - 18/12/2023 14:25", "Đăng lúc: 19/08/2020 (GMT+7)"), legal sites then give a metadata
block ("Số hiệu 14/KH-BCĐ", "Ngày ban hành: 19/09/2024 Ngày hiệu lực: Đã biết", one or two fields a
line), and articles end with bylines ("Tác giả bài viết: ...", "Nguồn tin: ..."). None of this is
the document's content: :func:`read_site` takes it out of the body (the title, block and bylines
go to the header, which stays quotable; timestamps and bylines are dropped) and reads the fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.ingest.cleanup import Line
from bot.ingest.patterns import is_caps, numbering_of
from bot.text.normalize import match_form

# Site-block labels → field name (longest first where one label begins another).
SITE_FIELDS = (
    ("Số ký hiệu", "number"),
    ("Số hiệu", "number"),
    ("Ký hiệu", "number"),
    ("Loại văn bản", "kind"),
    ("Cơ quan ban hành", "issuer"),
    ("Nơi ban hành", "place"),
    ("Người ký", "signer"),
    ("Ngày ban hành", "date"),
    ("Ngày có hiệu lực", "effective"),
    ("Ngày hiệu lực", "effective"),
    ("Ngày hết hiệu lực", "expiry"),
    ("Ngày công báo", "gazette_date"),
    ("Số công báo", "gazette_number"),
    ("Tình trạng hiệu lực", "status"),
    ("Tình trạng", "status"),
    ("Lĩnh vực", "field"),
    ("Cấp ban hành", "level"),
    ("Trích yếu", "summary"),
    ("Chức vụ", "signer_title"),
)
_LABELS = "|".join(re.escape(label) for label, _ in sorted(SITE_FIELDS, key=lambda x: -len(x[0])))
_FIELD_OF = {label: name for label, name in SITE_FIELDS}
# A label at the start of the line or after a value, then ":" or a space and the value.
_SITE_PAIR = re.compile(rf"(?:^|(?<=\s))(?P<label>{_LABELS})(?:\s*:\s*|\s+)(?=\S)")

_WEEKDAY = r"(?:Thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|Chủ\s+nhật)"
_POSTED = r"(?:Đăng lúc|Đăng ngày|Ngày đăng|Đăng tải|Cập nhật lúc|Cập nhật|Ngày cập nhật|Thời gian đăng|Ngày xuất bản)"
_DATE = r"(?P<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{4})"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM|SA|CH))?"
_TIMESTAMP = re.compile(
    rf"^(?:{_WEEKDAY}\s*[,\-–]?\s*)?(?:{_POSTED}\s*:?\s*)?(?:{_WEEKDAY}\s*[,\-–]?\s*)?"
    rf"(?:{_TIME}\s*[,\-–|]?\s*)?(?:ngày\s+)?{_DATE}(?:\s*[,\-–|]?\s*(?:lúc\s+)?{_TIME})?"
    r"\s*(?:\(GMT\s*[+-]\s*\d{1,2}\))?\s*(?:[|–-]\s*(?:Lượt xem|Lượt đọc|Số lượt xem)\s*:?\s*[\d.]+)?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:Tác giả bài viết|Tác giả|Người viết|Nguồn tin|Nguồn|Tin, ảnh|Tin và ảnh|Lượt xem|Lượt truy cập)\s*:",
    re.IGNORECASE,
)
MAX_TITLE_CHARS = 300
MAX_BYLINE_CHARS = 150
_HEADER_WINDOW = 15  # a document's own header (motto, "Số:") stands in its first lines


@dataclass(frozen=True)
class SitePage:
    """A document's lines with the page's additions taken out.

    ``fields`` are the site block's (field name, value) pairs in order (names of :data:`SITE_FIELDS`);
    ``published`` the posting date ("18/12/2023"); ``title`` the page title ("" when none);
    ``header`` the lines taken out that stay quotable (title, site block) as written.
    """

    lines: tuple[Line, ...]
    title: str = ""
    published: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    header: tuple[str, ...] = ()

    def field(self, name: str) -> str | None:
        """The first value of field ``name``, ``None`` when the block has none."""
        return next((value for key, value in self.fields if key == name), None)


def posted_date(text: str) -> str | None:
    """The date of a posting-time line ("Thứ hai - 18/12/2023 14:25" → "18/12/2023"), else ``None``."""
    m = _TIMESTAMP.match(text.strip())
    return re.sub(r"[.-]", "/", m.group("date")) if m else None


def site_pairs(text: str) -> list[tuple[str, str]]:
    """(field, value) pairs of a site-block line ("Số hiệu: 22/2024/QĐ-UBND Loại văn bản: Quyết định"),
    ``[]`` when the line does not open with a label."""
    matches = list(_SITE_PAIR.finditer(text))
    if not matches or matches[0].start() != 0:
        return []
    pairs = []
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        value = text[m.end() : end].strip()
        if value:
            pairs.append((_FIELD_OF[m.group("label")], value))
    return pairs


def is_byline(text: str) -> bool:
    """ "Tác giả bài viết: ...", "Nguồn tin: chinhphu.vn": an article's credits, not its content."""
    return len(text) <= MAX_BYLINE_CHARS and bool(_BYLINE.match(text.strip()))


def _is_motto(text: str) -> bool:
    form = match_form(text)
    return "xã hội chủ nghĩa" in form or form.startswith(("độc lập", "đảng cộng sản"))


def has_own_header(lines: Sequence[Line]) -> bool:
    """The document carries an official header: the national motto or a "Số:" line near the top."""
    return any(_is_motto(line.text) or re.match(r"^Số\s*:", line.text.strip()) for line in lines[:_HEADER_WINDOW])


def _could_be_title(text: str) -> bool:
    text = text.strip()
    return (
        0 < len(text) <= MAX_TITLE_CHARS
        and not text.endswith((".", ";", ":", ","))
        and numbering_of(text) is None
        and not is_caps(text)
        and not site_pairs(text)
        and posted_date(text) is None
    )


def read_site(lines: Sequence[Line]) -> SitePage:
    """Take the page title, posting time, site block and bylines out of ``lines``."""
    published: str | None = None
    kept: list[Line] = []
    fields: list[tuple[str, str]] = []
    for line in lines:
        date = posted_date(line.text)
        if date is not None and len(kept) <= 3:  # a posting time stands by the title, never in the body
            published = published or date
            continue
        if is_byline(line.text):
            continue  # credits: neither content nor the document's metadata
        kept.append(line)
    # the metadata block: consecutive field lines near the top (after an optional page title)
    start = 1 if kept and not site_pairs(kept[0].text) else 0
    end = start
    while end < len(kept) and site_pairs(kept[end].text):
        fields += site_pairs(kept[end].text)
        end += 1
    if len({name for name, _ in fields}) < 2:
        fields, end = [], start
    has_block = end > start
    title = ""
    # a page title: the block or the posting time stands by it, or the text has no header of its own
    by_title = (has_block and start == 1) or published is not None
    if kept and _could_be_title(kept[0].text) and (by_title or not has_own_header(kept)):
        title = kept[0].text
    block = [line.text for line in kept[start:end]]
    rest = [*kept[:start], *kept[end:]]
    if title:
        rest = rest[1:]
    return SitePage(
        lines=tuple(rest),
        title=title,
        published=published,
        fields=tuple(fields),
        header=tuple(([title] if title else []) + block),
    )
