"""Errors of the polite HTTP client, each with a stable `code` and the URL it concerns.

ConnectorError
└── FetchError                     fetch.error
    ├── BadSchemeError             fetch.bad_scheme
    ├── BadUrlError                fetch.bad_url
    ├── BlockedAddressError        fetch.blocked_address
    ├── ConnectFailedError         fetch.connect
    ├── ContentEncodingError       fetch.encoding
    ├── FetchTimeoutError          fetch.timeout
    ├── HttpStatusError            fetch.http_status   (.status)
    │   └── RateLimitedError       fetch.rate_limited  (.status, .retry_after)
    ├── NetworkError               fetch.network
    ├── RobotsDisallowedError      fetch.robots_disallowed
    ├── TlsError                   fetch.tls
    ├── TooLargeError              fetch.too_large
    └── TooManyRedirectsError      fetch.too_many_redirects
"""

from __future__ import annotations

from connectors.base import ConnectorError


class FetchError(ConnectorError):
    """Base of every error raised while fetching one URL; `.url` is the URL of the failing hop."""

    code = "fetch.error"
    status: int | None = None

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message, url=url)
        self.url: str = url
        if status is not None:
            self.status = status


class BadSchemeError(FetchError):
    code = "fetch.bad_scheme"


class BadUrlError(FetchError):
    code = "fetch.bad_url"


class BlockedAddressError(FetchError):
    code = "fetch.blocked_address"


class ConnectFailedError(FetchError):
    """Connection refused, host unreachable or name not resolvable."""

    code = "fetch.connect"


class ContentEncodingError(FetchError):
    """The server used a Content-Encoding the client did not offer, or sent a corrupt stream."""

    code = "fetch.encoding"


class FetchTimeoutError(FetchError):
    code = "fetch.timeout"


class HttpStatusError(FetchError):
    """The server answered with a status that is neither success, redirect nor 304."""

    code = "fetch.http_status"
    status: int

    def __init__(self, message: str, *, url: str, status: int) -> None:
        super().__init__(message, url=url, status=status)


class RateLimitedError(HttpStatusError):
    """429, or 503 with Retry-After: the host asked us to come back in `retry_after` seconds."""

    code = "fetch.rate_limited"

    def __init__(self, message: str, *, url: str, status: int, retry_after: float) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after


class NetworkError(FetchError):
    """The connection broke or the server spoke broken HTTP after the connection was made."""

    code = "fetch.network"


class RobotsDisallowedError(FetchError):
    code = "fetch.robots_disallowed"


class TlsError(FetchError):
    """TLS handshake or certificate verification failed (verification is never turned off)."""

    code = "fetch.tls"


class TooLargeError(FetchError):
    code = "fetch.too_large"


class TooManyRedirectsError(FetchError):
    code = "fetch.too_many_redirects"
