import pytest

from smartcity.sources.fetch import (
    Fetcher,
    FetchPolicy,
    FetchTimeout,
    HostNotAllowed,
    HttpStatusError,
    PrivateAddressError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    TruncatedBody,
    decode,
    detect_encoding,
)

from .conftest import TIS_TEXT


class FakeSleep:
    def __init__(self):
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make(policy_kw=None, sleep=None):
    kw = {"delay": 0.0, "allow_private_hosts": True, "retries": 2, "backoff": 0.5}
    kw.update(policy_kw or {})
    return Fetcher(FetchPolicy(**kw), sleep=sleep or FakeSleep())


def test_plain_fetch_sends_honest_user_agent(http_server):
    _server, base = http_server
    f = make({"user_agent": "smartcity-test/1 (+https://example.org/contact)"})
    result = f.fetch(base + "/ok")
    assert result.status == 200 and result.text() == "<p>สวัสดี</p>"
    assert f.session.headers["User-Agent"].startswith("smartcity-test/1")


def test_429_honours_retry_after(http_server):
    server, base = http_server
    sleep = FakeSleep()
    result = make(sleep=sleep).fetch(base + "/429")
    assert result.content == b"<p>now fine</p>"
    assert server.hits["/429"] == 2
    assert 3.0 in sleep.calls  # waited as long as the server asked, not the 0.5 s backoff


def test_retry_after_too_long_is_an_error(http_server):
    _server, base = http_server
    with pytest.raises(HttpStatusError, match="Retry-After"):
        make({"max_retry_after": 1.0}).fetch(base + "/429")


def test_500_retried_then_typed_error(http_server):
    server, base = http_server
    sleep = FakeSleep()
    with pytest.raises(HttpStatusError) as info:
        make(sleep=sleep).fetch(base + "/500")
    assert info.value.status == 500
    assert server.hits["/500"] == 3  # first try + 2 retries
    assert sleep.calls == [0.5, 1.0]  # exponential backoff


def test_503_once_recovers(http_server):
    _server, base = http_server
    assert make().fetch(base + "/503-once").content == b"<p>recovered</p>"


def test_slow_response_times_out(http_server):
    server, base = http_server
    with pytest.raises(FetchTimeout):
        make({"read_timeout": 0.3, "retries": 1}).fetch(base + "/slow")
    assert server.hits["/slow"] == 2


def test_redirect_to_disallowed_host_refused(http_server):
    _server, base = http_server
    with pytest.raises(HostNotAllowed, match=r"example\.org"):
        make().fetch(base + "/redirect-out")


def test_redirect_within_host_followed(http_server):
    _server, base = http_server
    result = make().fetch(base + "/redirect-in")
    assert result.url == base + "/ok" and result.requested_url == base + "/redirect-in"


def test_redirect_loop_limited(http_server):
    server, base = http_server
    with pytest.raises(TooManyRedirects):
        make({"max_redirects": 3}).fetch(base + "/redirect-loop")
    assert server.hits["/redirect-loop"] == 4


def test_oversize_body_refused_by_content_length(http_server):
    _server, base = http_server
    with pytest.raises(TooLarge):
        make({"max_bytes": 1000}).fetch(base + "/big")


def test_oversize_body_refused_while_streaming(http_server):
    _server, base = http_server
    with pytest.raises(TooLarge) as info:
        make({"max_bytes": 50_000}).fetch(base + "/big-chunked")
    assert len(info.value.content) <= 50_000  # never more than the cap is held


def test_truncated_body_is_typed(http_server):
    _server, base = http_server
    with pytest.raises(TruncatedBody, match="cut short"):
        make({"retries": 0}).fetch(base + "/truncated")


def test_tis620_from_header(http_server):
    _server, base = http_server
    result = make().fetch(base + "/tis")
    assert result.encoding == "cp874"
    assert TIS_TEXT in result.text()


