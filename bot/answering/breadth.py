"""A question naming no place that many plans answer: how many, the few best, and which place?

Listing every plan's line stops being an answer once many plans answer alike (hundreds of plans of
as many localities share the same template): the user gets a long list of arbitrary places. So,
when more plans answer than :data:`MAX_LISTED`, the answer says how many do, shows the
:data:`SHOWN` best (cited, like any passage answer) and asks which place is meant, carrying the
candidate localities in ``Answer.choices`` (a front end may offer them as buttons). With few
answering plans (the bundled corpus) the passage answer lists each plan as before.

Not an answerer of its own: a step of :class:`~bot.answering.passage.PassageAnswerer`, which has
the candidates and excerpts this needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.answering.answer import Answer
from bot.answering.candidates import Candidate
from bot.answering.evidence import answering
from bot.answering.lines import Excerpt
from bot.answering.question import Question
from bot.answering.render import compose

MAX_LISTED = 5  # up to this many answering plans, each is listed
SHOWN = 3  # beyond it, the best this many are shown
MAX_CHOICES = 8  # localities offered to choose from


def ask_which_place(question: Question, ranked: Sequence[Candidate], excerpts: Sequence[Excerpt]) -> Answer | None:
    """The summary answer that asks for a place, or ``None`` when the question names a place, or
    few plans answer (the ordinary per-plan answer is right then)."""
    if question.scope is not None or not ranked:
        return None
    plans = answering(ranked)
    if len(plans) <= MAX_LISTED:
        return None
    localities = tuple(dict.fromkeys(h.document.locality for h in plans if h.document.locality))
    choices = localities[:MAX_CHOICES]
    intro = f"{len(plans)} kế hoạch có nội dung này; {min(SHOWN, len(excerpts))} kế hoạch khớp nhất:"
    shown = compose(excerpts[:SHOWN], intro=intro)
    if len(excerpts[:SHOWN]) == 1:  # compose writes a single plan as "Theo ...": keep the count in front
        shown = replace(shown, answer=f"{intro}\n• {shown.answer.removeprefix('Theo ')}")
    more = f" (ví dụ: {', '.join(choices)}{', …' if len(localities) > len(choices) else ''})" if choices else ""
    ask = f"Bạn hỏi về địa bàn nào{more}? Hãy hỏi kèm tên địa bàn để có câu trả lời đầy đủ."
    return replace(shown, answer=f"{shown.answer}\n{ask}", choices=choices)
