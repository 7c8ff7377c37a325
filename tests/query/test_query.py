"""Query understanding learned from a small corpus written like the plans."""

from __future__ import annotations

import pytest

from bot.query.rewriting import QueryRewriter, english_terms, is_english

CORPUS = [
    "Phòng Văn hóa - Xã hội chủ trì, phối hợp với Trung tâm Văn hóa tuyên truyền trên hệ thống truyền thanh.",
    "Công an phường chủ trì phòng, chống tệ nạn xã hội; phối hợp với tổ dân phố.",
    "Kinh phí thực hiện từ nguồn ngân sách Nhà nước và nguồn xã hội hóa.",
    "Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” (“TDĐKXDĐSVH”) trên địa bàn thị trấn Tân Lập.",
    "Đẩy mạnh chuyển đổi số trong quản lý văn hóa; ứng dụng công nghệ thông tin trong tuyên truyền.",
]


@pytest.fixture(scope="module")
def rewriter() -> QueryRewriter:
    return QueryRewriter(CORPUS)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ai chu tri phong chong te nan xa hoi", "ai chủ trì phòng chống tệ nạn xã hội"),
        ("kinh phi lay tu nguon nao", "kinh phí lấy từ nguồn nào"),
        ("tuyen truyen tren he thong truyen thanh", "tuyên truyền trên hệ thống truyền thanh"),
        ("chuyen doi so", "chuyển đổi số"),
    ],
)
def test_diacritics_are_restored_from_the_corpus(rewriter: QueryRewriter, typed: str, expected: str) -> None:
    assert rewriter.restore(typed) == expected


def test_typed_accents_the_corpus_knows_are_kept(rewriter: QueryRewriter) -> None:
    assert rewriter.restore("Văn hóa") == "văn hóa"
    # "truyên" is a typo for "truyền" (the corpus never uses it); "ưng" for "ứng"
    assert rewriter.restore("tuyên truyên") == "tuyên truyền"
    assert rewriter.restore("ưng dụng") == "ứng dụng"


def test_one_edit_typos_and_glued_words(rewriter: QueryRewriter) -> None:
    assert rewriter.restore("tuyen truyem") == "tuyên truyền"
    assert rewriter.restore("truyenthanh") == "truyền thanh"


def test_unknown_words_stay_as_typed(rewriter: QueryRewriter) -> None:
    assert rewriter.restore("bài thơ mùa thu") == "bài thơ mùa thu"


def test_acronyms_defined_in_the_documents_are_learned(rewriter: QueryRewriter) -> None:
    assert rewriter.acronyms["TDĐKXDĐSVH"] == "Toàn dân đoàn kết xây dựng đời sống văn hóa"
    analysed = rewriter.analyse("TDĐKXDĐSVH là gì")
    assert "Toàn dân đoàn kết" in analysed.text


def test_analyse_keeps_the_raw_question(rewriter: QueryRewriter) -> None:
    analysed = rewriter.analyse("ai chu tri phong chong te nan")
    assert analysed.raw == "ai chu tri phong chong te nan"
    assert analysed.restored and "chủ trì" in analysed.text and not analysed.english
    assert not rewriter.analyse("Ai chủ trì phòng, chống tệ nạn xã hội?").restored


def test_english_questions_get_vietnamese_terms() -> None:
    assert is_english("Who is responsible for the Youth Union tasks?")
    assert not is_english("ai phụ trách đoàn thanh niên")
    terms = english_terms("Who leads the Youth Union and what is the funding?")
    assert "đoàn thanh niên" in terms and "kinh phí nguồn" in terms and "chủ trì" in terms


def test_plain_words_in_an_accented_question_are_meant_as_typed() -> None:
    # "đô" is more frequent than "do" here, yet "do ai ký" in a question typed with accents is "do"
    rewriter = QueryRewriter(
        [*CORPUS, "Xây dựng đô thị văn minh; đô thị xanh, đô thị sạch.", "Tài liệu do phòng biên soạn."]
    )
    assert rewriter.restore("Kế hoạch do ai ký") == "kế hoạch do ai ký"
    # the same letters typed without any accent are still restored from the corpus statistics
    assert rewriter.restore("xay dung do thi van minh") == "xây dựng đô thị văn minh"
    # a syllable the corpus does not know unaccented is still corrected in an accented question
    assert rewriter.restore("Kinh phí thực hiện từ nguôn ngân sách") == "kinh phí thực hiện từ nguồn ngân sách"
