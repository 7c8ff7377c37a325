"""The real python-telegram-bot Application against a fake Bot API server on loopback: commands,
questions, localities, feedback, follow-ups, groups.

Scripted updates go in through getUpdates; the requests the bot sends (sendMessage, editMessageText,
answerCallbackQuery, sendChatAction, setMyCommands...) are asserted. A small corpus with a fake
embedder serves most tests; one uses the real index of the bundled plans.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from bot.answering.engine import Answer, Citation
from bot.answering.service import ServiceHolder
from bot.records.feedback import FeedbackStore
from tests.conftest import DOCUMENTS
from tests.telegram.fake_telegram import BOT_USERNAME, FakeBotApi
from tests.telegram.harness import feedback_buttons, run_bot, sent, visible

# --- start, commands ---------------------------------------------------------------------------------


def test_commands_registered_and_start_offers_example_buttons(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("/start")
        greeting = (await sent(api, 1))[0]
        examples = [(text, data) for text, data in greeting.buttons() if data.startswith("ask:")]
        assert len(examples) == 3
        assert "Xin chào" in greeting.text and "phường An Bình" in visible(greeting.text)
        api.press(examples[1][1], on=greeting)
        answer = (await sent(api, 2))[1]
        assert feedback_buttons(answer)
        assert await asyncio.to_thread(api.wait_for, "answerCallbackQuery")

    run_bot(holder, api, tmp_path, scenario)
    commands = api.of("setMyCommands")[0].params["commands"]
    names = {c["command"] for c in commands}
    assert {"start", "help", "kehoach", "diaban", "trachnhiem", "chitieu", "nguon"} <= names
    assert all(c["description"] for c in commands)


def test_plans_responsibilities_targets_and_help(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        for text in ("/kehoach", "/trachnhiem Phòng Văn hóa", "/trachnhiem", "/chitieu", "/help", "/nguon"):
            api.message(text)
        plans, duties, usage, targets, help_text, no_sources = (visible(c.text) for c in await sent(api, 6))
        assert "Chưa có câu trả lời" in no_sources
        assert "12/KH-UBND" in plans and "phường An Bình" in plans and "xã Tân Hòa" in plans
        assert "Chủ trì tham mưu" in duties and "Phòng Văn hóa - Xã hội" in duties
        assert "/trachnhiem Phòng Văn hóa" in usage
        assert "80%" in targets and "90%" in targets
        assert "/diaban" in help_text and "/nguon" in help_text

    run_bot(holder, api, tmp_path, scenario)
    for call in api.of("sendMessage"):
        assert call.params["parse_mode"] == "HTML"


# --- questions -----------------------------------------------------------------------------------


def test_question_gets_typing_then_escaped_html_answer_with_citation(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("Công an xã chủ trì việc gì?")
        answer = (await sent(api, 1))[0]
        text = answer.text
        assert "tệ nạn xã hội" in text
        # citation: plan › section, then the quoted line
        assert "xã Tân Hòa" in text and "› IV. TỔ CHỨC THỰC HIỆN › 2. Công an xã" in text
        assert "<i>“- Chủ trì phòng, chống tệ nạn xã hội trên địa bàn.”</i>" in text
        assert len(feedback_buttons(answer)) == 2
        api.message("/nguon")
        sources = (await sent(api, 2))[1]
        assert "<blockquote>- Chủ trì phòng, chống tệ nạn xã hội trên địa bàn.</blockquote>" in sources.text

    run_bot(holder, api, tmp_path, scenario)
    methods = [c.method for c in api.calls if c.method in ("sendChatAction", "sendMessage")]
    assert methods[:2] == ["sendChatAction", "sendMessage"]
    assert api.of("sendChatAction")[0].params["action"] == "typing"


def test_text_from_users_and_plans_is_escaped(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = holder.get()
    citation = Citation("alpha", "Kế hoạch <b>", "phường An Bình", "I. A & B", "x < y & z > w", 1.0)
    monkeypatch.setattr(service, "ask", lambda q, locality=None: Answer("answered", f"Bạn hỏi: {q}", (citation,)))

    async def scenario(api: FakeBotApi) -> None:
        api.message("<script>alert(1)</script> & gì?")
        text = (await sent(api, 1))[0].text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; gì?" in text
        assert "x &lt; y &amp; z &gt; w" in text and "I. A &amp; B" in text
        assert "<script>" not in text

    run_bot(holder, api, tmp_path, scenario)


def test_long_answer_is_split_below_the_limit_without_breaking_markup(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = holder.get()
    body = " ".join(f"Dòng {i} có ký tự <đặc biệt> & “trích dẫn” về gia đình văn hóa." for i in range(250))
    citations = tuple(
        Citation("beta", "Kế hoạch", "xã Tân Hòa", f"II. MỤC TIÊU > {i}", "a & b " * 60, 1.0) for i in range(5)
    )
    monkeypatch.setattr(service, "ask", lambda q, locality=None: Answer("answered", body, citations))

    async def scenario(api: FakeBotApi) -> None:
        api.message("gia đình văn hóa")
        parts = await asyncio.to_thread(
            api.wait_until, lambda calls: any(feedback_buttons(c) for c in calls if c.method == "sendMessage")
        )
        messages = [c for c in parts if c.method == "sendMessage"]
        assert len(messages) >= 3
        for message in messages:
            assert len(message.text.encode("utf-16-le")) // 2 <= 4096
            assert re.search(r"&[#\w]*(?![#\w;])", message.text) is None  # no entity cut in two
            assert message.text.count("<i>") == message.text.count("</i>")
            assert message.text.count("<b>") == message.text.count("</b>")
        assert [bool(feedback_buttons(m)) for m in messages] == [False] * (len(messages) - 1) + [True]
        joined = " ".join(visible(m.text) for m in messages)
        assert " ".join(joined.split()).startswith(" ".join(body.split()))

    run_bot(holder, api, tmp_path, scenario)


def test_locality_picked_by_button_is_used_then_cleared(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("/diaban")
        menu = (await sent(api, 1))[0]
        choices = dict(menu.buttons())
        assert {"phường An Bình", "xã Tân Hòa"} <= set(choices)
        clear = next(data for text, data in menu.buttons() if "Bỏ chọn" in text)
        api.press(choices["xã Tân Hòa"], on=menu)
        edited = (await asyncio.to_thread(api.wait_for, "editMessageText"))[0]
        assert "xã Tân Hòa" in edited.text and edited.params["message_id"] == menu.params["_result"]["message_id"]
        api.message("gia đình văn hóa")
        answer = (await sent(api, 2))[1]
        assert "90%" in answer.text and "95%" not in answer.text
        assert "Đang tra trong kế hoạch của xã Tân Hòa" in answer.text
        api.press(clear, on=menu)
        await asyncio.to_thread(api.wait_for, "editMessageText", 2)
        api.message("gia đình văn hóa")
        again = (await sent(api, 3))[2]
        assert "Đang tra trong kế hoạch" not in again.text

    run_bot(holder, api, tmp_path, scenario)


def test_an_answer_asking_which_place_offers_buttons_that_choose_it_and_answer_again(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = holder.get()
    asked: list[tuple[str, str | None]] = []

    def ask(question: str, locality: str | None = None) -> Answer:
        asked.append((question, locality))
        if locality is None:  # as the breadth step answers when many plans answer alike
            return Answer("answered", "40 kế hoạch nêu việc này. Bạn hỏi địa bàn nào?", (), choices=("xã Tân Hòa",))
        return Answer("answered", f"Trả lời cho {locality}", ())

    monkeypatch.setattr(service, "ask", ask)

    async def scenario(api: FakeBotApi) -> None:
        api.message("ai phụ trách tuyên truyền?")
        first = (await sent(api, 1))[0]
        places = [(text, data) for text, data in first.buttons() if data.startswith("pick:")]
        assert [text for text, _ in places] == ["📍 xã Tân Hòa"]
        assert feedback_buttons(first)  # the votes stay under the answer
        api.press(places[0][1], on=first)
        again = (await sent(api, 2))[1]
        assert "Trả lời cho xã Tân Hòa" in again.text
        api.message("kinh phí?")  # the place stays chosen for the chat, as with /diaban
        await sent(api, 3)

    run_bot(holder, api, tmp_path, scenario)
    assert asked[0] == ("ai phụ trách tuyên truyền?", None)
    assert asked[1] == ("ai phụ trách tuyên truyền?", "xã Tân Hòa")
    assert asked[2][1] == "xã Tân Hòa"


def test_locality_per_chat(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("/diaban phường An Bình", chat_id=100)
        await sent(api, 1)
        api.message("gia đình văn hóa", chat_id=200, user_id=8)
        other = (await sent(api, 2))[1]
        assert other.params["chat_id"] == 200 and "Đang tra trong kế hoạch" not in other.text

    run_bot(holder, api, tmp_path, scenario)


def test_chosen_locality_survives_a_restart(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def choose(api: FakeBotApi) -> None:
        api.message("/diaban An Bình")
        assert "phường An Bình" in (await sent(api, 1))[0].text

    async def ask_after_restart(api: FakeBotApi) -> None:
        api.message("gia đình văn hóa")
        answer = (await sent(api, 2))[1]
        assert "Đang tra trong kế hoạch của phường An Bình" in answer.text and "95%" in answer.text

    run_bot(holder, api, tmp_path, choose)
    run_bot(holder, api, tmp_path, ask_after_restart)  # a new Application: chat_data is empty


def test_feedback_is_stored_with_question_and_answer(holder: ServiceHolder, api: FakeBotApi, tmp_path: Path) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("Công an xã chủ trì việc gì?")
        answer = (await sent(api, 1))[0]
        down = next(data for data in feedback_buttons(answer) if data.endswith(":-1"))
        api.press(down, on=answer)
        thanks = (await asyncio.to_thread(api.wait_for, "answerCallbackQuery"))[0]
        assert "Cảm ơn" in thanks.params["text"]

    run_bot(holder, api, tmp_path, scenario)
    [stored] = FeedbackStore(tmp_path / "feedback.sqlite3").all()
    assert stored.vote == -1 and stored.question == "Công an xã chủ trì việc gì?"
    assert "tệ nạn xã hội" in stored.answer and stored.user_id == 7 and stored.chat_id == 100


def test_follow_up_reuses_last_question_with_new_locality(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("Chỉ tiêu gia đình văn hóa ở phường An Bình là bao nhiêu?")
        first = (await sent(api, 1))[0]
        assert "95%" in first.text
        api.message("con o Tan Hoa thi sao?")
        follow = (await sent(api, 2))[1]
        assert "Chỉ tiêu gia đình văn hóa ở xã Tân Hòa là bao nhiêu?" in follow.text
        assert "90%" in follow.text and "95%" not in follow.text

    run_bot(holder, api, tmp_path, scenario)


def test_a_quick_follow_up_waits_for_the_answer_it_follows(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    async def scenario(api: FakeBotApi) -> None:
        api.message("Chỉ tiêu gia đình văn hóa ở phường An Bình là bao nhiêu?")
        api.message("còn ở Tân Hòa thì sao?")  # before the first is answered; updates run concurrently
        first, follow = await sent(api, 2)
        assert "95%" in first.text
        assert "Chỉ tiêu gia đình văn hóa ở xã Tân Hòa là bao nhiêu?" in follow.text and "90%" in follow.text

    run_bot(holder, api, tmp_path, scenario, concurrent_updates=8)


# --- groups --------------------------------------------------------------------------------------


def test_group_answers_mentions_replies_and_commands_only(
    holder: ServiceHolder, api: FakeBotApi, tmp_path: Path
) -> None:
    async def scenario(api: FakeBotApi) -> None:
        group = {"chat_id": -500, "chat_type": "supergroup"}
        api.message("Công an xã chủ trì việc gì?", **group)  # not addressed: quiet
        api.message("/kehoach", **group)
        mention = f"@{BOT_USERNAME} Công an xã chủ trì việc gì?"
        asked = api.message(
            mention, **group, entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}]
        )
        plans, answer = await sent(api, 2)
        assert "12/KH-UBND" in plans.text
        assert "tệ nạn xã hội" in answer.text
        assert answer.params["reply_parameters"]["message_id"] == asked["message"]["message_id"]
        bot_message = answer.params["_result"]
        api.message("gia đình văn hóa", **group, reply_to_message=bot_message)
        api.message("cảm ơn mọi người", **group)  # not addressed: quiet
        api.message("/kehoach@other_bot", **group)  # another bot's command: quiet
        api.message("/lenhla", **group)  # a bare unknown command may be another bot's: quiet
        api.message(f"/lenhla@{BOT_USERNAME}", **group)
        api.message("/start", **group)
        replied, unknown, start = (await sent(api, 5))[2:]
        assert "Gia đình văn hóa" in replied.text and "/help" in unknown.text and "Xin chào" in start.text

    run_bot(holder, api, tmp_path, scenario)
    assert len(api.of("sendMessage")) == 5


# --- the real index ------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_index_no_diacritics_question_and_follow_up(
    seed_index: Path, real_embedder: Any, api: FakeBotApi, tmp_path: Path
) -> None:
    holder = ServiceHolder(seed_index, real_embedder)
    source = (DOCUMENTS / "kinh-mon_78-KH-UBND_2025.txt").read_text()
    unit = "Trung tâm Văn hoá, Thể thao và Truyền thông"
    assert unit in source

    async def scenario(api: FakeBotApi) -> None:
        api.message("ai phu trach tuyen truyen o kinh mon")
        answer = visible((await sent(api, 1))[0].text)
        assert unit in answer
        assert "78/KH-UBND (phường Kinh Môn) › " in answer  # the citation names the plan, then the section
        quoted = re.findall(r"“([^”]+)”", answer.split("Nguồn:", 1)[1])
        assert quoted and "tuyên truyền" in quoted[0]
        assert " ".join(quoted[0].rstrip("…").split()[:6]) in " ".join(source.split())
        api.message("còn ở Cao Lộc thì sao?")
        follow = visible((await sent(api, 2))[1].text)
        assert "thị trấn Cao Lộc" in follow.split("Nguồn:", 1)[-1]
        assert "Kinh Môn" not in follow.split("Nguồn:", 1)[-1]

    run_bot(holder, api, tmp_path, scenario)
