"""Body HTML -> sanitised HTML with absolute links and images, and (`read_body`) its plain text.

Parse once with lxml (repairing the encoding of every text node), drop page furniture, then nh3 with an
allow-list has the last word: no script, style, iframe, object, form, event handler, `javascript:` or `data:`.
"""

from __future__ import annotations

import html
import re
from contextvars import ContextVar
from dataclasses import dataclass

import lxml.html
import nh3

from dedupe.furniture import is_furniture_key, is_section_key, line_key
from hub.pipeline.normalise.fragment import (
    BLOCK_TAGS,
    DROPPED_WITH_CONTENT,
    first_image,
    html_to_text,
    parse_fragment,
    tree_text,
)
from hub.pipeline.normalise.urls import absolute_url

# The fragment readers stay importable from here, where the sanitiser's callers have always found them.
__all__ = ["Body", "first_image", "html_to_text", "parse_fragment", "read_body", "sanitise_body"]

ALLOWED_TAGS: frozenset[str] = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
    ]
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "blockquote": {"cite"},
    "img": {"alt", "height", "src", "srcset", "title", "width"},
    "ol": {"start"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
# `data:` is left out on purpose: inline base64 thumbnails bloat every feed page that carries the item.
URL_SCHEMES: frozenset[str] = frozenset(("http", "https", "mailto", "tel"))
URL_ATTRIBUTES: frozenset[str] = frozenset(("cite", "href", "src"))
_LISTS = frozenset(("ol", "ul"))
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
# One sanitiser built once (building it per body cost as much as the cleaning). Its attribute filter
# resolves against the base URL of the body being cleaned, which `sanitise_body` sets around the call:
# nh3 calls the filter in the calling thread, so the context variable is that call's own.
_BASE_URL: ContextVar[str | None] = ContextVar("_BASE_URL", default=None)
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=lambda _tag, name, value: _resolve_attribute(name, value, _BASE_URL.get()),
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
)


@dataclass(frozen=True, slots=True)
class Body:
    """A record's body as the item keeps it, read once: sanitised HTML, its text, and their parse."""

    html: str
    text: str  # `html_to_text(html)`
    tree: lxml.html.HtmlElement | None  # `parse_fragment(html)`, for the credit and document steps; read-only


def sanitise_body(markup: str, *, base_url: str | None) -> str:
    """Sanitised body HTML: allow-listed tags, no furniture, every href/src/srcset absolute."""
    body = parse_fragment(markup)
    if body is None:
        return ""
    _drop_furniture(body)
    inner = html.escape(body.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in body
    )
    token = _BASE_URL.set(base_url)
    try:
        cleaned = _CLEANER.clean(inner)
    finally:
        _BASE_URL.reset(token)
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def read_body(markup: str, *, base_url: str | None) -> Body:
    """The body sanitised, then parsed once more for its text; the tree is kept for the later steps.

    The text is read from the sanitised HTML, not from the first parse: the sanitiser unwraps elements
    (`section`, `header` ...) and lxml re-nests what it reads, so only a parse of its output says where
    the paragraphs of `Item.body_html` break.
    """
    sanitised = sanitise_body(markup, base_url=base_url)
    tree = parse_fragment(sanitised)
    return Body(sanitised, tree_text(tree), tree)


def _drop_furniture(body: lxml.html.HtmlElement) -> None:
    # Tags tested here rather than by `iter(*BLOCK_TAGS)`, which sets up a 25-name matcher at every call.
    for element in [node for node in body.iter() if node.tag in BLOCK_TAGS]:
        if element.getparent() is None:  # already removed with an ancestor
            continue
        key = line_key(element.text_content())  # '' for most paragraphs, after folding one word
        if is_section_key(key):
            following = element.getnext()
            if following is not None and following.tag in _LISTS:
                following.drop_tree()
            element.drop_tree()
        elif is_furniture_key(key):
            element.drop_tree()


def _resolve_attribute(name: str, value: str, base_url: str | None) -> str | None:
    if name == "srcset":
        return _resolve_srcset(value, base_url)
    if name not in URL_ATTRIBUTES:
        return value
    if value.strip().lower().startswith(("mailto:", "tel:")):
        return value.strip()
    return absolute_url(value, base_url)


def _resolve_srcset(value: str, base_url: str | None) -> str | None:
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        absolute = absolute_url(url, base_url)
        if absolute:
            candidates.append(f"{absolute} {descriptor.strip()}".strip())
    return ", ".join(candidates) or None
