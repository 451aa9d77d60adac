"""A small threaded static HTTP server standing in for one portal: URL path -> file held in memory.

Input: a mapping of paths to `StaticFile`s. Output: a server on loopback answering GET/HEAD with a stable
ETag and Last-Modified per file, 304 to a matching conditional request, and the file's own Content-Type.
"""

from __future__ import annotations

import hashlib
import socket
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

# By extension; a portal's own table overrides single files (a feed served as text/xml or windows-1258).
CONTENT_TYPES = {
    ".atom": "application/atom+xml; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
NOT_FOUND_BODY = "Không tìm thấy trang yêu cầu.\n".encode()


@dataclass(frozen=True, slots=True)
class StaticFile:
    """One file as served: bytes, Content-Type, and the validators derived from them."""

    body: bytes
    content_type: str
    last_modified: datetime  # aware
    etag: str


def static_file(
    path: str, body: bytes, last_modified: datetime, content_type: str | None = None
) -> StaticFile:
    """A file for `path`; the ETag is a digest of the bytes, so it changes exactly when they do."""
    kind = content_type or CONTENT_TYPES.get(PurePosixPath(path).suffix, DEFAULT_CONTENT_TYPE)
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return StaticFile(body, kind, last_modified, etag)


def is_fresh(file: StaticFile, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since when both are sent."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or file.etag in tags
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC asks
    return since.tzinfo is not None and file.last_modified.replace(microsecond=0) <= since


class SiteServer(ThreadingHTTPServer):
    """Binds at once (port 0: an ephemeral one) so URLs are known; serves once `start(files)` is called."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.files: Mapping[str, StaticFile] = {}
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status), for tests and the demo log
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def start(self, files: Mapping[str, StaticFile]) -> None:
        self.files = files
        self._thread = threading.Thread(
            target=self.serve_forever, name=f"portal-{self.base_url}", daemon=True
        )
        self._thread.start()

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        # A harvester closing a keep-alive connection is routine; anything else still gets reported.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SiteServer
    server_version = "Apache"  # what most of the portals announce; the Python version is nobody's business
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # the request log is kept on the server
        return

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)  # tracking parameters do not change the page
        file = self.server.files.get(path) or self.server.files.get(path.rstrip("/") + "/index.html")
        if file is None:
            self._send(404, {"Content-Type": "text/plain; charset=utf-8"}, NOT_FOUND_BODY, send_body)
            return
        validators = {
            "ETag": file.etag,
            "Last-Modified": format_datetime(file.last_modified.astimezone(UTC), usegmt=True),
        }
        if is_fresh(file, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")):
            self._send(304, validators, b"", send_body=False)
            return
        self._send(200, {"Content-Type": file.content_type, **validators}, file.body, send_body)

    def _send(self, status: int, headers: Mapping[str, str], body: bytes, send_body: bool) -> None:
        self.server.requests.append((self.command, self.path, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)
