"""A document's section tree and the text of each section, rebuilt from its chunks.

A snapshot keeps no section tree, only chunks with their section paths: the tree is implied by the
paths (a heading that only has subsections, "II. MỤC TIÊU" above "2. Mục tiêu cụ thể", is a node
without text of its own). A long section is cut into several chunks; its text here is theirs joined
line by line, in display form (each chunk's ``text``: the file's span without Markdown markers and
stray blank lines), in which :mod:`bot.web.highlight` finds a citation's verbatim quote.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.models import Chunk
from bot.web.links import section_anchor

PREAMBLE_HEADING = "Phần mở đầu"  # the text before the first heading has no heading of its own


@dataclass(frozen=True)
class SectionNode:
    """One section of a document: its path, its own text (``""`` when it only holds subsections), its
    subsections in document order."""

    path: tuple[str, ...]
    text: str
    children: tuple[SectionNode, ...] = ()

    @property
    def section(self) -> str:
        """The path as citations show it (what :func:`bot.web.links.section_anchor` is given)."""
        return " > ".join(self.path)

    @property
    def heading(self) -> str:
        """The section's own heading."""
        return self.path[-1] if self.path else PREAMBLE_HEADING

    @property
    def anchor(self) -> str:
        """The section's id on its document's page."""
        return section_anchor(self.section)

    @property
    def level(self) -> int:
        """1 for top-level sections (and the preamble), one more per level below."""
        return max(len(self.path), 1)


def section_tree(chunks: Sequence[Chunk]) -> tuple[SectionNode, ...]:
    """The top-level sections of the document whose ``chunks`` are given (any order: they are taken
    by ``ordinal``), each section placed where its first chunk or first subsection stands."""
    texts: dict[tuple[str, ...], list[str]] = {}
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    roots: list[tuple[str, ...]] = []
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        path = chunk.section_path
        for depth in range(0 if not path else 1, len(path) + 1):
            prefix = path[:depth]
            if prefix in children:
                continue
            children[prefix] = []
            (roots if depth <= 1 else children[prefix[:-1]]).append(prefix)
        texts.setdefault(path, []).append(chunk.text)

    def node(path: tuple[str, ...]) -> SectionNode:
        return SectionNode(path, "\n".join(texts.get(path, ())), tuple(node(p) for p in children[path]))

    return tuple(node(p) for p in roots)


def walk(nodes: Sequence[SectionNode]) -> Iterator[SectionNode]:
    """Every section of ``nodes`` and below, in document order (a section before its subsections)."""
    for item in nodes:
        yield item
        yield from walk(item.children)
