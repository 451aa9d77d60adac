"""A real HTTP server on 127.0.0.1 for tests: routes map a path (with query) to a canned or computed reply."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Seconds a test's client waits on a loopback server. Nothing here is slow on purpose unless a test says
# so (those set their own timeouts); a busy machine can stall a thread for seconds, which fails no test.
LOOPBACK_TIMEOUT = 30.0


@dataclass(slots=True)
class Reply:
    """A canned answer; `body` may be bytes or a callable producing chunks (for huge or slow bodies)."""

    body: bytes | Callable[[], Iterator[bytes]] = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[["RequestInfo"], Reply]


@dataclass(frozen=True, slots=True)
class RequestInfo:
    method: str
    path: str  # with query string
    headers: Mapping[str, str]  # lower-case names


@dataclass(slots=True)
class LocalServer:
    """Routes, the log of requests received, and the base URL once started."""

    routes: dict[str, Reply | Handler] = field(default_factory=dict)
    requests: list[RequestInfo] = field(default_factory=list)
    base_url: str = ""

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)


def _handler_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes; Nagle would delay the second

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            return

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def _answer(self, *, send_body: bool) -> None:
            info = RequestInfo(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            server.requests.append(info)
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
            if route is None:
                reply = Reply(b"not found", 404)
            else:
                reply = route if isinstance(route, Reply) else route(info)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if callable(reply.body):
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                if send_body:
                    self._send_chunks(reply.body())
                return
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(reply.body)

        def _send_chunks(self, chunks: Iterator[bytes]) -> None:
            try:
                for chunk in chunks:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                return  # the client stopped reading: exactly what a size cap does

    return _Handler


@contextmanager
def serve(routes: dict[str, Reply | Handler] | None = None) -> Iterator[LocalServer]:
    """Start a threaded HTTP server on an ephemeral loopback port for the duration of the block."""
    state = LocalServer(routes=dict(routes or {}))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
