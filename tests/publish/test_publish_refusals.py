"""A permanent CKAN refusal is a ``CkanRejected`` (named field or reason, never retried by the
DAG); what may heal is a ``CkanUnavailable`` (retried)."""

from __future__ import annotations

import ckanapi
import pytest
import requests
from airflow.sdk.exceptions import AirflowFailException

from smartcity.publish.calls import Calls, http_status, refusal
from smartcity.publish.errors import (
    PERMANENT,
    CkanRejected,
    CkanUnavailable,
    DataStoreLoadFailed,
    EditConflict,
    InvalidMetadata,
    UploadTooLarge,
)
from smartcity_ckan.failures import no_retry_on


class Raising:
    """A stand-in for ``RemoteCKAN`` whose every action raises ``error``."""

    address = "http://127.0.0.1:5999"

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def call_action(self, action, data, files=None):
        raise self.error


def _answer(status: int, body: str = "<html>nope</html>") -> ckanapi.CKANAPIError:
    # what ckanapi raises for an answer that is not a CKAN error object
    return ckanapi.CKANAPIError(repr(["http://127.0.0.1:5999/api/action/package_revise", status, body]))


def _raised(error: BaseException, action: str = "package_revise") -> BaseException:
    with pytest.raises((CkanRejected, CkanUnavailable)) as info:
        Calls(Raising(error))(action, {"id": "x"})
    return info.value


def test_a_validation_error_names_each_refused_field():
    error = ckanapi.ValidationError({"__type": "Validation Error", "name": ["That URL is already in use."],
                                     "license_id": ["Value must be one of ..."]})
    raised = _raised(error, "package_create")
    assert isinstance(raised, CkanRejected)
    assert raised.action == "package_create" and raised.status == 409
    assert raised.fields == {"name": ["That URL is already in use."],
                             "license_id": ["Value must be one of ..."]}
    assert str(raised) == ("CKAN refused package_create: invalid name: That URL is already in use.; "
                           "license_id: Value must be one of ...")


def test_not_authorised_says_so():
    error = ckanapi.NotAuthorized({"__type": "Authorization Error",
                                   "message": "Access denied: User  not authorized to edit these groups"})
    raised = _raised(error)
    assert isinstance(raised, CkanRejected) and raised.status == 403
    assert "not authorised: Access denied" in str(raised)


@pytest.mark.parametrize(("status", "reason"), [(403, "HTTP 403"), (413, "request too large (HTTP 413)"),
                                                (400, "HTTP 400"), (404, "HTTP 404")])
def test_a_4xx_answer_from_ckan_or_a_proxy_is_permanent(status, reason):
    raised = _raised(_answer(status))
    assert isinstance(raised, CkanRejected) and raised.status == status
    assert raised.reason.startswith(reason)


@pytest.mark.parametrize("error", [
    _answer(500), _answer(502), _answer(503), _answer(429), _answer(408),
    ckanapi.SearchIndexError("Solr returned an error"), ckanapi.SearchError("Solr down"),
    requests.ConnectionError("refused"), requests.ReadTimeout("read timed out"),
])
def test_what_may_heal_is_unavailable(error):
    assert isinstance(_raised(error), CkanUnavailable)


def test_not_found_passes_through_for_show_then_create():
    with pytest.raises(ckanapi.NotFound):
        Calls(Raising(ckanapi.NotFound("Dataset not found")))("package_show", {"id": "x"})


def test_the_status_is_read_from_ckanapis_message_only():
    assert http_status(_answer(413)) == 413
    assert http_status(ckanapi.CKANAPIError("something else")) is None
    assert refusal("x", ckanapi.CKANAPIError("something else")) is None


@pytest.mark.parametrize("error", [CkanRejected("CKAN refused package_revise: invalid notes: Missing value"),
                                   InvalidMetadata("data_category: not one of ..."),
                                   UploadTooLarge("figures.csv is 12 MB, over 10 MB")])
def test_the_dag_fails_a_permanent_refusal_at_once_with_its_reason(error):
    assert isinstance(error, PERMANENT)
    with pytest.raises(AirflowFailException, match=type(error).__name__) as info:
        with no_retry_on(*PERMANENT):
            try:
                raise error
            except Exception as exc:
                raise RuntimeError("publish figures failed") from exc  # wrapped: still found
    assert str(error) in str(info.value)


@pytest.mark.parametrize("error", [CkanUnavailable("CKAN unreachable"), EditConflict("changed meanwhile"),
                                   DataStoreLoadFailed("xloader did not load in 600 s")])
def test_the_dag_retries_what_may_heal(error):
    assert not isinstance(error, PERMANENT)
    with pytest.raises(type(error)):
        with no_retry_on(*PERMANENT):
            raise error
