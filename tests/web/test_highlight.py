"""Finding a quote in a section's text and cutting the text into marked segments (bot.web.highlight)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.web.highlight import find_quote, highlight, segments, split_first_line

SECTION = "1. Phòng Văn hóa\n- Chủ trì tham mưu UBND phường.\n- Tổng hợp báo cáo trước ngày 15/6/2026."


def marked(pieces: list[tuple[str, bool]]) -> list[str]:
    return [piece for piece, is_marked in pieces if is_marked]


def test_an_exact_quote_is_marked_as_written() -> None:
    pieces = highlight(SECTION, "- Chủ trì tham mưu UBND phường.")
    assert pieces == [
        ("1. Phòng Văn hóa\n", False),
        ("- Chủ trì tham mưu UBND phường.", True),
        ("\n- Tổng hợp báo cáo trước ngày 15/6/2026.", False),
    ]


def test_a_multi_line_quote_marks_each_of_its_lines_and_no_line_break() -> None:
    pieces = highlight(SECTION, "- Chủ trì tham mưu UBND phường.\n- Tổng hợp báo cáo")
    assert pieces is not None
    assert marked(pieces) == ["- Chủ trì tham mưu UBND phường.", "- Tổng hợp báo cáo"]
    assert ("\n", False) in pieces


def test_a_quote_whose_spaces_differ_is_found_from_its_first_to_its_last_character() -> None:
    span = find_quote(SECTION, "  Văn hóa - Chủ trì   tham mưu\tUBND ")
    assert span is not None
    assert SECTION[span[0] : span[1]] == "Văn hóa\n- Chủ trì tham mưu UBND"


def test_a_quote_of_the_files_markdown_is_found_in_the_text_shown() -> None:
    shown = "1.1. Trưởng Ban chỉ đạo: Phụ trách chung.\n- Chỉ đạo chung."
    pieces = highlight(shown, "1.1. Trưởng Ban chỉ đạo:** Phụ trách chung.\n\n- Chỉ")
    assert pieces is not None
    assert marked(pieces) == ["1.1. Trưởng Ban chỉ đạo: Phụ trách chung.", "- Chỉ"]
    assert highlight(shown, "**") is None  # nothing but markup is no quote


def test_a_quote_holding_a_page_number_the_text_left_out_is_found_by_its_ends() -> None:
    before, after = (
        "- Tập trung thực hiện các nhiệm vụ, giải pháp được quy định tại các Nghị",
        "quyết của Đảng về xây dựng và phát triển văn hóa.",
    )
    shown = f"Mở đầu.\n{before} {after}\nHết."
    quote = f"{before} \n\n5 \n\n{after}"  # the file's page number stands inside the quote
    span = find_quote(shown, quote)
    assert span is not None
    assert shown[span[0] : span[1]] == shown.split("\n")[1]
    assert find_quote(shown, quote.replace("phát triển văn hóa.", "xã hội và nhiều thứ khác nữa.")) is None


def test_whitespace_is_tried_before_markup() -> None:
    text = "a*b\na b"
    assert find_quote(text, "a  b") == (4, 7)
    assert find_quote(text, "a#b") == (0, 3)


def test_the_first_line_is_split_off_with_its_marks() -> None:
    pieces = [("I. MỤC ", False), ("TIÊU", True), ("\n", False), ("- Một", True), ("\nHai", False)]
    assert split_first_line(pieces) == ([("I. MỤC ", False), ("TIÊU", True)], [("- Một", True), ("\nHai", False)])
    assert split_first_line([("một dòng", False)]) == ([("một dòng", False)], [])


def test_the_surrounding_whitespace_of_a_quote_is_not_marked() -> None:
    pieces = highlight(SECTION, "\n  - Tổng hợp báo cáo  \n")
    assert pieces is not None
    assert marked(pieces) == ["- Tổng hợp báo cáo"]


def test_a_blank_or_absent_quote_marks_nothing() -> None:
    assert highlight(SECTION, "") is None
    assert highlight(SECTION, " \n ") is None
    assert highlight(SECTION, "Công an xã") is None
    assert find_quote("", "a") is None


def test_the_first_occurrence_is_marked_once() -> None:
    pieces = highlight("a b a b", "a b")
    assert pieces == [("a b", True), (" a b", False)]


def test_no_span_leaves_the_text_whole() -> None:
    assert segments(SECTION, None) == [(SECTION, False)]
    assert segments("", None) == []


texts = st.text(alphabet=st.sampled_from("aăbđ ơ\n\t-.<>&\"'*#1"), max_size=60)


@given(texts, st.text(max_size=20))
def test_the_segments_joined_are_always_the_text(text: str, quote: str) -> None:
    pieces = highlight(text, quote)
    if pieces is not None:
        assert "".join(piece for piece, _ in pieces) == text
        assert all(piece for piece, _ in pieces)
        assert not any("\n" in piece for piece in marked(pieces))


@given(texts, st.data())
def test_any_span_cut_into_segments_keeps_the_text_and_marks_exactly_the_span(text: str, data: st.DataObject) -> None:
    begin = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(begin, len(text)))
    pieces = segments(text, (begin, end))
    assert "".join(piece for piece, _ in pieces) == text
    assert "".join(marked(pieces)) == text[begin:end].replace("\n", "")


@given(texts, st.data())
def test_a_span_of_the_text_is_found_and_marked_as_itself(text: str, data: st.DataObject) -> None:
    begin = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(begin, len(text)))
    quote = text[begin:end]
    pieces = highlight(text, quote)
    if not quote.strip():
        assert pieces is None
        return
    assert pieces is not None
    assert "".join(marked(pieces)) == quote.strip().replace("\n", "")


@given(texts, st.data())
def test_a_span_with_its_whitespace_changed_is_still_found(text: str, data: st.DataObject) -> None:
    begin = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(begin, len(text)))
    quote = text[begin:end]
    spaced = re.sub(r"\s+", lambda m: data.draw(st.sampled_from(["", " ", "\n", "  \t"])), quote)
    span = find_quote(text, spaced)
    if not quote.strip():
        assert span is None
        return
    assert span is not None
    skeleton = re.sub(r"\s+", "", text[span[0] : span[1]])
    assert skeleton == re.sub(r"\s+", "", quote)


@given(texts, st.data())
def test_the_first_line_and_the_rest_make_the_text(text: str, data: st.DataObject) -> None:
    begin = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(begin, len(text)))
    first, rest = split_first_line(segments(text, (begin, end)))
    joined = "".join(p for p, _ in first) + ("\n" + "".join(p for p, _ in rest) if "\n" in text else "")
    assert joined == text
    assert not any("\n" in p for p, _ in first)
