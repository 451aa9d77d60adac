"""An HTML fragment read: parsed by lxml with every text node repaired, then its plain text and first image.

str -> lxml `<body>` (None when nothing is left) -> plain text, first `<img>` URL. Plain text (no markup,
no entity) takes a short cut that gives what the parse would, without parsing.
"""

from __future__ import annotations

import re
import unicodedata

import lxml.etree
import lxml.html

from hub.pipeline.normalise.legacy import looks_like_tcvn3, may_hold_mojibake, repair_mojibake
from hub.pipeline.normalise.text import clean_block, has_control_chars, remove_control_chars, repair_text
from hub.pipeline.normalise.urls import absolute_url

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
# Tags removed with everything inside them (the rest of the disallowed tags are unwrapped, text kept).
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    ("button", "form", "iframe", "noscript", "object", "script", "select", "style", "template", "textarea")
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# libxml2 drops the whole text of a page nested deeper than 255 elements unless told otherwise; bodies are
# already size-capped by the fetcher, so lifting its limits costs nothing here.
_PARSER = lxml.etree.HTMLParser(huge_tree=True)
# lxml.html's own parser picks a class per tag (forms, inputs ...) by calling Python for every element
# Python touches; none of those classes is used here, so every element is an `HtmlElement`, chosen in C.
_PARSER.set_element_class_lookup(
    lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
# What keeps a fragment from being plain text, which lxml reads as one paragraph holding the text as it
# is: markup, entities, and the characters lxml refuses or might rewrite (controls, surrogates, BOM,
# non-characters). Summaries and titles are mostly plain text.
_NOT_PLAIN = re.compile("[<&\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


def parse_fragment(markup: str) -> lxml.html.HtmlElement | None:
    """Parse an HTML fragment into a `<body>`, every text node repaired (mojibake, TCVN3) and NFC.

    Control characters the parse leaves in text nodes, `alt` and `title` (raw, or written as `&#12;`) are
    removed there, as lxml refuses to store them back. A lone surrogate stops the parse itself: raw
    source text goes through `remove_control_chars` first, as `read_content` does.
    """
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
    nodes = [(node, node.text, node.tail) for node in body.iter()]
    texts = "\n".join(t for _, text, tail in nodes for t in (text, tail) if t)
    # One scan of every text node at once: when it finds no mojibake sequence, no single node holds one.
    mojibake = may_hold_mojibake(texts)
    # Nor does a node need NFC when all of them joined by newlines (which compose with nothing) are NFC.
    # Then every node would be set back to its own text, which only has lxml check what it already holds.
    nfc = unicodedata.is_normalized("NFC", texts)
    # The same joined scan finds control characters: lxml would refuse every text node holding one.
    controls = has_control_chars(texts)
    repair = tcvn3 or mojibake or not nfc or controls
    for node, text, tail in nodes:
        if repair:
            if controls:
                text, tail = (remove_control_chars(t) if t else t for t in (text, tail))
            node.text = repair_text(text, tcvn3=tcvn3, mojibake=mojibake) if text else text
            node.tail = repair_text(tail, tcvn3=tcvn3, mojibake=mojibake) if tail else tail
        for name in ("alt", "title"):
            if node.get(name):
                node.set(name, repair_text(remove_control_chars(node.get(name, "")), tcvn3=tcvn3))
    return body


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line, `<br>` a line break."""
    return read_fragment(markup)[0]


def first_image(markup: str, *, base_url: str | None) -> str | None:
    """Absolute URL of the first `<img>` of a fragment (the thumbnail feeds put in descriptions)."""
    source = read_fragment(markup)[1]
    return absolute_url(source, base_url) if source else None


def read_fragment(markup: str) -> tuple[str, str | None]:
    """(plain text, `src` of the first `<img>` as written) of a fragment parsed once: a summary gives both."""
    markup = markup or ""
    if _NOT_PLAIN.search(markup) is None:
        return _plain_text(markup), None
    body = parse_fragment(markup)
    return tree_text(body), image_source(body)


def tree_text(body: lxml.html.HtmlElement | None) -> str:
    """`html_to_text` of a fragment already parsed by `parse_fragment`."""
    return "" if body is None else clean_block("".join(_text_pieces(body)))


def image_source(body: lxml.html.HtmlElement | None) -> str | None:
    """The `src` of the first `<img>` that has one, as written."""
    if body is None:
        return None
    return next((img.get("src") for img in body.iter("img") if img.get("src")), None)


def _plain_text(text: str) -> str:
    # What the parse gives: one <p> of the text, repaired as one node, its source whitespace flowed.
    return clean_block(_flow(repair_text(text), 0)) if text.strip() else ""


def _text_pieces(body: lxml.html.HtmlElement) -> list[str]:
    # iterwalk, not recursion: sources do send pages nested deeper than Python's recursion limit
    pieces: list[str] = []
    add = pieces.append
    in_pre = 0
    for event, node in lxml.etree.iterwalk(body, events=("start", "end", "comment", "pi")):
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start" and tag is not None:
            in_pre += tag == "pre"
            if tag in BLOCK_TAGS or tag == "br":
                add("\n\n" if tag in BLOCK_TAGS else "\n")
            if node.text and tag not in DROPPED_WITH_CONTENT:
                add(_flow(node.text, in_pre))
        elif event == "end":
            in_pre -= tag == "pre"
            if tag in BLOCK_TAGS or tag in ("td", "th"):
                add("\n\n" if tag in BLOCK_TAGS else " ")
            if node.tail and node is not body:
                add(_flow(node.tail, in_pre))
        elif event != "start" and node.tail:
            # A comment or processing instruction: it comes as an event of its own, never as start or end,
            # and the text after it ("Tóm tắt<!-- x --> bài viết") is its tail.
            add(_flow(node.tail, in_pre))
    return pieces


def _flow(text: str, in_pre: int) -> str:
    # Line breaks in HTML source are spaces; only markup (<p>, <br>) and <pre> make lines. Each run of
    # whitespace becomes one space: `split` finds the runs (re's `\s` and `split` agree on whitespace)
    # several times faster than a regex substitution over text that is mostly single spaces.
    if in_pre:
        return text
    words = text.split()
    if not words:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")
