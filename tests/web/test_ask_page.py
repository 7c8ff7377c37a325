"""The ask page through the app the CLI serves: ``GET /?q=`` answers on the server as ``POST /ask`` does,
with its citations, locality picker, choices, error pages and 👍/👎 votes stored with the bot's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from bot.answering.service import ServiceHolder
from bot.config import Settings
from bot.http.app import create_app
from bot.records.feedback import FeedbackStore
from bot.web.ask import WEB_CHAT_ID, answer_key
from bot.web.links import document_url
from bot.web.site import web_router
from tests.fakes import FakeEmbedder, write_fake_index

SAME_ORIGIN = {"Origin": "http://testserver"}


@dataclass
class Page:
    """What a reader sees of an ask page: the answer's text, its citations, the choices, the forms."""

    answer: str | None = None
    quotes: list[str] = field(default_factory=list)
    citation_links: list[str] = field(default_factory=list)
    choice_links: list[tuple[str, str]] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)  # of the vote form
    selected: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    question_value: str | None = None
    h1: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] | None = None  # collecting the answer or a quote
        self.link: tuple[str, list[str]] | None = None
        self.option: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "h1":
            self.page.h1 += 1
        if (tag == "p" and "answer" in classes) or tag == "blockquote":
            self.text = []
        if tag == "br" and self.text is not None:
            self.text.append("\n")
        if tag == "a" and any("citations" in c for _, c in self._classes()) and "href" in a:
            self.page.citation_links.append(a["href"])
        if tag == "a" and any("choices" in c for _, c in self._classes()):
            self.link = (a["href"], [])
        if tag == "input" and a.get("type") == "hidden":
            self.page.hidden[a["name"]] = a.get("value", "")
        if tag == "input" and a.get("name") == "q":
            self.page.question_value = a.get("value", "")
        if tag == "option":
            self.option = []
            if "selected" in a:
                self.page.selected.append(a.get("value", "\0"))
        if tag not in ("br", "input", "meta", "link"):
            self.stack.append((tag, a))

    def _classes(self) -> list[tuple[str, list[str]]]:
        return [(t, a.get("class", "").split()) for t, a in self.stack]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "blockquote") and self.text is not None and self.stack and self.stack[-1][0] == tag:
            text = "".join(self.text)
            if tag == "p":
                self.page.answer = text
            else:
                self.page.quotes.append(text)
            self.text = None
        if tag == "a" and self.link is not None:
            self.page.choice_links.append((self.link[0], "".join(self.link[1])))
            self.link = None
        if tag == "option" and self.option is not None:
            name = "".join(self.option)
            self.page.options.append(name)
            if self.page.selected and self.page.selected[-1] == "\0":
                self.page.selected[-1] = name
            self.option = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for collecting in (self.text, self.link[1] if self.link else None, self.option):
            if collecting is not None:
                collecting.append(data)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page


def flat(text: str) -> str:
    return " ".join(text.split())


def make_client(index: Path, embedder: Any, store: FeedbackStore | None, **settings: Any) -> TestClient:
    config = Settings(index_dir=index, **settings)
    holder = ServiceHolder(index, embedder)
    return TestClient(create_app(holder, config, routers=[web_router(holder, config, feedback=store)]))


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "votes" / "feedback.sqlite3")


@pytest.fixture
def site(tmp_path: Path, store: FeedbackStore) -> TestClient:
    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    return make_client(tmp_path, embedder, store)


def ask_both(client: TestClient, question: str, locality: str | None = None) -> tuple[Page, dict[str, Any]]:
    params = {"q": question, **({"dia_ban": locality} if locality else {})}
    response = client.get("/", params=params)
    assert response.status_code == 200, response.text
    api = client.post("/ask", json={"question": question, "locality": locality})
    assert api.status_code == 200
    return read(response.text), api.json()


