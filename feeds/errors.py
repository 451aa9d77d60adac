"""The error base of the feed renderers; `hub` maps it onto its own tree."""

from __future__ import annotations


class RenderError(Exception):
    """A feed page that cannot be rendered; `code` is stable (`render.unknown_format`)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
