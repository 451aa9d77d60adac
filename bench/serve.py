"""Serving benchmark: a 50-entry Atom page (about 200 KB) from the hub under uvicorn, beside nginx serving the
same bytes as a static file: (a) freshly rendered, (b) from the hub's page cache, (c) answered 304.

Run from the repository root: `python bench/serve.py [--feeds 20] [--entries 50] [--duration 10s]`.
Needs `nginx` and `wrk` on PATH (Debian: `apt-get install nginx wrk`); everything listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import hashlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feeds import render
from hub.db import make_engine, session_scope, upgrade_database
from hub.demo import serve_scaled_portals
from hub.harvest import harvest_sources
from hub.settings import Settings
from hub.sources import load_sources_file
from hub.storage.feeds import FeedFilters, query_stream
from hub.storage.sources import sync_sources
from hub.web.feedcache import CachedPage
from hub.web.feedview import feed_page

PAGE = "/feeds/all.atom?limit=50"
STATIC_NAME = "all.atom"
BASE_URL = "http://127.0.0.1"
BENCH_DIR = str(Path(__file__).resolve().parent)
BARE_FILE_ENV = "PORTALHUB_BENCH_BARE_FILE"
# Targets of issue 3, as fractions of nginx's rate, and the render budget.
TARGET_CACHED = 0.50
TARGET_NOT_MODIFIED = 0.40
TARGET_RENDER_MS = 20.0
# Every request asks for another page key (a `since` long before every item): the same 50 entries, never
# found in the page cache, so each one is queried and rendered.
CACHE_BUSTER = """
local counter = 0
function setup(thread) thread:set("tid", (tid_seq or 0) + 1); tid_seq = (tid_seq or 0) + 1 end
function request()
  counter = counter + 1
  local path = string.format("/feeds/all.atom?limit=50&since=2000-01-%02dT00:00:00.%06d", tid, counter)
  return wrk.format("GET", path)
end
"""
NGINX_CONF = """
worker_processes 2;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  types {{ application/atom+xml atom; }}
  server {{
    listen 127.0.0.1:{port};
    root {dir}/www;
    add_header Cache-Control "public, max-age=60";
  }}
}}
"""


def fill_database(database_url: str, folder: Path, feeds: int, entries: int) -> None:
    """Generated portals harvested into a fresh database: `feeds` x `entries` articles."""
    upgrade_database(database_url)
    settings = Settings(
        _env_file=None,  # pydantic-settings init option
        database_url=database_url,
        per_host_delay=0.0,
        harvest_concurrency=8,
    )
    engine = make_engine(database_url)
    with serve_scaled_portals(feeds, entries) as portals:
        with session_scope(engine) as session:
            configs = load_sources_file(portals.write_sources(folder / "sources.yaml"))
            sync_sources(configs, session=session, now=datetime.now(UTC))
        outcomes = asyncio.run(harvest_sources(None, settings=settings, engine=engine))
    with session_scope(engine) as session:
        # Generated articles carry about 1 KB of text; portal articles run two to five times that.
        # Three times every body brings a 50-entry Atom page to the ~200 KB of the issue.
        session.execute(text("UPDATE stored_item SET body_html = body_html || body_html || body_html"))
    engine.dispose()
    print(f"database: {sum(outcome.items_new for outcome in outcomes)} items from {len(outcomes)} feeds")


def time_render(database_url: str, runs: int) -> dict[str, float]:
    """Milliseconds to query and render the page in process: median and p99, without and with the cache
    entry (gzip, digest) that a rendered page also costs."""
    engine = make_engine(database_url)
    plain, built = [], []
    for _ in range(runs):
        start = time.perf_counter()
        with session_scope(engine) as session:
            rows = query_stream(FeedFilters(limit=50), session=session)
            page = feed_page(
                rows, title_key="all", feed_path="/feeds/all.atom", base_url=BASE_URL,
                params={"limit": "50"}, authority="portalhub.invalid,2026",
            )  # fmt: skip
            body = render(page, "atom")
        middle = time.perf_counter()
        CachedPage.build(marker="m", media_type="application/atom+xml", body=body, updated=page.updated)
        plain.append((middle - start) * 1000)
        built.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return {
        "median": statistics.median(plain),
        "p99": _percentile(plain, 0.99),
        "median_cached": statistics.median(built),
        "p99_cached": _percentile(built, 0.99),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], ready_url: str, log: Path) -> Iterator[None]:
    """Start a server process, wait until `ready_url` answers, stop it (by its own pid) on exit."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_ready(ready_url, process)
            yield
        finally:
            process.terminate()
            process.wait(timeout=30)


def nginx_command(folder: Path, body: bytes) -> tuple[list[str], str]:
    """The command line of nginx serving `body` as a static file, and the file's URL."""
    port = free_port()
    (folder / "www").mkdir(parents=True)
    for path in (folder, folder / "www"):
        path.chmod(0o755)  # nginx workers read the file
    (folder / "www" / STATIC_NAME).write_bytes(body)
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, port=port, user=user), encoding="utf-8")
    return [_tool("nginx"), "-p", str(folder), "-c", str(conf)], f"{BASE_URL}:{port}/{STATIC_NAME}"


