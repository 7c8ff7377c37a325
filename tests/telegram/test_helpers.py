"""Follow-up detection and resolution on the served snapshot's places, the per-user rate limit, the
feedback and locality stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.service import ServiceHolder
from bot.errors import CampaignBotError
from bot.query.followup import Previous, Resolved, follow_up_place, replace_place, resolve_question
from bot.records.feedback import Feedback, FeedbackStore
from bot.records.localities import ChatSettings
from bot.records.rate_limit import RateLimiter


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("còn ở Cao Lộc thì sao?", "cao loc"),
        ("con o cao loc thi sao", "cao loc"),
        ("Thế còn phường Lê Chân?", "phuong le chan"),
        ("ở Kinh Môn thì thế nào?", "kinh mon"),
        ("What about Son La?", "son la"),
        ("how about in Cam Xuyen", "cam xuyen"),
    ],
)
def test_follow_up_shapes(message: str, place: str) -> None:
    assert follow_up_place(message) == place


@pytest.mark.parametrize(
    "message", ["ai phụ trách tuyên truyền ở Kinh Môn?", "", "kinh phí thực hiện", "còn " + "rất nhiều việc " * 5]
)
def test_questions_are_not_follow_ups(message: str) -> None:
    assert follow_up_place(message) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ai phu trach tuyen truyen o kinh mon", "ai phu trach tuyen truyen o thị trấn Cao Lộc"),
        ("Ai chủ trì ở phường Kinh Môn?", "Ai chủ trì ở thị trấn Cao Lộc?"),
        ("Phường Kinh Môn giao ai chủ trì?", "thị trấn Cao Lộc giao ai chủ trì?"),
        ("Ai chủ trì tuyên truyền?", "Ai chủ trì tuyên truyền ở thị trấn Cao Lộc?"),
    ],
)
def test_replace_place(question: str, expected: str) -> None:
    assert replace_place(question, {"kinh mon"}, "thị trấn Cao Lộc") == expected


def test_the_service_reads_places_of_its_snapshot(holder: ServiceHolder) -> None:
    service = holder.get()
    assert service.snapshot_id == holder.snapshot_id == service.manifest.snapshot_id
    assert [d.doc_id for d in service.documents()] == list(service.documents_by_id())
    assert service.localities() == ["phường An Bình", "xã Tân Hòa"]
    assert service.locality_named("ai chủ trì ở tan hoa") == "xã Tân Hòa" and service.locality_named("Hà Nội") is None
    named = service.named_plans("phường An Bình")
    assert len(named) == 1 and service.place_keys(named) == {"an binh"}


def test_resolve_question_follow_ups_and_the_chosen_locality(holder: ServiceHolder) -> None:
    places = holder.get()
    before = Previous("Chỉ tiêu ở phường An Bình là bao nhiêu?", None)
    rewritten = "Chỉ tiêu ở xã Tân Hòa là bao nhiêu?"
    assert resolve_question("còn ở Tân Hòa thì sao?", before, None, places) == Resolved(
        rewritten, "xã Tân Hòa", rewritten
    )
    # the previous question named no place: its locality filter is the place replaced (here: added)
    chosen_before = Previous("Ai chủ trì?", "phường An Bình")
    assert resolve_question("con o tan hoa thi sao", chosen_before, None, places).question == "Ai chủ trì ở xã Tân Hòa?"
    # not a place of the plans, or no previous question: an ordinary question in the chosen locality
    assert resolve_question("còn ở Hà Nội thì sao?", before, "xã Tân Hòa", places) == Resolved(
        "còn ở Hà Nội thì sao?", "xã Tân Hòa"
    )
    assert resolve_question("còn ở Tân Hòa thì sao?", None, None, places).locality is None
    # a question naming a locality itself is not filtered on the chosen one
    assert resolve_question("Ai chủ trì ở An Bình?", None, "xã Tân Hòa", places) == Resolved(
        "Ai chủ trì ở An Bình?", None
    )


def test_rate_limit_per_key_with_a_sliding_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.acquire("a") == 0 and limiter.acquire("a") == 0
    assert limiter.acquire("a") == pytest.approx(60.0)
    assert limiter.acquire("b") == 0  # another user
    now[0] = 30.0
    assert limiter.acquire("a") == pytest.approx(30.0)
    now[0] = 60.5
    assert limiter.acquire("a") == 0
    with pytest.raises(ValueError):
        RateLimiter(0)


def _vote(vote: int, user: int = 7) -> Feedback:
    return Feedback("100:1", 100, user, vote, "ai chủ trì?", "Theo kế hoạch…", "answered", None, "snap")


def test_feedback_store_keeps_the_latest_vote_per_user(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    store.record(_vote(1))
    store.record(_vote(-1))
    store.record(_vote(1, user=8))
    votes = store.all()
    assert [(v.user_id, v.vote) for v in votes] == [(7, -1), (8, 1)]
    assert votes[0].question == "ai chủ trì?" and votes[0].answer == "Theo kế hoạch…" and votes[0].created_at
    assert FeedbackStore(tmp_path / "sub" / "feedback.sqlite3").all() == votes  # persisted
    with pytest.raises(ValueError):
        store.record(_vote(0))


def test_feedback_store_in_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(CampaignBotError, match="góp ý"):
        FeedbackStore(blocker / "feedback.sqlite3")


def test_chat_settings_remember_and_forget_a_locality(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    settings = ChatSettings(path)
    assert settings.locality(5) is None
    settings.set_locality(5, "phường Kinh Môn")
    settings.set_locality(5, "thị trấn Cao Lộc")
    settings.set_locality(6, "phường Lê Chân")
    assert ChatSettings(path).locality(5) == "thị trấn Cao Lộc"
    settings.set_locality(5, None)
    assert settings.locality(5) is None and settings.locality(6) == "phường Lê Chân"
    FeedbackStore(path).record(_vote(1))  # one file holds both
    assert settings.locality(6) == "phường Lê Chân"
