"""One error tree: every exception class of campaign-bot is defined in bot/errors.py, under CampaignBotError."""

from __future__ import annotations

import ast
import inspect

import bot.errors
from bot.errors import CampaignBotError
from tests.conftest import REPO


def test_exceptions_are_defined_only_in_bot_errors() -> None:
    tree = {name for name, _ in inspect.getmembers(bot.errors, inspect.isclass)}
    elsewhere = set()
    for path in sorted((REPO / "bot").rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if relative == "bot/errors.py":
            continue
        classes = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.ClassDef)]
        for node in classes:
            bases = [ast.unparse(base).rpartition(".")[2] for base in node.bases]
            if any(base in tree or base.endswith(("Error", "Exception")) for base in bases):
                elsewhere.add((relative, node.name))
    assert elsewhere == set()


def test_every_error_derives_from_campaign_bot_error() -> None:
    classes = [c for _, c in inspect.getmembers(bot.errors, inspect.isclass) if c.__module__ == "bot.errors"]
    assert len(classes) > 10
    assert all(issubclass(c, CampaignBotError) for c in classes)