def uvicorn_command(factory: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
        "--port", str(port), "--http", "httptools", "--loop", "uvloop", "--workers", "2",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def wrk(url: str, args: argparse.Namespace, *extra: str) -> tuple[float, float, int]:
    """Requests per second, p99 latency in ms, and answers that were neither 2xx nor 3xx."""
    command = [_tool("wrk"), f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}"]
    result = subprocess.run([*command, "--latency", *extra, url], capture_output=True, text=True, check=True)
    out = result.stdout
    rate = float(_find(r"Requests/sec:\s+([\d.]+)", out))
    p99 = _milliseconds(_find(r"\s99%\s+([\d.]+\w+)", out))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, p99, int(errors.group(1)) if errors else 0


def measure(args: argparse.Namespace, folder: Path, database_url: str) -> dict[str, tuple[float, float, int]]:
    """wrk against nginx, a bare ASGI app and the hub, all serving the same bytes; the hub's cache-busting
    run goes last, so its render backlog cannot slow another run down."""
    hub_port, bare_port = free_port(), free_port()
    env = {**os.environ, "PORTALHUB_DATABASE_URL": database_url, "PORTALHUB_PUBLIC_BASE_URL": BASE_URL}
    hub = f"{BASE_URL}:{hub_port}"
    with running(
        uvicorn_command("hub.web.app:app_from_env", hub_port), env, f"{hub}/healthz", folder / "hub.log"
    ):
        page = httpx.get(hub + PAGE, headers={"Accept-Encoding": "identity"})
        nginx, static = nginx_command(folder / "nginx", page.content)
        bare_env = {
            **env,
            BARE_FILE_ENV: str(folder / "nginx" / "www" / STATIC_NAME),
            "PYTHONPATH": BENCH_DIR,
        }
        bare = f"{BASE_URL}:{bare_port}{PAGE}"
        with (
            running(nginx, env, static, folder / "nginx.log"),
            running(uvicorn_command("serve:bare_app", bare_port), bare_env, bare, folder / "bare.log"),
        ):
            assert httpx.get(static).content == page.content == httpx.get(bare).content
            print(f"page: {len(page.content) / 1024:.0f} KB, 50 entries; wrk -t{args.threads} "
                  f"-c{args.connections} -d{args.duration}")  # fmt: skip
            script = folder / "bust.lua"
            script.write_text(CACHE_BUSTER, encoding="utf-8")
            etag = page.headers["etag"]
            return {
                "nginx 200": wrk(static, args),
                "nginx 304": wrk(static, args, "-H", f"If-None-Match: {httpx.head(static).headers['etag']}"),
                "bare ASGI 200": wrk(bare, args),
                "bare ASGI 304": wrk(bare, args, "-H", f"If-None-Match: {etag}"),
                "hub (b) cached 200": wrk(hub + PAGE, args),
                "hub (c) 304": wrk(hub + PAGE, args, "-H", f"If-None-Match: {etag}"),
                "hub (a) rendered 200": wrk(hub + PAGE, args, "-s", str(script)),
            }


def bare_app() -> Any:
    """Baseline: the least an ASGI app under uvicorn can do - fixed bytes, 304 on the matching tag."""
    body = Path(os.environ[BARE_FILE_ENV]).read_bytes()
    etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
    ok = [
        (b"etag", etag),
        (b"content-type", b"application/atom+xml"),
        (b"content-length", str(len(body)).encode()),
    ]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        fresh = (b"if-none-match", etag) in scope["headers"]
        await send(
            {
                "type": "http.response.start",
                "status": 304 if fresh else 200,
                "headers": ok[:1] if fresh else ok,
            }
        )
        await send({"type": "http.response.body", "body": b"" if fresh else body})

    return app


def report(results: dict[str, tuple[float, float, int]], render_ms: dict[str, float]) -> None:
    print(f"\n{'case':<24}{'req/s':>10}{'p99 ms':>10}{'non-2xx/3xx':>13}")
    for name, (rate, p99, errors) in results.items():
        print(f"{name:<24}{rate:>10,.0f}{p99:>10.2f}{errors:>13}")
    print()
    ratios = (
        ("(a) rendered", "hub (a) rendered 200", "nginx 200", None),
        ("(b) cached", "hub (b) cached 200", "nginx 200", TARGET_CACHED),
        ("(c) 304", "hub (c) 304", "nginx 304", TARGET_NOT_MODIFIED),
        ("bare ASGI 200", "bare ASGI 200", "nginx 200", None),
        ("bare ASGI 304", "bare ASGI 304", "nginx 304", None),
    )
    for label, case, reference, target in ratios:
        ratio = results[case][0] / results[reference][0]
        goal = "" if target is None else f"  (target >= {target:.0%}) {_verdict(ratio >= target)}"
        print(f"{label + ' / ' + reference + ':':<32}{ratio:>7.1%}{goal}")
    median = render_ms["median"]
    print(
        f"(a) query + render in process: median {median:.2f} ms, p99 {render_ms['p99']:.2f} ms"
        f"  (target median < {TARGET_RENDER_MS:.0f} ms) {_verdict(median < TARGET_RENDER_MS)}"
    )
    print(
        f"    with the cache entry (gzip, digest): median {render_ms['median_cached']:.2f} ms, "
        f"p99 {render_ms['p99_cached']:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=20, help="generated portals (one feed each)")
    parser.add_argument("--entries", type=int, default=50, help="entries per generated feed")
    parser.add_argument("--duration", default="10s", help="wrk -d")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=32, help="wrk -c")
    parser.add_argument("--runs", type=int, default=200, help="in-process renders timed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portalhub-bench-") as name:
        folder = Path(name)
        folder.chmod(0o755)  # nginx workers read the static file
        database_url = f"sqlite:///{folder / 'hub.db'}"
        fill_database(database_url, folder, args.feeds, args.entries)
        render_ms = time_render(database_url, args.runs)
        report(measure(args, folder, database_url), render_ms)


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if path is None:
        raise SystemExit(f"{name} is not installed (Debian: apt-get install nginx wrk)")
    return path


def _find(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"wrk output without {pattern!r}:\n{text}")
    return found.group(1)


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main()
