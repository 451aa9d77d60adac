"""Renderers are keyed by format, each with its media type; an unknown format is a RenderError."""

from __future__ import annotations

import pytest

from feeds import MEDIA_TYPES, RENDERERS, RenderError, render
from tests.feeds.pages import sample_page


def test_every_renderer_has_a_media_type() -> None:
    assert sorted(RENDERERS) == sorted(MEDIA_TYPES) == ["atom", "json", "rss"]
    assert all(media.endswith("; charset=utf-8") for media in MEDIA_TYPES.values())


@pytest.mark.parametrize(("fmt", "start"), [("atom", b"<?xml"), ("rss", b"<?xml"), ("json", b"{")])
def test_render_dispatches_on_format(fmt: str, start: bytes) -> None:
    assert render(sample_page(), fmt).startswith(start)


def test_unknown_format_is_a_render_error() -> None:
    with pytest.raises(RenderError) as caught:
        render(sample_page(), "rdf")
    assert caught.value.code == "render.unknown_format"
