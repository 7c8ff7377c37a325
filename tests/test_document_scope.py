"""Resolving a question's document references against indexed documents (bot.retrieval.document_scope)."""

from __future__ import annotations

import pytest

from bot.models import KIND_PREAMBLE, Chunk, DocumentMeta
from bot.retrieval.document_scope import NAMED_BY_KIND_YEAR, NAMED_BY_NUMBER, DocumentResolver


def _meta(doc_id: str, **fields: object) -> DocumentMeta:
    return DocumentMeta(doc_id=doc_id, source=f"{doc_id}.txt", title=str(fields.pop("title", doc_id)), **fields)  # type: ignore[arg-type]


DOCUMENTS = [
    _meta(
        "nd86",
        doc_type="Nghị định",
        number="86/2023/NĐ-CP",
        date="07/12/2023",
        issuer="Chính phủ",
        title="Nghị định quy định khung tiêu chuẩn xét tặng danh hiệu Gia đình văn hóa",
    ),
    _meta(
        "qd22",
        doc_type="Quyết định",
        number="22/2024/QĐ-UBND",
        date="19/9/2024",
        issuer="Ủy ban nhân dân tỉnh Phú Thọ",
        locality="tỉnh Phú Thọ",
        implements=("Nghị định số 86/2023/NĐ-CP ngày 07 tháng 12 năm 2023 của Chính phủ",),
    ),
    _meta(
        "kh47",
        doc_type="Kế hoạch",
        number="47/KH-BCĐ",
        date="tháng 4 năm 2020",
        issuer="Ban Chỉ đạo phong trào huyện Ba Chẽ",
        locality="huyện Ba Chẽ",
    ),
    # the same number and code by another issuer in another year
    _meta("kh47b", doc_type="Kế hoạch", number="47/KH-UBND", date="05/3/2024", issuer="Ủy ban nhân dân xã Hòa An"),
    _meta(
        "kh14",
        doc_type="Kế hoạch",
        number="14/KH-BCĐ",
        date="04/01/2023",
        issuer="Ban Chỉ đạo Trung ương phong trào",
    ),
    _meta("ctr10", doc_type="Chương trình hành động", number="10-CTr/ĐU", date="08/4/2026", locality="phường Lê Chân"),
    _meta("bc20", doc_type="Báo cáo", number="20/UBND-BCĐPT", date="11/8/2020", locality="xã Thiệu Duy"),
    _meta("draft", doc_type="Kế hoạch", number="/KH-VPUB", date="tháng 02 năm 2026", issuer="Văn phòng UBND Sơn La"),
]


@pytest.fixture
def resolver() -> DocumentResolver:
    texts = {"draft": "Thực hiện Quyết định số 2214/QĐ-TTg ngày 28/12/2021 của Thủ tướng Chính phủ."}
    return DocumentResolver(DOCUMENTS, texts)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Nghị định 86/2023/NĐ-CP được ban hành ngày nào?", {"nd86"}),
        ("nghi dinh 86 ban hanh ngay nao", {"nd86"}),
        ("NĐ 86 của Chính phủ quy định gì?", {"nd86"}),
        ("Quyết định 22/2024/QĐ-UBND của tỉnh Phú Thọ quy định gì?", {"qd22"}),
        ("quyet dinh 22 cua phu tho", {"qd22"}),
        ("KH 47/KH-BCĐ yêu cầu gì?", {"kh47"}),  # not 47/KH-UBND: the codes differ
        ("Kế hoạch 47/KH-UBND", {"kh47b"}),
        ("Kế hoạch 47 năm 2020", {"kh47"}),  # the year tells the two plans numbered 47 apart
        ("Kế hoạch 47 của huyện Ba Chẽ", {"kh47"}),  # and so does the issuer
        ("10-CTr/ĐU đề ra mấy nhiệm vụ?", {"ctr10"}),
        ("Chương trình hành động 10-CTr/ĐU", {"ctr10"}),
        ("Báo cáo 20 của xã Thiệu Duy", {"bc20"}),
        ("Số 20/UBND-BCĐPT lập ngày nào?", {"bc20"}),  # no kind word: the code agrees
        ("So sánh Kế hoạch 14/KH-BCĐ và Kế hoạch 47/KH-BCĐ", {"kh14", "kh47"}),
    ],
)
def test_named_document(resolver: DocumentResolver, question: str, expected: set[str]) -> None:
    scope = resolver.resolve(question)
    assert scope.named == expected
    assert scope.doc_ids == expected
    assert all(r.how == NAMED_BY_NUMBER for r in scope.resolutions if r.named)


