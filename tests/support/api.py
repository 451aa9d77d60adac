"""Helpers of the JSON API tests: the real app over a test database, items stored as a harvest would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import httpx
from sqlmodel import Session

from hub.items import Item
from hub.models import HarvestTrigger
from hub.settings import Settings
from hub.storage.harvests import open_harvest
from hub.storage.items import store_items
from hub.web.app import create_app

ADMIN_TOKEN = "bi-mat-cua-quan-tri-vien"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@asynccontextmanager
async def api_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The whole ASGI app (fast path included) with an admin token configured; background tasks finish
    before a reply is handed back."""
    app = create_app(settings.model_copy(update={"admin_token": ADMIN_TOKEN}))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


def store(session: Session, items: list[Item], *, source_id: str, now: datetime) -> int:
    """Store items as one harvest of `source_id` would; the harvest id."""
    harvest = open_harvest(source_id, session=session, trigger=HarvestTrigger.CLI, now=now)
    assert harvest.id is not None
    store_items(items, session=session, harvest_id=harvest.id, source_id=source_id, now=now)
    session.commit()
    return harvest.id
