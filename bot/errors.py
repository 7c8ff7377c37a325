"""Every error campaign-bot raises on purpose, in one tree; the adapters turn them into clear messages.

::

    CampaignBotError                 the message is safe and meant for the user
    ├── DocumentError                a plan cannot be read or parsed
    ├── ModelError                   the embedding model cannot be prepared or loaded
    ├── SnapshotError                an index snapshot is missing, corrupted or incompatible
    ├── QueryError                   a question or search query is unusable (empty, too long)
    ├── BuildError                   an index build cannot run (no readable plan, another build running)
    ├── UploadError                  an uploaded plan file is refused
    │   ├── EmptyUpload              no bytes
    │   ├── UnusableFileName         nothing of the name is left to store it under
    │   ├── UploadTooLarge           over the size limit
    │   ├── UnsupportedUpload        a type that is not supported, or content that is not what the name says
    │   ├── UnreadableUpload         the right type, but the parser cannot read it as a plan
    │   └── DocumentConflict         the same file, or a plan of the same name, is already stored
    ├── DocumentNotFound             no plan file with that id
    ├── JobBusy                      a reindex job is already queued or running
    ├── AdminAuthError               an admin request without the right token
    └── BackupError                  a backup cannot be written, or a backup folder cannot be restored

The errors carry no transport detail (no HTTP status, no exit code): each adapter maps the types to
its own answer (``bot.http`` to statuses, ``bot.cli`` to exit codes, ``bot.telegram`` to replies).
"""


class CampaignBotError(Exception):
    """Base class: the message is safe and meant to be shown to the user."""


class DocumentError(CampaignBotError):
    """A plan document cannot be read or parsed (unsupported type, empty, undecodable)."""


class ModelError(CampaignBotError):
    """The embedding model cannot be prepared or loaded."""


class SnapshotError(CampaignBotError):
    """An index snapshot is missing, incomplete, corrupted or incompatible."""


class BuildError(CampaignBotError):
    """The build cannot produce a snapshot (no readable documents, another build running...)."""


class QueryError(CampaignBotError):
    """A question or search query is unusable (empty, too long)."""


class UploadError(CampaignBotError):
    """An uploaded plan file is refused; the subclasses say why."""


class EmptyUpload(UploadError):
    """The uploaded file has no bytes."""


class UnusableFileName(UploadError):
    """No letter or digit of the uploaded file's name is left to store it under."""


class UploadTooLarge(UploadError):
    """The uploaded file is larger than the configured limit."""


class UnsupportedUpload(UploadError):
    """The file's type is not supported, or its content is not what its name says."""


class UnreadableUpload(UploadError):
    """The upload has the right type but cannot be parsed as a plan."""


class DocumentConflict(UploadError):
    """The upload is a duplicate of a stored plan, or its name is taken by another plan (``existing``)."""

    def __init__(self, message: str, *, existing: str) -> None:
        super().__init__(message)
        self.existing = existing


class DocumentNotFound(CampaignBotError):
    """No plan file with that id in the documents folder."""


class JobBusy(CampaignBotError):
    """A reindex job (``job_id``) is already queued or running."""

    def __init__(self, message: str, *, job_id: str) -> None:
        super().__init__(message)
        self.job_id = job_id


class AdminAuthError(CampaignBotError):
    """An admin request without the right bearer token."""


class BackupError(CampaignBotError):
    """A backup cannot be written, or a backup folder cannot be restored (the message says why)."""