@pytest.mark.parametrize(
    "question",
    [
        "Quyết định 86/2023/QĐ-UBND",  # same number, another kind
        "Nghị định 86/2022/NĐ-CP",  # same number and kind, another year
        "Kế hoạch 47 năm 2023",  # neither plan 47 is of 2023
        "Quyết định 22/2024/QĐ-UBND của tỉnh Thái Bình",  # the stated issuer contradicts
        "Kế hoạch 14/KH-UBND",  # the code contradicts
        "Báo cáo 10",  # 10 is a programme's number, not a report's
    ],
)
def test_partial_agreement_is_no_match(resolver: DocumentResolver, question: str) -> None:
    assert resolver.resolve(question).named == frozenset()


def test_unknown_number_is_reported(resolver: DocumentResolver) -> None:
    scope = resolver.resolve("Kế hoạch 99/KH-UBND giao nhiệm vụ gì?")
    assert scope.doc_ids is None
    assert [ref.number for ref in scope.unknown] == ["99"]
    assert scope.missing == "Không có văn bản Kế hoạch 99/KH-UBND trong dữ liệu."
    assert resolver.resolve("Kế hoạch thực hiện phong trào gồm những gì?").missing is None


def test_citing_is_not_being(resolver: DocumentResolver) -> None:
    named = resolver.resolve("Nghị định 86/2023/NĐ-CP quy định gì?")
    assert named.named == {"nd86"}
    assert named.cited_elsewhere == {"qd22"}  # its basis cites the decree: kept, not named
    cited = resolver.resolve("Quyết định 2214/QĐ-TTg phê duyệt gì?")
    assert cited.named == frozenset()
    assert cited.citing == {"draft"}  # the index holds it only through the text citing it
    assert cited.doc_ids == {"draft"}
    assert cited.missing is None
    assert resolver.citing(cited.resolutions[0].ref) == ("draft",)


def test_kind_and_year_narrow_only_when_the_issuer_makes_them_unique(resolver: DocumentResolver) -> None:
    scope = resolver.resolve("Kế hoạch năm 2023 của Ban Chỉ đạo Trung ương thực hiện theo ý kiến của ai?")
    assert scope.named == {"kh14"}
    assert scope.resolutions[0].how == NAMED_BY_KIND_YEAR
    assert resolver.resolve("Kế hoạch năm 2023 gồm những nội dung gì?").doc_ids is None  # no issuer stated
    assert resolver.resolve("Kế hoạch năm 2020 của xã Hòa An").doc_ids is None  # none agrees


def test_header_text_drops_only_the_named_references(resolver: DocumentResolver) -> None:
    question = "Nghị định 86/2023/NĐ-CP được ban hành ngày nào?"
    assert resolver.resolve(question).header_text(question) == "duoc ban hanh ngay nao?"
    other = "Theo Kế hoạch 14/KH-BCĐ, Quyết định 2214/QĐ-TTg được ban hành ngày nào?"
    assert resolver.resolve(other).header_text(other) == ""  # asks the date of the decision it cites
    law = "Quyết định 22/2024/QĐ-UBND căn cứ Luật Thi đua, khen thưởng ban hành ngày nào?"
    assert resolver.resolve(law).header_text(law) == ""
    # the named document's own kind said again (a translation appended to an English question) is
    # no other document
    again = "When was Plan No. 14/KH-BCĐ issued? kế hoạch ban hành"
    assert resolver.resolve(again).header_text(again) != ""


def test_number_from_the_header_line_when_the_metadata_lacks_it() -> None:
    meta = _meta("portal", title="Tuyên truyền về Nghị định")
    chunk = Chunk(
        chunk_id="p1",
        doc_id="portal",
        section_path=(),
        text="CHÍNH PHỦ\nSố: 86/2023/NĐ-CP\nHà Nội, ngày 07 tháng 12 năm 2023",
        context="",
        kind=KIND_PREAMBLE,
    )
    resolver = DocumentResolver.from_snapshot([meta], [chunk])
    assert resolver.resolve("Nghị định 86/2023/NĐ-CP quy định gì?").named == {"portal"}
