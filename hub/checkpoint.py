"""SQLite WAL checkpoints on a thread of their own, off the writers' commits.

In WAL mode a commit appends the pages it changed to the log; a checkpoint copies them into the database
file and syncs it. SQLite runs one inside whichever commit pushes the log past `wal_autocheckpoint`
pages, so every few harvests one harvest's commit pays for copying the pages of all of them: at 1 M
archived articles, a fifth of the story stage's time. Here a daemon thread checkpoints shortly after
commits, on its own connection. The sqlite3 module releases the GIL while SQLite works, so the copy and
its sync run on another core while the process goes on. The writers' own automatic checkpoint stays, at
`BACKSTOP_PAGES`, should the thread fall behind or die: the log stays bounded either way.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from contextlib import closing
from urllib.parse import quote

__all__ = ["BACKSTOP_PAGES", "Checkpointer"]

logger = logging.getLogger(__name__)

# Log pages (4 KiB each) past which a writer checkpoints inside its own commit: 40 MiB, ten times
# SQLite's default, which the thread keeps well below.
BACKSTOP_PAGES = 10_000
# Commits within this delay of the first share one checkpoint: a page that several harvests change
# (the tail of a table or of an index on time) is copied once, and the file is synced once.
SETTLE_SECONDS = 0.5
# The thread ends after this long without a commit; the next commit starts another.
IDLE_SECONDS = 30.0


class Checkpointer:
    """Checkpoints one SQLite database file after its commits (`nudge`), in the background.

    `last` holds the last checkpoint's answer: (1 if it could not finish, log pages, pages copied).
    """

    def __init__(self, path: str, *, settle: float = SETTLE_SECONDS, idle: float = IDLE_SECONDS) -> None:
        self.path, self.settle, self.idle = path, settle, idle
        self.last: tuple[int, int, int] | None = None
        self._pending = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        with self._lock:
            return self._thread is not None

    def nudge(self, *_args: object) -> None:
        """A commit happened (an engine `commit` event listener): checkpoint soon."""
        with self._lock:
            self._pending.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            if not self._pending.wait(timeout=self.idle):
                with self._lock:
                    if not self._pending.is_set():  # a nudge may have come in after the wait gave up
                        self._thread = None
                        return
            time.sleep(self.settle)
            self._pending.clear()
            self._checkpoint()

    def _checkpoint(self) -> None:
        # PASSIVE: copy what no reader still needs, never wait for a lock and never hold up a writer.
        try:
            # mode=rw: a database removed meanwhile is an error here, never created anew.
            uri = f"file:{quote(self.path)}?mode=rw"
            with closing(sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)) as connection:
                busy, log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:
            if exc.sqlite_errorcode == sqlite3.SQLITE_BUSY:
                # Another connection checkpoints right now (a writer's backstop, another process's
                # thread) or holds the database: it does the copying, and the next commit nudges again.
                logger.debug("background checkpoint of %s skipped: %s", self.path, exc)
            else:  # the writers' backstop checkpoint still bounds the log
                logger.warning("background checkpoint of %s failed: %s", self.path, exc)
            return
        self.last = (busy, log, copied)
