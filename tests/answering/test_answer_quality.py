"""Answer composition on two small plans built through the real build pipeline (fake embedder)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answering.engine import STATUS_ANSWERED, STATUS_NOT_FOUND, AnswerService
from bot.answering.service import open_service
from bot.indexing.build import build_index
from tests.fakes import FakeEmbedder

TAN_LAP = """ỦY BAN NHÂN DÂN
XÃ TÂN LẬP

Số: 12/KH-UBND
Tân Lập, ngày 05 tháng 3 năm 2026

KẾ HOẠCH
Thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” xã Tân Lập năm 2026

Thực hiện Quyết định số 99/QĐ-UBND ngày 10/02/2026 của UBND huyện Yên Bình về thực hiện Phong trào.

I. MỤC TIÊU
- Phấn đấu 92% hộ gia đình được công nhận danh hiệu “Gia đình văn hóa”.
- Trên 55% người dân tập luyện thể dục thể thao thường xuyên.

II. KINH PHÍ
Kinh phí thực hiện từ nguồn ngân sách Nhà nước.

III. TỔ CHỨC THỰC HIỆN
1. Công chức Văn hóa - Xã hội
- Tham mưu UBND xã triển khai Kế hoạch.
- Chủ trì tổng hợp, báo cáo kết quả trước ngày 15/11/2026.
2. Trạm Y tế xã
- Phối hợp tuyên truyền phòng, chống dịch bệnh tại khu dân cư.

Nơi nhận:
- UBND huyện Yên Bình;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""

HOA_BINH = """ỦY BAN NHÂN DÂN
PHƯỜNG HÒA BÌNH

Số: 30/KH-UBND
Hòa Bình, ngày 01 tháng 4 năm 2026

KẾ HOẠCH
Thực hiện Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” phường Hòa Bình năm 2026

Thực hiện Quyết định số 99/QĐ-UBND ngày 12/02/2026 của UBND huyện Yên Bình về thực hiện Phong trào.

I. MỤC TIÊU
- Phấn đấu 90% hộ gia đình được công nhận danh hiệu “Gia đình văn hóa”.

II. TỔ CHỨC THỰC HIỆN
1. Công an phường
- Chủ trì bảo đảm an ninh trật tự trong các hoạt động văn hóa.

Nơi nhận:
- UBND huyện Yên Bình;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Trần Thị Bình
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    root = tmp_path_factory.mktemp("quality")
    documents = root / "documents"
    documents.mkdir()
    (documents / "tan-lap_12-KH-UBND_2026.txt").write_text(TAN_LAP, encoding="utf-8")
    (documents / "hoa-binh_30-KH-UBND_2026.txt").write_text(HOA_BINH, encoding="utf-8")
    embedder = FakeEmbedder()
    build_index(documents, root / "index", embedder)
    return open_service(Path(root / "index"), embedder)


def _verbatim(service: AnswerService, answer) -> None:  # type: ignore[no-untyped-def]
    texts = [c.source or c.text for c in service.retriever.snapshot.chunks]
    for citation in answer.citations:
        assert any(citation.quote in text for text in texts), citation.quote


def test_false_premise_is_corrected(service: AnswerService) -> None:
    answer = service.ask("Xã Tân Lập đặt chỉ tiêu gia đình văn hóa là 55% có đúng không?")
    assert answer.status == STATUS_ANSWERED
    assert answer.answer.startswith("Không, chỉ tiêu là 92%")
    assert "55%" in answer.answer and "[2]" in answer.answer
    _verbatim(service, answer)


def test_true_premise_is_confirmed(service: AnswerService) -> None:
    answer = service.ask("chi tieu gia dinh van hoa o tan lap la 92% dung khong")
    assert answer.answer.startswith("Đúng, chỉ tiêu là 92%")


def test_question_without_locality_answers_per_plan(service: AnswerService) -> None:
    answer = service.ask("Chỉ tiêu hộ gia đình được công nhận danh hiệu Gia đình văn hóa là bao nhiêu?")
    assert answer.status == STATUS_ANSWERED
    assert "92%" in answer.answer and "90%" in answer.answer
    assert {c.locality for c in answer.citations} == {"xã Tân Lập", "phường Hòa Bình"}
    _verbatim(service, answer)


def test_conflicting_statements_are_shown(service: AnswerService) -> None:
    answer = service.ask("Các kế hoạch thực hiện Quyết định 99/QĐ-UBND ngày nào?")
    assert "Lưu ý: các văn bản ghi khác nhau về Quyết định số 99/QĐ-UBND" in answer.answer
    assert "10/02/2026" in answer.answer and "12/02/2026" in answer.answer


def test_metadata_questions_use_the_header(service: AnswerService) -> None:
    answer = service.ask("Kế hoạch 30/KH-UBND được ban hành ngày nào?")
    assert answer.status == STATUS_ANSWERED
    assert answer.citations[0].section == "Phần đầu văn bản"
    assert "ngày 01 tháng 4 năm 2026" in answer.answer
    signer = service.ask("ai ky ke hoach cua xa tan lap")
    assert "Nguyễn Văn An" in signer.answer


def test_header_questions_are_answered_from_the_metadata(service: AnswerService) -> None:
    answer = service.ask("Kế hoạch của xã Tân Lập có số hiệu gì, ban hành ngày nào?")
    assert answer.status == STATUS_ANSWERED
    assert "12/KH-UBND" in answer.answer and "ngày 05 tháng 3 năm 2026" in answer.answer
    # number and date stand on two neighbouring header lines: one quote of both, cited once
    assert [c.quote for c in answer.citations] == ["Số: 12/KH-UBND\nTân Lập, ngày 05 tháng 3 năm 2026"]
    every_plan = service.ask("các kế hoạch do cơ quan nào ban hành")
    assert {c.locality for c in every_plan.citations} == {"xã Tân Lập", "phường Hòa Bình"}
    _verbatim(service, every_plan)


def test_deadline_and_unit(service: AnswerService) -> None:
    answer = service.ask("cong chuc van hoa xa hoi tan lap bao cao truoc ngay nao")
    assert "15/11/2026" in answer.answer
    _verbatim(service, answer)


@pytest.mark.parametrize(
    "question",
    [
        "Tổng kinh phí của xã Tân Lập là bao nhiêu tỷ đồng?",  # amount never stated
        "Phường Hòa Bình có bao nhiêu tổ dân phố?",  # count never stated
        "xa dong tien dat chi tieu gia dinh van hoa bao nhieu",  # locality not covered
        "KH của P. Ngô Quyền đặt chỉ tiêu GĐVH bao nhiêu %?",  # not covered, named by abbreviation
        "Trưởng Công an phường Hòa Bình tên là gì?",  # a name the plan does not give
        "Ai vô địch World Cup 2022?",  # unrelated
    ],
)
def test_unanswerable_questions_are_not_found(service: AnswerService, question: str) -> None:
    answer = service.ask(question)
    assert answer.status == STATUS_NOT_FOUND, answer.answer
    assert "không nêu" in answer.answer
    # at most the closest line the plans do have, shown and cited; no number from anywhere else
    assert len(answer.citations) <= 1
    grounded = " ".join(f"{c.quote} {c.section}" for c in answer.citations)
    assert set(re.findall(r"\d+", answer.answer)) <= set(re.findall(r"\d+", f"{grounded} {question}"))


def test_common_words_are_not_places(service: AnswerService) -> None:
    answer = service.ask("Kế hoạch 12/KH-UBND do cơ quan nào ban hành?")
    assert answer.status == STATUS_ANSWERED
    assert "Chưa có kế hoạch nào" not in answer.answer
