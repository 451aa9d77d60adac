"""Errors the API routes raise; the app's one handler maps them (and `Unauthorized`) to HTTP statuses."""

from __future__ import annotations

from hub.errors import HubError


class NotFound(HubError):
    code = "api.not_found"


class Conflict(HubError):
    code = "api.conflict"
