"""The typed errors of publishing; every one is a ``PublishError``."""

from __future__ import annotations


class PublishError(Exception):
    """Publishing failed; the message says which action and why."""


class UploadTooLarge(PublishError):
    """A file is over the upload size limit; raised before any write."""


class InvalidMetadata(PublishError):
    """A catalogue value does not fit the portal's dataset schema (a value outside a field's
    choice list, or a required field left empty); raised before any write."""


class CkanUnavailable(PublishError):
    """CKAN could not be reached, timed out or answered with a server error."""


class CkanRejected(PublishError):
    """CKAN refused a call (validation error, not authorised)."""


class DataStoreLoadFailed(PublishError):
    """The portal's own loader (ckanext-xloader) failed or did not finish in time."""
