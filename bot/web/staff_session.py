"""The staff pages' session cookie and CSRF tokens: signed, stateless, bound to the admin token.

A session is ``<id>.<expires>.<mac>``: a random id (16 bytes, URL-safe base64), its expiry (Unix
seconds) and the HMAC-SHA256 of both under a key derived from the admin token. Nothing is stored on
the server, so every worker and replica that knows the token accepts the cookie, and changing the
token ends every session at once. A CSRF token is the HMAC of the session id under a second derived
key: it is valid for that session only, and a page can put it in its forms without a server store.

Every comparison of secrets is constant-time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

COOKIE_NAME = "campaign_bot_staff"
COOKIE_PATH = "/can-bo"
CSRF_FIELD = "csrf"
SESSION_SECONDS = 8 * 60 * 60  # one working day
# Labels that keep the derived keys apart (a session MAC is never a valid CSRF token, nor the reverse).
_SESSION_LABEL = b"campaign-bot/staff/session/v1"
_CSRF_LABEL = b"campaign-bot/staff/csrf/v1"


def _derive(secret: str, label: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), label, hashlib.sha256).digest()


def _mac(key: bytes, message: str) -> str:
    digest = hmac.new(key, message.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Session:
    """A valid staff session: its id and when it ends (Unix seconds)."""

    session_id: str
    expires: int


class StaffSessions:
    """Issues and checks the sessions and CSRF tokens of one admin token.

    ``clock`` gives Unix seconds (tests pass a fixed one to make a session that has expired).
    """

    def __init__(
        self, admin_token: str, *, lifetime: int = SESSION_SECONDS, clock: Callable[[], float] = time.time
    ) -> None:
        if not admin_token:
            raise ValueError("staff sessions need an admin token")
        self._expected = admin_token.encode("utf-8")
        self._session_key = _derive(admin_token, _SESSION_LABEL)
        self._csrf_key = _derive(admin_token, _CSRF_LABEL)
        self.lifetime = lifetime
        self._clock = clock

    def token_matches(self, given: str) -> bool:
        """Whether ``given`` is the admin token (constant time)."""
        return hmac.compare_digest(given.strip().encode("utf-8"), self._expected)

    def issue(self) -> str:
        """A new session's cookie value, valid for :attr:`lifetime` seconds from now."""
        session_id = secrets.token_urlsafe(16)
        expires = int(self._clock()) + self.lifetime
        payload = f"{session_id}.{expires}"
        return f"{payload}.{_mac(self._session_key, payload)}"

    def check(self, cookie: str | None) -> Session | None:
        """The session of ``cookie``, or ``None`` when it is absent, malformed, tampered with or expired."""
        if not cookie or len(cookie) > 200:
            return None
        session_id, _, rest = cookie.partition(".")
        expires_text, _, mac = rest.partition(".")
        if not (session_id and expires_text.isdigit() and mac):
            return None
        expected = _mac(self._session_key, f"{session_id}.{expires_text}")
        if not hmac.compare_digest(mac.encode("ascii", "replace"), expected.encode("ascii")):
            return None
        expires = int(expires_text)
        if expires <= self._clock():
            return None
        return Session(session_id, expires)

    def csrf_token(self, session: Session) -> str:
        """The CSRF token of ``session`` (what its forms carry in the :data:`CSRF_FIELD` field)."""
        return _mac(self._csrf_key, session.session_id)

    def csrf_matches(self, session: Session, given: str | None) -> bool:
        """Whether ``given`` is ``session``'s CSRF token (constant time)."""
        if not given:
            return False
        return hmac.compare_digest(given.encode("ascii", "replace"), self.csrf_token(session).encode("ascii"))