@pytest.mark.parametrize(
    "question",
    [
        "Công an xã chủ trì việc gì?",
        "cong an xa chu tri viec gi",  # no diacritics
        "chỉ tiêu gia đình văn hóa",
        "ngân sách cho bể bơi là bao nhiêu",  # a value no plan states
    ],
)
def test_the_page_gives_the_answer_of_the_api(site: TestClient, question: str) -> None:
    page, api = ask_both(site, question)
    assert page.answer == api["answer"]
    assert [flat(q) for q in page.quotes] == [flat(c["quote"]) for c in api["citations"]]
    assert page.citation_links == [document_url(c["doc_id"], c["section"], c["quote"]) for c in api["citations"]]
    assert page.question_value == question and page.h1 == 1


def test_a_question_without_diacritics_finds_the_unit_and_its_citation(site: TestClient) -> None:
    response = site.get("/", params={"q": "cong an xa chu tri viec gi"})
    page = read(response.text)
    assert page.answer is not None and "Công an xã" in page.answer
    assert any("tệ nạn xã hội" in q for q in page.quotes)
    assert "xã Tân Hòa · IV. TỔ CHỨC THỰC HIỆN › 2. Công an xã" in response.text
    assert '<a href="#nguon-1">[1]</a>' in response.text and 'id="nguon-1"' in response.text


def test_the_locality_picker_limits_the_answer_and_stays_chosen(site: TestClient) -> None:
    everywhere, _ = ask_both(site, "chỉ tiêu gia đình văn hóa")
    assert everywhere.options == ["Tất cả địa bàn", "phường An Bình", "xã Tân Hòa"]
    assert everywhere.selected == [] and len(everywhere.quotes) == 2
    page, api = ask_both(site, "chỉ tiêu gia đình văn hóa", "phường An Bình")
    assert page.selected == ["phường An Bình"]
    assert {c["locality"] for c in api["citations"]} == {"phường An Bình"}
    assert page.answer == api["answer"] and len(page.quotes) == len(api["citations"]) == 1
    assert page.hidden["dia_ban"] == "phường An Bình"


def test_a_locality_no_plan_has_is_answered_honestly(site: TestClient) -> None:
    response = site.get("/", params={"q": "chỉ tiêu gia đình văn hóa", "dia_ban": "xã Không Có"})
    assert response.status_code == 200
    page = read(response.text)
    assert "Không tìm thấy trong các kế hoạch" in response.text
    assert page.answer is not None and "xã Không Có" in page.answer and page.quotes == []
    assert page.selected == ["xã Không Có"]


