"""A question naming no place that many plans answer: how many, the few best, and which place?

Listing every plan's line stops being an answer once many plans answer alike (hundreds of plans of
as many localities share the same template): the user gets a long list of arbitrary places. So,
when more plans answer than :data:`MAX_LISTED`, the answer says how many do, shows the
:data:`SHOWN` best *distinct* passages (cited, like any passage answer) and asks which place is
meant, carrying the candidate localities in ``Answer.choices`` (a front end may offer them as
buttons). With few answering plans (the bundled corpus) the passage answer lists each plan as before.

Distinct: the answering plans' excerpts are grouped by what they say (:mod:`bot.answering.alike`),
so that copies of one template take one slot, which says how many plans share it, and the other
slots show what other plans say. The groups come in the order of their best passage (the
evidence); the localities offered are taken from every group in turn (diversity).

Not an answerer of its own: a step of :class:`~bot.answering.passage.PassageAnswerer`, which has
the candidates and the line choice this needs. The passage answer of many plans a question names
(:func:`merged`) takes alike excerpts together the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import zip_longest

from bot.answering.alike import Alike, group_alike
from bot.answering.answer import Answer
from bot.answering.candidates import Candidate
from bot.answering.evidence import answering
from bot.answering.lines import Excerpt
from bot.answering.question import Question
from bot.answering.render import compose
from bot.retrieval.hybrid import Hit

MAX_LISTED = 5  # up to this many answering plans, each is listed
SHOWN = 3  # beyond it, the best this many distinct passages are shown
MAX_CHOICES = 8  # localities offered to choose from


def offered(groups: Sequence[Alike]) -> tuple[str, ...]:
    """Every locality of the groups' plans, once: the shown plans' first, then one plan of each
    group in turn (so that each content is represented), best ranked first within a group."""
    firsts = [g.shown.hit.document.locality for g in groups]
    others = [[e.hit.document.locality for e in g.members if e is not g.shown] for g in groups]
    turns = [loc for row in zip_longest(*others) for loc in row]
    return tuple(dict.fromkeys(loc for loc in (*firsts, *turns) if loc))


def _remark(group: Alike) -> str:
    return f" (cùng nội dung ở {group.size} kế hoạch)" if group.size > 1 else ""


def _intro(plans: int, groups: int, shown: int) -> str:
    if groups == plans:
        return f"{plans} kế hoạch có nội dung này; {shown} kế hoạch khớp nhất:"
    if groups == 1:
        return f"{plans} kế hoạch có nội dung này, cùng một nội dung:"
    return f"{plans} kế hoạch có nội dung này, {groups} nội dung khác nhau; {shown} nội dung khớp nhất:"


def merged(excerpts: Sequence[Excerpt], placed: frozenset[str] = frozenset()) -> tuple[list[Excerpt], list[str]]:
    """The excerpts of a per-plan answer (the plans a question names, each listed) and the remark
    closing each: beyond :data:`MAX_LISTED` plans, alike excerpts take one line that says how many
    plans share it (every plan of a province, written from one template); else each as it is."""
    if len(excerpts) <= MAX_LISTED:
        return list(excerpts), []
    groups = group_alike(excerpts, placed)
    return [g.shown for g in groups], [_remark(g) for g in groups]


def ask_which_place(
    question: Question,
    ranked: Sequence[Candidate],
    excerpt_of: Callable[[Hit], Excerpt],
    placed: frozenset[str] = frozenset(),
) -> Answer | None:
    """The summary answer that asks for a place, or ``None`` when the question names a place, or
    few plans answer (the ordinary per-plan answer is right then). ``excerpt_of``: the lines an
    answering plan's best hit would show (the passage answerer's line choice); ``placed``: the plans
    whose text bears out their province (see :func:`~bot.answering.alike.group_alike`)."""
    if question.scope is not None or not ranked:
        return None
    plans = answering(ranked)
    if len(plans) <= MAX_LISTED:
        return None
    groups = group_alike([excerpt_of(hit) for hit in plans], placed)
    top = groups[:SHOWN]
    localities = offered(groups)
    choices = localities[:MAX_CHOICES]
    intro = _intro(len(plans), len(groups), len(top))
    shown = compose([g.shown for g in top], intro=intro, remarks=[_remark(g) for g in top])
    if len(top) == 1:  # compose writes a single plan as "Theo ...": keep the count in front
        shown = replace(shown, answer=f"{intro}\n• {shown.answer.removeprefix('Theo ')}")
    more = f" (ví dụ: {', '.join(choices)}{', …' if len(localities) > len(choices) else ''})" if choices else ""
    ask = f"Bạn hỏi về địa bàn nào{more}? Hãy hỏi kèm tên địa bàn để có câu trả lời đầy đủ."
    return replace(shown, answer=f"{shown.answer}\n{ask}", choices=choices)
