"""What a web article says about the document it reports: "Ngày 09/4/2022, UBND thành phố Đà Nẵng
ban hành Kế hoạch số 74/KH-UBND ...".

Portals publish a summary of a plan instead of the plan; the lead sentence names the issuing body,
the kind, the number and often the date. :func:`reported_issuance` reads that sentence; the caller
decides whether the article is about that document (same kind as its title) or about one issued
with it ("ban hành Quyết định số 1671/QĐ-UBND kèm theo kế hoạch ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.kinds import KINDS, canonical_kind
from bot.text.normalize import match_form

_KIND_ALTERNATIVES = "|".join(f"[{k[0]}{k[0].lower()}]{k[1:]}" for k in KINDS)
_DATE = r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
_ISSUANCE = re.compile(
    r"(?:^|(?<=[.;!?])\s+|\s[–-]\s+|\)\s*)"
    rf"(?:Ngày\s+(?P<date>{_DATE})\s*,\s*)?"
    r"(?P<issuer>[A-ZÀ-ỸĐ][^.;:!?()]{1,160}?)\s+(?:(?:đã|vừa|mới|chính thức)\s+)*ban hành\s+"
    rf"(?P<kind>{_KIND_ALTERNATIVES})(?:\s+số\s+(?P<number>\d+[^\s,;]*[^\s,;.]))?"
    r"(?P<rest>[^.;]*)"
)
_ATTACHED = re.compile(r"^\s*(?:ban hành\s+)?kèm theo\s+(?P<kind>[^\s,;]+(?:\s+[^\s,;]+)?)", re.IGNORECASE)
_DATELINE = re.compile(r"^(?P<place>(?:[A-ZÀ-ỸĐ][^\s:,.]*\s?){1,4}):\s+\S")


@dataclass(frozen=True)
class Issuance:
    """The document a lead sentence reports: its issuer, kind, number and date as written."""

    issuer: str
    kind: str
    number: str | None = None
    date: str | None = None
    attached_kind: str | None = None  # "Kế hoạch" in "ban hành Quyết định số ... kèm theo kế hoạch"
    rest: str = ""  # the rest of the clause: what the document is about ("thực hiện Phong trào ...")

    @property
    def reference(self) -> str:
        """ "Quyết định số 1671/QĐ-UBND" (the kind alone when the number is not given)."""
        return f"{self.kind} số {self.number}" if self.number else self.kind


def _date(text: str) -> str:
    m = re.fullmatch(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
    return f"{m.group(1)}/{m.group(2)}/{m.group(3)}" if m else text


def reported_issuance(lead: str) -> Issuance | None:
    """The issuance the lead sentence of an article reports, ``None`` when it reports none."""
    m = _ISSUANCE.search(" ".join(lead.split()))
    if not m:
        return None
    issuer = re.sub(r"^[–\-\s]+", "", m.group("issuer")).strip()
    if not issuer[:1].isupper() or "việc" in issuer.split():
        return None  # "... thông qua việc ban hành ...": the body is not the sentence's subject
    kind = canonical_kind(m.group("kind")) or m.group("kind")
    attached = None
    rest = _ATTACHED.match(m.group("rest") or "")
    if rest:
        for candidate in (rest.group("kind"), rest.group("kind").split()[0]):
            attached = attached or canonical_kind(candidate)
    date = _date(m.group("date")) if m.group("date") else None
    return Issuance(
        issuer=issuer, kind=kind, number=m.group("number"), date=date, attached_kind=attached, rest=m.group("rest")
    )


def dateline_place(title: str) -> str | None:
    """ "Ba Chẽ: Triển khai hoạt động ..." → "Ba Chẽ": the place a news title opens with."""
    m = _DATELINE.match(title)
    if not m:
        return None
    place = m.group("place").strip()
    return None if match_form(place) in {match_form(k) for k in KINDS} else place