@pytest.fixture(scope="module")
def many_places(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from bot.indexing.build import build_index
    from tests.answering.across_corpus import many_plans, write_plans

    tmp = tmp_path_factory.mktemp("many")
    documents, index = write_plans(tmp / "documents", many_plans(12)), tmp / "index"
    build_index(documents, index, FakeEmbedder())
    return make_client(index, FakeEmbedder(), None, rate_limit=0)


def test_the_places_to_choose_from_are_links_asking_again_there(many_places: TestClient) -> None:
    question = "ai chủ trì tham mưu triển khai kế hoạch"
    page, api = ask_both(many_places, question)
    assert api["choices"] and [name for _, name in page.choice_links] == api["choices"]
    for url, name in page.choice_links:
        parts = urlsplit(url)
        assert parts.path == "/" and parse_qs(parts.query) == {"q": [question], "dia_ban": [name]}
    url, place = page.choice_links[0]
    chosen = read(many_places.get(url).text)
    _, there = ask_both(many_places, question, place)
    assert chosen.choice_links == [] and chosen.selected == [place]
    assert chosen.answer == there["answer"] and {c["locality"] for c in there["citations"]} == {place}
    assert page.hidden == {}  # no vote store given: no vote buttons


def test_a_question_too_long_is_a_422_page_keeping_the_form(site: TestClient) -> None:
    response = site.get("/", params={"q": "a" * 2001, "dia_ban": "xã Tân Hòa"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "Câu hỏi quá dài (2001 ký tự); tối đa 2000 ký tự." in response.text
    assert 'aria-describedby="q-error"' in response.text
    assert read(response.text).selected == ["xã Tân Hòa"]


@pytest.mark.parametrize("raw", ["%ED%A0%80", "ab%FFcd", "%C3"])  # a lone surrogate (CESU-8), bytes not UTF-8
def test_text_that_is_not_utf8_is_a_422_page(site: TestClient, raw: str) -> None:
    response = site.get(f"/?q={raw}")
    assert response.status_code == 422
    assert "Câu hỏi chứa ký tự không hợp lệ" in response.text and "Traceback" not in response.text
    assert read(response.text).options[0] == "Tất cả địa bàn"


def test_a_locality_too_long_is_a_422_page(site: TestClient) -> None:
    response = site.get("/", params={"q": "chỉ tiêu", "dia_ban": "x" * 201})
    assert response.status_code == 422 and "Tên địa bàn quá dài" in response.text


def test_a_blank_question_shows_the_form_only(site: TestClient) -> None:
    for query in ("/", "/?q=", "/?q=+%09+", "/?dia_ban=x%C3%A3+T%C3%A2n+H%C3%B2a"):
        response = site.get(query)
        assert response.status_code == 200, query
        assert read(response.text).answer is None and "Câu trả lời" not in response.text


def test_no_index_is_a_503_page_that_shows_no_path(tmp_path: Path) -> None:
    client = make_client(tmp_path / "nothing", FakeEmbedder(), None)
    response = client.get("/", params={"q": "chỉ tiêu"})
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "Vui lòng thử lại sau" in response.text and str(tmp_path) not in response.text


def test_html_in_the_question_is_escaped(site: TestClient) -> None:
    question = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = site.get("/", params={"q": question})
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    page = read(response.text)
    assert page.question_value == question and page.hidden["q"] == question


def vote(client: TestClient, page: Page, value: str, headers: dict[str, str] | None = None) -> Any:
    form = {**page.hidden, "vote": value}
    headers = SAME_ORIGIN if headers is None else headers
    return client.post("/phan-hoi", data=form, headers=headers, follow_redirects=False)


def test_a_vote_is_stored_with_the_bots_votes_and_thanked(site: TestClient, store: FeedbackStore) -> None:
    question = "Công an xã chủ trì việc gì?"
    page, api = ask_both(site, question)
    assert set(page.hidden) == {"q", "dia_ban", "snapshot"}
    response = vote(site, page, "1")
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert parse_qs(target.query) == {"q": [question], "phan_hoi": ["cam-on"]}
    assert "httponly" in response.headers["set-cookie"].lower()
    [stored] = store.all()
    assert stored.chat_id == WEB_CHAT_ID and stored.vote == 1 and stored.user_id > 0
    assert (stored.question, stored.answer, stored.status) == (question, api["answer"], api["status"])
    assert stored.snapshot == api["snapshot"] and stored.locality is None
    assert stored.answer_key == answer_key(api["snapshot"], question, None)
    thanked = site.get(response.headers["location"])
    assert "Cảm ơn bạn đã góp ý!" in thanked.text and read(thanked.text).answer == api["answer"]
    # the same browser (cookie kept by the client) changes its vote; another browser adds its own
    assert vote(site, page, "-1").status_code == 303
    assert [(f.user_id, f.vote) for f in store.all()] == [(stored.user_id, -1)]
    site.cookies.clear()
    assert vote(site, page, "1").status_code == 303
    votes = store.all()
    assert len(votes) == 2 and votes[1].user_id != stored.user_id


def test_a_vote_with_a_locality_keeps_it(site: TestClient, store: FeedbackStore) -> None:
    page, _ = ask_both(site, "chỉ tiêu gia đình văn hóa", "xã Tân Hòa")
    response = vote(site, page, "-1", headers={"Referer": "http://testserver/?q=x"})
    assert response.status_code == 303 and "dia_ban=x%C3%A3+T%C3%A2n+H%C3%B2a" in response.headers["location"]
    [stored] = store.all()
    assert stored.locality == "xã Tân Hòa" and stored.vote == -1


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://evil.example"}, {"Origin": "null"}, {"Referer": "http://evil.example/?q=x"}],
)
def test_a_vote_from_another_site_is_refused(site: TestClient, store: FeedbackStore, headers: dict[str, str]) -> None:
    page, _ = ask_both(site, "Công an xã chủ trì việc gì?")
    response = vote(site, page, "1", headers=headers)
    assert response.status_code == 403
    assert "không được ghi nhận" in response.text and store.all() == []


def test_a_vote_on_an_older_snapshot_is_not_stored(site: TestClient, store: FeedbackStore) -> None:
    page, _ = ask_both(site, "Công an xã chủ trì việc gì?")
    assert "phan_hoi=cam-on" in vote(site, page, "1").headers["location"]
    stale = Page(hidden={**page.hidden, "snapshot": "20200101T000000.000000-000000"})
    response = vote(site, stale, "1")
    assert response.status_code == 303 and "phan_hoi=cu" in response.headers["location"]
    assert len(store.all()) == 1  # only the first vote, on the snapshot served
    assert "chưa được ghi nhận" in site.get(response.headers["location"]).text


@pytest.mark.parametrize("form", [{"vote": "2"}, {"vote": ""}, {"q": "  "}])
def test_a_malformed_vote_is_a_400_page(site: TestClient, store: FeedbackStore, form: dict[str, str]) -> None:
    page, _ = ask_both(site, "Công an xã chủ trì việc gì?")
    data = {**page.hidden, "vote": "1", **form}
    response = site.post("/phan-hoi", data=data, headers=SAME_ORIGIN)
    assert response.status_code == 400 and "Góp ý không hợp lệ" in response.text and store.all() == []


def test_a_vote_body_that_is_not_utf8_is_a_422_page(site: TestClient, store: FeedbackStore) -> None:
    headers = {**SAME_ORIGIN, "Content-Type": "application/x-www-form-urlencoded"}
    response = site.post("/phan-hoi", content=b"q=%ED%A0%80&vote=1", headers=headers)
    assert response.status_code == 422 and store.all() == []


def test_the_rate_limit_covers_questions_asked_on_the_page(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    client = make_client(tmp_path, embedder, None, rate_limit=2)
    assert all(client.get("/").status_code == 200 for _ in range(3))  # the bare form asks nothing
    statuses = [client.get("/", params={"q": "chỉ tiêu"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get("/", params={"q": "chỉ tiêu"})
    assert refused.headers["content-type"].startswith("text/html") and "thử lại sau" in refused.text


def test_the_page_uses_no_inline_script_or_style(site: TestClient) -> None:
    html = site.get("/", params={"q": "chỉ tiêu gia đình văn hóa"}).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.slow
def test_the_real_index_gives_the_same_answer_on_the_page(seed_index: Path, real_embedder: Any) -> None:
    client = make_client(seed_index, real_embedder, None, rate_limit=0)
    for question in ("ai phu trach tuyen truyen phong trao tren he thong truyen thanh", "Kinh phí thực hiện?"):
        page, api = ask_both(client, question)
        assert api["citations"] and page.answer == api["answer"]
        assert [flat(q) for q in page.quotes] == [flat(c["quote"]) for c in api["citations"]]


@pytest.mark.browser
def test_in_a_browser_ask_by_keyboard_see_the_citation_and_vote(tmp_path: Path, store: FeedbackStore) -> None:
    from tests.web.browser import axe_violations, chromium, live_server, screenshot

    embedder = FakeEmbedder()
    write_fake_index(tmp_path, embedder)
    settings = Settings(index_dir=tmp_path, rate_limit=0)
    holder = ServiceHolder(tmp_path, embedder)
    app = create_app(holder, settings, routers=[web_router(holder, settings, feedback=store)])
    with chromium() as browser, live_server(app) as url:
        page = browser.new_page()
        page.goto(url + "/")
        page.get_by_label("Câu hỏi").fill("cong an xa chu tri viec gi")
        page.get_by_label("Câu hỏi").press("Enter")
        page.wait_for_selector("#nguon-1")
        assert "Công an xã" in page.locator("p.answer").inner_text()
        assert "tệ nạn xã hội" in page.locator("#nguon-1 blockquote").inner_text()
        assert page.locator("h1").count() == 1
        screenshot(page, "ask-answer")
        assert axe_violations(page) == []
        page.get_by_role("button", name="👍 Có ích").click()  # a real browser's Origin passes the check
        page.wait_for_selector("p.notice")
        assert "Cảm ơn" in page.locator("p.notice").inner_text()
        screenshot(page, "ask-thanked")
    [stored] = store.all()
    assert stored.vote == 1 and stored.question == "cong an xa chu tri viec gi"
