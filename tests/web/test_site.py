"""The frame every page shares: served at /, security headers, static files by name only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bot.http.headers import SECURITY_HEADERS


def test_home_is_a_vietnamese_page_with_a_question_box(web: TestClient) -> None:
    response = web.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in response.text
    assert '<label for="q">' in response.text


def test_every_response_carries_the_security_headers(web: TestClient) -> None:
    for response in (web.get("/"), web.get("/health"), web.get("/static/style.css"), web.get("/no-such-page")):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (response.url, name)
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_static_files_are_served_by_name_only(web: TestClient) -> None:
    assert web.get("/static/style.css").headers["content-type"].startswith("text/css")
    assert web.get("/static/app.js").status_code == 200
    for name in ("..%2Fsite.py", "site.py", "nothing.css"):
        assert web.get(f"/static/{name}").status_code == 404
