"""Body and summary HTML -> sanitised HTML with absolute links and images, and plain text.

Parse once with lxml (repairing the encoding of every text node), drop page furniture, then nh3 with an
allow-list has the last word: no script, style, iframe, object, form, event handler, `javascript:` or `data:`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import lxml.etree
import lxml.html
import nh3

from dedupe.furniture import is_furniture_line, is_section_heading
from dedupe.text import match_key
from hub.pipeline.normalise.legacy import looks_like_tcvn3, may_hold_mojibake, repair_mojibake
from hub.pipeline.normalise.text import clean_block, repair_text
from hub.pipeline.normalise.urls import absolute_url

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
# Tags removed with everything inside them (the rest of the disallowed tags are unwrapped, text kept).
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    ("button", "form", "iframe", "noscript", "object", "script", "select", "style", "template", "textarea")
)
# `data:` is left out on purpose: inline base64 thumbnails bloat every feed page that carries the item.
URL_SCHEMES: frozenset[str] = frozenset(("http", "https", "mailto", "tel"))
URL_ATTRIBUTES: frozenset[str] = frozenset(("cite", "href", "src"))
# Elements that hold a line of their own: the units furniture is removed in and text breaks after.
BLOCK_TAGS: frozenset[str] = frozenset(
    [
        "article",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    ]
)
_LISTS = frozenset(("ol", "ul"))
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# libxml2 drops the whole text of a page nested deeper than 255 elements unless told otherwise; bodies are
# already size-capped by the fetcher, so lifting its limits costs nothing here.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_SOURCE_WHITESPACE = re.compile(r"\s+")


def parse_fragment(markup: str) -> lxml.html.HtmlElement | None:
    """Parse an HTML fragment into a `<body>`, every text node repaired (mojibake, TCVN3) and NFC."""
    markup = _XML_DECLARATION.sub("", markup or "")
    if not markup.strip():
        return None
    try:
        body = lxml.html.document_fromstring(markup, parser=_PARSER).body
    except lxml.etree.ParserError:  # only comments or whitespace: nothing to keep
        return None
    if body is None:  # only head matter (<script>, <style>, <meta>): nothing to keep
        return None
    tcvn3 = looks_like_tcvn3(repair_mojibake(body.text_content()))  # decided once for the whole fragment
    nodes = list(body.iter())
    # One scan of every text node at once: when it finds no mojibake sequence, no single node holds one.
    mojibake = may_hold_mojibake("\n".join(t for node in nodes for t in (node.text, node.tail) if t))
    for node in nodes:
        node.text = repair_text(node.text, tcvn3=tcvn3, mojibake=mojibake) if node.text else node.text
        node.tail = repair_text(node.tail, tcvn3=tcvn3, mojibake=mojibake) if node.tail else node.tail
        for name in ("alt", "title"):
            if node.get(name):
                node.set(name, repair_text(node.get(name, ""), tcvn3=tcvn3))
    return body


def sanitise_body(markup: str, *, base_url: str | None) -> str:
    """Sanitised body HTML: allow-listed tags, no furniture, every href/src/srcset absolute."""
    body = parse_fragment(markup)
    if body is None:
        return ""
    _drop_furniture(body)
    inner = html.escape(body.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in body
    )
    cleaned = nh3.clean(
        inner,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=lambda _tag, name, value: _resolve_attribute(name, value, base_url),
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line, `<br>` a line break."""
    body = parse_fragment(markup)
    return "" if body is None else clean_block("".join(_text_pieces(body)))


def first_image(markup: str, *, base_url: str | None) -> str | None:
    """Absolute URL of the first `<img>` of a fragment (the thumbnail feeds put in descriptions)."""
    body = parse_fragment(markup)
    sources = [] if body is None else [img.get("src") for img in body.iter("img") if img.get("src")]
    return absolute_url(sources[0], base_url) if sources else None


def _drop_furniture(body: lxml.html.HtmlElement) -> None:
    for element in list(body.iter(*BLOCK_TAGS)):
        if element.getparent() is None:  # already removed with an ancestor
            continue
        line = _furniture_probe(element.text_content())
        if is_section_heading(line):
            following = element.getnext()
            if following is not None and following.tag in _LISTS:
                following.drop_tree()
            element.drop_tree()
        elif is_furniture_line(line):
            element.drop_tree()


def _furniture_probe(line: str) -> str:
    """What to ask the furniture tests: the line's match key when that key is ASCII, else the line.

    The tests fold what they are given; an ASCII key (lower-case words, single spaces) folds to itself, so
    asking with it gives the same answers and folds each paragraph once instead of twice.
    """
    key = match_key(line)
    return key if key.isascii() else line


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


def _text_pieces(body: lxml.html.HtmlElement) -> Iterator[str]:
    # iterwalk, not recursion: sources do send pages nested deeper than Python's recursion limit
    in_pre = 0
    for event, node in lxml.etree.iterwalk(body, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start" and tag is not None:
            in_pre += tag == "pre"
            yield "\n\n" if tag in BLOCK_TAGS else "\n" if tag == "br" else ""
            yield "" if tag in DROPPED_WITH_CONTENT else _flow(node.text, in_pre)
        elif event == "end":
            in_pre -= tag == "pre"
            yield "\n\n" if tag in BLOCK_TAGS else " " if tag in ("td", "th") else ""
            yield _flow(node.tail, in_pre) if node is not body else ""


def _flow(text: str | None, in_pre: int) -> str:
    # Line breaks in HTML source are spaces; only markup (<p>, <br>) and <pre> make lines.
    return (text or "") if in_pre else _SOURCE_WHITESPACE.sub(" ", text or "")