def test_tis620_from_meta(http_server):
    _server, base = http_server
    result = make().fetch(base + "/tis-meta")
    assert result.encoding == "cp874"
    assert TIS_TEXT in result.text()


def test_conditional_get_304(http_server):
    _server, base = http_server
    f = make()
    first = f.fetch(base + "/etag")
    assert first.etag == '"v1"' and first.last_modified
    second = f.fetch(base + "/etag", etag=first.etag)
    assert second.not_modified and second.content == b""


def test_robots_obeyed(http_server):
    server, base = http_server
    f = make()
    with pytest.raises(RobotsDisallowed):
        f.fetch(base + "/private/page")
    assert "/private/page" not in server.hits
    assert server.hits["/robots.txt"] == 1
    f.fetch(base + "/ok")
    assert server.hits["/robots.txt"] == 1  # fetched once per host


def test_private_address_refused_outside_tests(http_server):
    server, base = http_server
    with pytest.raises(PrivateAddressError):
        make({"allow_private_hosts": False}).fetch(base + "/ok")
    assert server.hits == {}


def test_host_outside_allow_list_refused():
    with pytest.raises(HostNotAllowed):
        make({"allowed_hosts": frozenset({"www.depa.or.th"})}).fetch("http://127.0.0.1:9/x")


def test_per_host_delay(http_server):
    _server, base = http_server
    sleep = FakeSleep()
    # first request at t=0; the second asks at t=0.5, so it must wait the remaining 1.5 s
    clock = iter([0.0, 0.5, 0.5]).__next__
    f = Fetcher(FetchPolicy(delay=2.0, allow_private_hosts=True, obey_robots=False), sleep=sleep, clock=clock)
    f.fetch(base + "/ok")
    f.fetch(base + "/ok")
    assert sleep.calls and sleep.calls[0] == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("content", "ctype", "expected"),
    [
        (b"<p>abc</p>", "text/html; charset=UTF-8", "utf-8"),
        ("ไทย".encode("cp874"), "text/html; charset=windows-874", "cp874"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=tis-620">', None, "cp874"),
        ("ไทย".encode(), None, "utf-8"),
        ("ไทยล้วน".encode("cp874"), None, "cp874"),  # no label at all: sniffed
    ],
)
def test_detect_encoding(content, ctype, expected):
    assert detect_encoding(content, ctype) == expected


def test_decode_unknown_label_falls_back():
    text, encoding = decode("ไทย".encode(), "text/html; charset=x-made-up")
    assert text == "ไทย" and encoding == "utf-8"


def test_retry_after_as_an_http_date():
    # urllib3's Retry reads Retry-After; an HTTP date far ahead is too long a wait: an error
    import types

    from smartcity.sources.fetch import PoliteRetry, RetryAfterTooLong

    retry = PoliteRetry(total=1, pause=lambda s: None, max_retry_after=60)

    response = types.SimpleNamespace(status=429, headers={"Retry-After": "Mon, 12 Jan 2099 00:00:10 GMT"})
    with pytest.raises(RetryAfterTooLong):
        retry.sleep(response)
def test_robots_wildcards_are_understood(http_server):
    # "Disallow: /*.pdf$" (urllib's robotparser ignores * and $; Protego does not)
    server, base = http_server
    f = make()
    assert not f.allowed(base + "/files/plan.pdf")
    assert f.allowed(base + "/files/plan.pdf.html") and f.allowed(base + "/ok")
    with pytest.raises(RobotsDisallowed):
        f.fetch(base + "/files/plan.pdf")
    assert "/files/plan.pdf" not in server.hits


def test_an_unknown_charset_label_falls_back_to_the_next_clue():
    from smartcity.sources.fetch import decode, detect_encoding

    page = '<meta charset="x-bogus"><p>เมืองอัจฉริยะ</p>'.encode()
    assert detect_encoding(page) == "utf-8"
    assert decode(page, "text/html; charset=also-bogus")[0].endswith("เมืองอัจฉริยะ</p>")
