"""The addresses the pages link to each other by: one home, so a citation and the page it opens agree.

A citation opens its document's page at the cited section with the quoted lines highlighted:
``/van-ban/<doc_id>?trich=<quote>#<section anchor>``. The quote travels verbatim (it is a span of the
document, at most a few lines), so the document page can find and mark it without any server state.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

DOCUMENTS_PATH = "/van-ban"
QUOTE_PARAMETER = "trich"
MAX_LINKED_QUOTE_CHARS = 1500  # longer quotes link to the section only (URLs stay well under 8 kB)


def section_anchor(section: str) -> str:
    """The HTML id of a section on its document's page, from the section path as shown
    (``"V. TỔ CHỨC THỰC HIỆN > 1.7. ..."``); stable across rebuilds, safe in a URL fragment."""
    digest = hashlib.sha1(section.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
    return f"muc-{digest}"


def document_url(doc_id: str, section: str = "", quote: str = "") -> str:
    """The page of document ``doc_id``; at ``section`` with ``quote`` highlighted when they are given."""
    url = f"{DOCUMENTS_PATH}/{url_quote(doc_id, safe='')}"
    if quote and len(quote) <= MAX_LINKED_QUOTE_CHARS:
        url += "?" + urlencode({QUOTE_PARAMETER: quote})
    if section:
        url += "#" + section_anchor(section)
    return url


def original_url(doc_id: str) -> str:
    """Where the original file of document ``doc_id`` is downloaded."""
    return f"{DOCUMENTS_PATH}/{url_quote(doc_id, safe='')}/goc"
