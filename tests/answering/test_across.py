"""The cross-document answerers on a small corpus of plans (fake embedder): comparisons, newest and
oldest, documents citing a decree, documents of a place, target counts, and many plans answering a
question naming no place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.answering.answer import STATUS_ANSWERED, STATUS_NOT_FOUND, Answer
from bot.answering.breadth import MAX_CHOICES
from bot.answering.catalogue import date_key
from bot.answering.engine import AnswerService
from bot.answering.service import ServiceHolder
from bot.http.app import create_app
from tests.answering.across_corpus import build_service, many_plans, write_plans
from tests.fakes import FakeEmbedder


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    return build_service(tmp_path_factory.mktemp("across"))


def cited_everywhere(answer: Answer) -> None:
    """Every bullet carries a citation number, and every number refers to a citation."""
    bullets = [line for line in answer.answer.split("\n") if line.startswith("• ")]
    assert bullets and all(re.search(r"\[\d+\]", line) for line in bullets)
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers == set(range(1, len(answer.citations) + 1))


def test_date_key() -> None:
    assert date_key("29/09/2025") == (2025, 9, 29)
    assert date_key("ngày 5 tháng 3 năm 2024") == (2024, 3, 5)
    assert date_key("28 tháng 12 năm 2021") == (2021, 12, 28)
    assert date_key("tháng 3 năm 2024") == (2024, 3, 0)
    assert date_key("không rõ") is None


@pytest.mark.parametrize(
    "question",
    [
        "Chỉ tiêu gia đình văn hóa của An Bình và Phú Mỹ khác nhau thế nào?",
        "chi tieu gia dinh van hoa cua an binh va phu my khac nhau the nao",
    ],
)
def test_compare_gives_each_place_its_value(service: AnswerService, question: str) -> None:
    answer = service.ask(question)
    assert answer.status == STATUS_ANSWERED
    cited_everywhere(answer)
    lines = answer.answer.split("\n")[1:]
    assert len(lines) == 2
    assert any("An Bình" in line and "95%" in line for line in lines)
    assert any("Phú Mỹ" in line and "85%" in line for line in lines)
    assert {c.locality for c in answer.citations} == {"phường An Bình", "xã Phú Mỹ"}
    assert all("Gia đình văn hóa" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "first"),
    [("Kế hoạch nào mới nhất?", "Tân Hòa"), ("ke hoach nao ban hanh som nhat", "Phú Mỹ")],
)
def test_newest_and_oldest_by_the_header_date(service: AnswerService, question: str, first: str) -> None:
    answer = service.ask(question)
    assert answer.status == STATUS_ANSWERED
    cited_everywhere(answer)
    assert first in answer.answer.split("\n")[1]
    assert first in answer.citations[0].quote  # the line stating the date ("Tân Hòa, ngày 20 tháng 6 ...")
    assert "ngày" in answer.citations[0].quote


def test_newest_of_the_place_named(service: AnswerService) -> None:
    answer = service.ask("kế hoạch mới nhất của phường An Bình")
    assert answer.status == STATUS_ANSWERED and "An Bình" in answer.answer.split("\n")[1]
    assert [c.locality for c in answer.citations] == ["phường An Bình"]


@pytest.mark.parametrize(
    "question",
    [
        "Những văn bản nào căn cứ Nghị định 86/2023/NĐ-CP?",
        "nhung van ban nao can cu nghi dinh 86",
        "các kế hoạch nào dẫn NĐ 86/2023/NĐ-CP",
    ],
)
def test_citing_documents_and_their_disagreement(service: AnswerService, question: str) -> None:
    answer = service.ask(question)
    assert answer.status == STATUS_ANSWERED
    cited_everywhere(answer)
    assert answer.answer.startswith("Có 3 văn bản")
    assert all("86/2023/NĐ-CP" in c.quote for c in answer.citations)
    # one plan writes the decree's date differently: said, with both dates
    assert "khác nhau" in answer.answer and "07/12/2023" in answer.answer and "17/12/2023" in answer.answer


def test_citing_nothing_is_not_found(service: AnswerService) -> None:
    answer = service.ask("những văn bản nào căn cứ Quyết định 999/QĐ-TTg")
    assert answer.status == STATUS_NOT_FOUND and not answer.citations


@pytest.mark.parametrize("question", ["Các văn bản của xã Tân Hòa", "xa tan hoa co nhung van ban nao"])
def test_documents_of_a_place(service: AnswerService, question: str) -> None:
    answer = service.ask(question)
    assert answer.status == STATUS_ANSWERED
    cited_everywhere(answer)
    assert "xã Tân Hòa" in answer.answer and "30/KH-UBND" in answer.answer and "20/6/2025" in answer.answer
    assert [c.locality for c in answer.citations] == ["xã Tân Hòa"]


def test_how_many_plans_set_a_target(service: AnswerService) -> None:
    answer = service.ask("Bao nhiêu kế hoạch đặt chỉ tiêu gia đình văn hóa?")
    assert answer.status == STATUS_ANSWERED
    cited_everywhere(answer)
    assert answer.answer.startswith("Có 3 kế hoạch")
    assert {c.locality for c in answer.citations} == {"phường An Bình", "xã Tân Hòa", "xã Phú Mỹ"}
    assert all("Gia đình văn hóa" in c.quote for c in answer.citations)


def test_few_plans_answering_are_each_listed(service: AnswerService) -> None:
    answer = service.ask("chỉ tiêu gia đình văn hóa là bao nhiêu")
    assert answer.status == STATUS_ANSWERED and answer.choices == ()
    assert all(place in answer.answer for place in ("An Bình", "Tân Hòa", "Phú Mỹ"))


def test_many_plans_answering_alike_take_one_slot(tmp_path: Path) -> None:
    service = build_service(tmp_path, many_plans(12))
    answer = service.ask("ai chủ trì tham mưu triển khai kế hoạch")
    assert answer.status == STATUS_ANSWERED
    # twelve copies of one template: one passage shown, with how many plans share it
    assert answer.answer.startswith("12 kế hoạch có nội dung này, cùng một nội dung:")
    assert len({c.doc_id for c in answer.citations}) == 1
    assert "(cùng nội dung ở 12 kế hoạch)" in answer.answer
    assert "?" in answer.answer and 0 < len(answer.choices) <= MAX_CHOICES
    assert all(choice in answer.answer for choice in answer.choices)
    # naming a place gets that plan's answer, without choices
    named = service.ask(f"ai chủ trì tham mưu triển khai kế hoạch ở {answer.choices[0]}")
    assert named.choices == () and {c.locality for c in named.citations} == {answer.choices[0]}


def test_end_to_end_through_the_api(tmp_path: Path) -> None:
    from bot.indexing.build import build_index

    documents, index = write_plans(tmp_path / "documents"), tmp_path / "index"
    build_index(documents, index, FakeEmbedder())
    client = TestClient(create_app(ServiceHolder(index, FakeEmbedder())))
    response = client.post("/ask", json={"question": "nhung van ban nao can cu nghi dinh 86/2023/nd-cp"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "answered" and body["answer"].startswith("Có 3 văn bản")
    assert len(body["citations"]) == 3 and all("86/2023/NĐ-CP" in c["quote"] for c in body["citations"])
    compared = client.post(
        "/ask", json={"question": "chỉ tiêu cơ quan đạt chuẩn văn hóa của An Bình và Tân Hòa khác nhau thế nào"}
    )
    assert compared.json()["status"] == "answered"
    assert "80%" in compared.json()["answer"] and "70%" in compared.json()["answer"]


def test_the_places_to_choose_from_reach_the_api(tmp_path: Path) -> None:
    from bot.indexing.build import build_index

    documents, index = write_plans(tmp_path / "documents", many_plans(12)), tmp_path / "index"
    build_index(documents, index, FakeEmbedder())
    client = TestClient(create_app(ServiceHolder(index, FakeEmbedder())))
    body = client.post("/ask", json={"question": "ai chủ trì tham mưu triển khai kế hoạch"}).json()
    assert 0 < len(body["choices"]) <= MAX_CHOICES
    place = body["choices"][0]
    chosen = client.post("/ask", json={"question": "ai chủ trì tham mưu triển khai kế hoạch", "locality": place})
    assert chosen.json()["choices"] == [] and {c["locality"] for c in chosen.json()["citations"]} == {place}
