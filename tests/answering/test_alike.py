"""Many plans answering a question naming no place, written from a few templates (fake embedder):
each shown slot is distinct content, says how many plans share it, and is shown by the plan whose
header was read best; different figures are never merged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answering.answer import STATUS_ANSWERED
from bot.answering.breadth import MAX_CHOICES, SHOWN
from bot.answering.engine import AnswerService
from tests.answering.across_corpus import build_service, many_plans

QUESTION = "chỉ tiêu gia đình văn hóa là bao nhiêu"


def two_templates(count: int) -> tuple[tuple[str, ...], ...]:
    """``count`` plans of distinct places: the first half targets 95% of families, the rest 85%; the
    plan ``p00`` has no date line's number ("Số: /KH-UBND"), so it is the less understood of its kind."""
    plans = []
    for i, (name, unit, place, number, date, decree, _family, office) in enumerate(many_plans(count)):
        family = "95%" if i < count // 2 else "85%"
        plans.append((name, unit, place, "/KH-UBND" if i == 0 else number, date, decree, family, office))
    return tuple(plans)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    return build_service(tmp_path_factory.mktemp("alike"), two_templates(12))


def bullets(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("• ")]


def test_each_slot_is_distinct_content_with_its_count(service: AnswerService) -> None:
    answer = service.ask(QUESTION)
    assert answer.status == STATUS_ANSWERED
    assert answer.answer.startswith("12 kế hoạch có nội dung này, 2 nội dung khác nhau; 2 nội dung khớp nhất:")
    shown = bullets(answer.answer)
    assert len(shown) == 2 <= SHOWN
    # 95% and 85% are different content: never merged, each shared by its six plans
    assert sum("95%" in line for line in shown) == 1 and sum("85%" in line for line in shown) == 1
    assert all(line.endswith("(cùng nội dung ở 6 kế hoạch)") for line in shown)
    # every bullet cited, the citations of two plans, each quoting its own figure
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers == set(range(1, len(answer.citations) + 1))
    assert len({c.doc_id for c in answer.citations}) == 2
    assert {("95%" in c.quote, "85%" in c.quote) for c in answer.citations} == {(True, False), (False, True)}


def test_the_best_understood_plan_shows_its_group(service: AnswerService) -> None:
    answer = service.ask(QUESTION)
    # p00 shares the 95% passage but its số hiệu is blank: another plan of that content is cited
    assert "p00" not in {c.doc_id for c in answer.citations}
    assert all(re.search(r"số \d+/KH-UBND", line) for line in bullets(answer.answer))


def test_places_offered_come_from_every_content(service: AnswerService) -> None:
    answer = service.ask(QUESTION)
    assert 0 < len(answer.choices) <= MAX_CHOICES and all(c in answer.answer for c in answer.choices)
    # the shown plans' places first, then the others taken from each content in turn
    assert list(answer.choices[:2]) == [c.locality for c in answer.citations][:2]
    by_place = {c.locality: c for c in answer.citations}
    assert set(answer.choices[:2]) == set(by_place)


def test_few_plans_are_each_listed_even_when_alike(tmp_path: Path) -> None:
    service = build_service(tmp_path, many_plans(3))
    answer = service.ask(QUESTION)
    assert answer.status == STATUS_ANSWERED and answer.choices == ()
    assert len(bullets(answer.answer)) == 3 and "cùng nội dung" not in answer.answer


@pytest.fixture(scope="module")
def alike_service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    return build_service(tmp_path_factory.mktemp("copies"), many_plans(12))


def test_search_of_every_plan_shows_a_copied_passage_once(alike_service: AnswerService) -> None:
    hits = alike_service.search("phấn đấu hộ gia đình đạt danh hiệu Gia đình văn hóa", k=5)
    assert len(hits) == 5
    # twelve plans hold the same target line: it comes once, the other results are other passages
    assert sum("Gia đình văn hóa." in h.chunk.text and "95%" in h.chunk.text for h in hits) == 1
    # passages alike but for the plan's own names come once too; headers differ by their dates
    sections = [h.chunk.section for h in hits]
    assert sections.count("II. CHỈ TIÊU") == 1
    assert sections.count("III. TỔ CHỨC THỰC HIỆN > 1. Phòng Văn hóa - Xã hội") <= 1


def test_search_naming_two_places_gives_each_its_passages(alike_service: AnswerService) -> None:
    first, second = (d.locality or "" for d in alike_service.corpus.documents[:2])
    hits = alike_service.search(f"so sánh chỉ tiêu gia đình văn hóa của {first} và {second}", k=4)
    assert [h.document.locality for h in hits[:2]] == [first, second]
    assert {h.document.locality for h in hits} == {first, second}
    # found without the words naming the places: the targets, not the headers that name them
    assert "95%" in hits[0].chunk.text and "95%" in hits[1].chunk.text
