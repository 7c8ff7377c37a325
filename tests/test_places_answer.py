"""Through the answer path: a plan is found by the place a question names, which ends at the known
name ("... của huyện Ba Chẽ mang số hiệu gì" names huyện Ba Chẽ), or by its province."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answering.engine import STATUS_NOT_FOUND, AnswerService
from bot.indexing.build import build_index
from bot.retrieval.hybrid import Retriever
from bot.snapshot.store import load_snapshot
from tests.conftest import DOCUMENTS, SHARED
from tests.fakes import FakeEmbedder

CORPUS = SHARED / "corpus"
NO_PLAN = "Chưa có kế hoạch nào của"
# A news item in the shape of the ones staff add: the place only in the opening, as a bare name.
NEWS = """Tiên Yên: Triển khai phong trào xây dựng đời sống văn hóa năm 2021

Ban chỉ đạo phong trào huyện vừa ban hành Kế hoạch số 12/KH-BCĐ về các hoạt động của phong trào năm 2021.

Kế hoạch đặt chỉ tiêu 92% hộ gia đình đạt danh hiệu gia đình văn hóa và giao các xã, thị trấn tổ chức thực hiện.
"""
# A text that names no place: it may be of any province.
GUIDE = """Hướng dẫn bình xét danh hiệu gia đình văn hóa hằng năm

Trưởng khu dân cư triệu tập cuộc họp bình xét khi có trên 50% số hộ được mời tham dự.
"""


def _service(documents: Path, index: Path) -> AnswerService:
    embedder = FakeEmbedder()
    build_index(documents, index, embedder)
    return AnswerService(Retriever(load_snapshot(index), embedder))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    root = tmp_path_factory.mktemp("places")
    documents = root / "documents"
    shutil.copytree(DOCUMENTS, documents)
    (documents / "tien-yen_KH-BCD_2021.txt").write_text(NEWS, encoding="utf-8")
    (documents / "huong-dan-binh-xet.txt").write_text(GUIDE, encoding="utf-8")
    return _service(documents, root / "index")


@pytest.mark.parametrize("after", ["mang số hiệu gì", "năm 2021 đặt chỉ tiêu bao nhiêu", "yêu cầu những gì"])
def test_the_plan_of_a_place_named_before_other_words_is_found(service: AnswerService, after: str) -> None:
    answer = service.ask(f"Kế hoạch phong trào của huyện Tiên Yên {after}?")
    assert NO_PLAN not in answer.answer
    assert service.retriever.documents_for_locality(f"của huyện Tiên Yên {after}") == {"tien-yen_kh-bcd_2021"}


def test_a_plan_is_found_by_its_province(service: AnswerService) -> None:
    retriever = service.retriever
    # with the plans of no known place, which may be of that province
    expected = {"tien-yen_kh-bcd_2021", "huong-dan-binh-xet"}
    assert retriever.documents_for_locality("các kế hoạch của tỉnh Quảng Ninh") == expected
    assert retriever.documents_for_locality("cac ke hoach cua tinh quang ninh") == expected
    lang_son = retriever.documents_for_locality("kế hoạch của tỉnh Lạng Sơn")
    assert {retriever.snapshot.document(d).locality for d in lang_son} == {"thị trấn Cao Lộc", None}
    # a more specific place named beside its province keeps its own plan only
    assert retriever.documents_for_locality("phường Kinh Môn, TP Hải Phòng") == {
        d.doc_id for d in retriever.snapshot.documents if d.locality == "phường Kinh Môn"
    }
    hai_phong = retriever.documents_for_locality("các kế hoạch của thành phố Hải Phòng")
    assert {retriever.snapshot.document(d).locality for d in hai_phong} == {"phường Kinh Môn", "phường Lê Chân", None}
    assert retriever.documents_for_locality("tỉnh Gia Lai") == set()  # no plan of it: the caller searches all


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_plan_of_huyen_ba_che_is_answered(tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    for stem in (
        "04_qd2295-2021-thaibinh-dean",
        "08_kh47-2020-bache-quangninh",
        "09_kh-tphcm-2022-2026",
        "10_kh-bcd-tphcm-2023",
    ):
        name = f"{stem}.txt"
        shutil.copy(CORPUS / name, documents / name)
    service = _service(documents, tmp_path / "index")
    question = "Kế hoạch triển khai phong trào năm 2020 của huyện Ba Chẽ mang số hiệu gì, do ai ban hành?"
    answer = service.ask(question)
    assert NO_PLAN not in answer.answer
    assert {c.doc_id for c in answer.citations} == {"08_kh47-2020-bache-quangninh"}
    retriever = service.retriever
    # the old province is found by the one that took it over in 2025 (with the plan of no known place)
    assert retriever.documents_for_locality("các quyết định của tỉnh Hưng Yên") == {
        "04_qd2295-2021-thaibinh-dean",
        "10_kh-bcd-tphcm-2023",
    }
    # the city's plan, and the one whose text never says its place (it only says "Thành phố")
    assert retriever.documents_for_locality("kế hoạch năm 2023 ở TP Hồ Chí Minh") == {
        "09_kh-tphcm-2022-2026",
        "10_kh-bcd-tphcm-2023",
    }


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("Kế hoạch của huyện Hoành Bồ mang số hiệu gì?", "huyện Hoành Bồ"),
        ("huyện Hoành Bồ đặt chỉ tiêu bao nhiêu", "huyện Hoành Bồ"),
        ("Tỉnh Gia Lai giao ai chủ trì?", "tỉnh Gia Lai"),
        ("xã Hồng Phong Kế hoạch năm 2021 đặt chỉ tiêu gì", "xã Hồng Phong"),  # a name no gazetteer has
    ],
)
def test_a_place_no_plan_is_of_is_refused_by_its_own_name(service: AnswerService, question: str, place: str) -> None:
    answer = service.ask(question)
    assert answer.status == STATUS_NOT_FOUND
    # the name ends where the gazetteer's ends, not at the next capitalised or question word
    assert answer.answer.startswith(f"{NO_PLAN} {place} trong dữ liệu.")


def test_a_place_of_a_plan_or_spoken_of_by_one_is_not_refused(service: AnswerService) -> None:
    # the plan's own place, typed without diacritics; the province of a plan's place
    for question in ("huyen tien yen dat chi tieu bao nhieu", "Tỉnh Quảng Ninh đặt chỉ tiêu bao nhiêu?"):
        assert NO_PLAN not in service.ask(question).answer
    assert service.corpus.place_keys >= {"tien yen", "quang ninh"}
