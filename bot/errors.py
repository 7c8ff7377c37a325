"""Errors the adapters turn into clear messages (HTTP 4xx, Telegram replies, CLI exit codes).

Every error raised on purpose by campaign-bot derives from :class:`CampaignBotError`, so the
adapters can show its message to the user instead of a traceback.
"""


class CampaignBotError(Exception):
    """Base class: the message is safe and meant to be shown to the user."""


class DocumentError(CampaignBotError):
    """A plan document cannot be read or parsed (unsupported type, empty, undecodable)."""


class ModelError(CampaignBotError):
    """The embedding model cannot be prepared or loaded."""


class SnapshotError(CampaignBotError):
    """An index snapshot is missing, incomplete, corrupted or incompatible."""


class QueryError(CampaignBotError):
    """A question or search query is unusable (empty, too long)."""
