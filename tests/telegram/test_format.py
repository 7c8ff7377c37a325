"""HTML escaping, rendering and splitting of Telegram messages (pure functions)."""

from __future__ import annotations

import html
import re

import pytest

from bot.answering.engine import Answer, Citation
from bot.models import DocumentMeta
from bot.telegram.format import (
    escape,
    format_answer,
    format_plans,
    format_sources,
    readable_quote,
    shorten,
    split_html,
    telegram_length,
)


def _visible(markup: str) -> str:
    return html.unescape(re.sub(r"<[^<>]+>", "", markup))


def _balanced(markup: str) -> bool:
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([\w-]+)[^<>]*>", markup):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def test_escape_only_what_html_mode_needs() -> None:
    assert escape('a < b & c > "d"') == 'a &lt; b &amp; c &gt; "d"'


def test_short_text_is_one_part() -> None:
    assert split_html("<b>Xin chào</b>") == ["<b>Xin chào</b>"]
    assert split_html("") == [] and split_html("  \n ") == []


def test_split_prefers_line_breaks() -> None:
    lines = [f"Dòng {i}: " + "chữ " * 20 for i in range(60)]
    parts = split_html("\n".join(lines), limit=500)
    assert len(parts) > 1
    for part in parts:
        assert telegram_length(part) <= 500
        assert part.startswith("Dòng ")  # each part begins at a line
    assert "\n".join(parts).split() == "\n".join(lines).split()


@pytest.mark.parametrize("limit", [100, 157, 333, 4096])
def test_split_never_cuts_tags_or_entities_and_keeps_all_text(limit: int) -> None:
    pieces = [f'<b>Mục {i}</b> <i>“x &lt; y &amp; z”</i> <a href="https://e.org/{i}">liên kết</a>' for i in range(200)]
    text = "<blockquote>" + " ".join(pieces) + "</blockquote>" + " 😀" * 3
    parts = split_html(text, limit=limit)
    assert len(parts) >= (1 if limit == 4096 and telegram_length(text) <= 4096 else 2)
    for part in parts:
        assert telegram_length(part) <= limit
        assert _balanced(part), part
        assert re.search(r"&[#\w]*(?![#\w;])", part) is None
        assert re.search(r"<[^>]*$|^[^<]*>", part) is None  # no half tag at either end
    assert " ".join(_visible(p) for p in parts).split() == _visible(text).split()


def test_a_tag_open_at_a_cut_is_reopened() -> None:
    parts = split_html("<i>" + "một hai ba " * 30 + "</i>", limit=60)
    assert all(p.startswith("<i>") and p.endswith("</i>") for p in parts)


def test_a_word_longer_than_the_limit_is_cut() -> None:
    parts = split_html("x" * 300, limit=100)
    assert "".join(parts) == "x" * 300 and all(len(p) <= 100 for p in parts)


def test_emoji_count_two_toward_the_limit() -> None:
    parts = split_html("😀" * 30, limit=20)
    assert all(telegram_length(p) <= 20 for p in parts) and "".join(parts) == "😀" * 30


def test_shorten() -> None:
    assert shorten("a  b\nc", 10) == "a b c"
    assert shorten("một hai ba bốn năm", 12) == "một hai ba…"


META = DocumentMeta(
    doc_id="k", source="k.txt", title="Kế hoạch A", doc_type="Kế hoạch", number="78/KH-UBND",
    date="29/09/2025", locality="phường Kinh Môn",
)  # fmt: skip


def test_answer_shows_plan_section_and_quote_escaped() -> None:
    citation = Citation(
        "k", "Kế hoạch A", "phường Kinh Môn", "VI. TỔ CHỨC > 3. Trung tâm <VH>", "- Tuyên truyền & vận động", 1
    )
    text = format_answer(Answer("answered", "Theo “A” [1]", (citation,)), {"k": META}, understood="còn <x>?")
    assert "<i>Câu hỏi: còn &lt;x&gt;?</i>" in text
    assert "[1] <b>Kế hoạch số 78/KH-UBND (phường Kinh Môn) › VI. TỔ CHỨC › 3. Trung tâm &lt;VH&gt;</b>" in text
    assert "<i>“- Tuyên truyền &amp; vận động”</i>" in text
    assert _balanced(text)


def test_not_found_answer_has_no_sources_block() -> None:
    text = format_answer(Answer("not_found", "Các kế hoạch không nêu thông tin này."), {})
    assert text == "Các kế hoạch không nêu thông tin này."


def test_sources_show_the_whole_quote() -> None:
    quote = "dài " * 200
    text = format_sources([Citation("k", "Kế hoạch A", "phường Kinh Môn", "I > 1", quote, 1)], {"k": META})
    assert f"<blockquote>{quote.strip()}</blockquote>" in text and "ngày 29/09/2025" in text


def test_quotes_read_well_without_markdown_markers_or_page_breaks() -> None:
    quote = "1.1. Trưởng Ban chỉ đạo:** Phụ trách chung.\n\n- Đạt danh hiệu “*Gia đình văn hóa*” \n\n"
    quote += "trong năm;  \n- 5 * 3 tổ."
    assert readable_quote(quote) == (
        "1.1. Trưởng Ban chỉ đạo: Phụ trách chung.\n- Đạt danh hiệu “Gia đình văn hóa” trong năm;\n- 5 * 3 tổ."
    )


def test_plans_list_number_date_locality() -> None:
    blank = DocumentMeta(
        doc_id="c", source="c.md", title="KH", number="/KH-BCĐ", date="tháng 3 năm 2024", locality="thị trấn Cao Lộc"
    )
    text = format_plans([META, blank])
    assert "số 78/KH-UBND, ngày 29/09/2025, phường Kinh Môn" in text
    assert "ký hiệu /KH-BCĐ, tháng 3 năm 2024, thị trấn Cao Lộc" in text
