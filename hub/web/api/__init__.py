"""The JSON API under /api/v1: items, sources (with health), harvests; one router per resource."""

from fastapi import APIRouter

from hub.web.api import harvests, items, sources, stories

# Each router carries its full path, so a route's template is the one the metrics and logs show.
ROUTERS: tuple[APIRouter, ...] = (items.router, sources.router, harvests.router, stories.router)

__all__ = ["ROUTERS"]
