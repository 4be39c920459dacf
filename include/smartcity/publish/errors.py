"""The typed errors of publishing; every one is a ``PublishError``.

Two kinds, for whoever decides on retries (the DAG's publish tasks): ``PERMANENT`` errors do
not heal by sending the same request again -- the portal refused it (validation error, not
authorised, too large) or our metadata or files do not fit it -- so they fail at once;
every other ``PublishError`` (CKAN down, a timeout, a 5xx, xloader late) may heal and is retried.
"""

from __future__ import annotations


class PublishError(Exception):
    """Publishing failed; the message says which action and why."""


class PermanentPublishError(PublishError):
    """A refusal that sending the same request again cannot change (see ``PERMANENT``)."""


class UploadTooLarge(PermanentPublishError):
    """A file is over the upload size limit; raised before any write."""


class InvalidMetadata(PermanentPublishError):
    """A catalogue value does not fit the portal's dataset schema (a value outside a field's
    choice list, or a required field left empty); raised before any write."""


class CkanUnavailable(PublishError):
    """CKAN could not be reached, timed out or answered with a server error."""


class CkanRejected(PermanentPublishError):
    """CKAN refused a call for good (validation error, not authorised, an HTTP 4xx such as 403
    or 413 from CKAN or a proxy in front of it).

    ``action``: the CKAN action; ``status``: the HTTP status when known; ``reason``: what was
    refused, one line (``name: That URL is already in use.``); ``fields``: field -> messages for
    a validation error (empty otherwise)."""

    def __init__(
        self,
        message: str,
        *,
        action: str = "",
        status: int | None = None,
        reason: str = "",
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.action = action
        self.status = status
        self.reason = reason or message
        self.fields = dict(fields or {})


class EditConflict(PublishError):
    """The dataset kept changing on the portal between our read and our guarded write (a
    curator editing it); nothing of ours was written over their change.  Transient: retried."""


class DataStoreLoadFailed(PublishError):
    """The portal's own loader (ckanext-xloader) failed or did not finish in time."""


class CellTooLong(PermanentPublishError):
    """A CSV cell is longer than a spreadsheet holds (Excel: 32,767 characters); raised before any
    write, naming the file, the row and the column.  Permanent: the same data fails again."""


class DemoRefused(PermanentPublishError):
    """Data made from the bundled demo snapshot was about to go to a portal that is not on this
    machine (loopback), without the explicit permission ``SMARTCITY_ALLOW_DEMO_PUBLISH=1``.
    Permanent: retrying does not make it allowed."""


class RowCountDropped(PermanentPublishError):
    """The dataset has no rows, or far fewer, than the version the portal holds (its
    ``row_count``): a broken stage, not news; raised before any write.  Permanent: the same data
    drops again (``SMARTCITY_ACCEPT_ROW_DROP`` names a dataset whose drop is meant)."""


# What the DAG fails at once, without retries: every ``PermanentPublishError``.
PERMANENT: tuple[type[PublishError], ...] = (PermanentPublishError,)
