"""The credit line ("Nguồn: mae.gov.vn", "(Theo baochinhphu.vn)") taken out of an item's body and kept.

Input: sanitised body HTML, its text and the summary. Output: all three without the credit, and the
credit line verbatim (the item's `credited_source`). Summary-only feeds carry the whole article in the
summary as one run of sentences, so there the credit is looked for in its first and last sentence.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import lxml.html

from dedupe.credit import Credit, find_credit, strip_credit
from hub.pipeline.normalise.fragment import parse_fragment

_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# Where a credit sits in the markup: a whole block, or an inline element inside the first/last block.
_BLOCKS = ("p", "div", "blockquote", "h4", "h5", "h6")
_INLINE = ("em", "i", "strong", "b", "span")


@dataclass(frozen=True, slots=True)
class Taken:
    body_html: str
    body_text: str
    summary: str
    line: str | None  # the credit line as found, or None
    tree: lxml.html.HtmlElement | None = None  # the caller's parse of body_html while it is still that


def take_credit(
    body_html: str, body_text: str, summary: str, *, tree: lxml.html.HtmlElement | None = None
) -> Taken:
    """Steps: 1. the credit in the body text's first or last paragraph; 2. else, with no body, in the
    summary's first or last sentence; 3. the line removed from body text, body HTML and summary.

    `tree` is `parse_fragment(body_html)` when the caller holds it: it is edited in place, not parsed again.
    """
    paragraphs = [p.strip() for p in _PARAGRAPHS.split(body_text) if p.strip()]
    credit = find_credit(paragraphs) if paragraphs else _summary_credit(summary)
    if credit is None:
        return Taken(body_html, body_text, summary, None, tree)
    kept, _ = strip_credit(paragraphs) if paragraphs else ([], None)
    body = tree if tree is not None else parse_fragment(body_html)
    edited = _without_in_html(body, credit)
    return Taken(
        body_html=body_html if edited is None else edited,
        body_text="\n\n".join(kept),
        summary=_without_in_text(summary, credit.line),
        line=credit.line,
        tree=tree if edited is None else None,  # an edited tree is not what parsing its HTML would give
    )


def _summary_credit(summary: str) -> Credit | None:
    sentences = [s for s in _SENTENCE_END.split(summary.strip()) if s]
    return find_credit(sentences) if len(sentences) > 1 else None


def _without_in_text(text: str, line: str) -> str:
    stripped = text.strip()
    if stripped.endswith(line):
        return stripped.removesuffix(line).strip()
    if stripped.startswith(line):
        return stripped.removeprefix(line).strip()
    return text


def _without_in_html(body: lxml.html.HtmlElement | None, credit: Credit) -> str | None:
    """The body's HTML without the credit's element, None when no element holds just the credit."""
    blocks = [] if body is None else [b for b in body.iter(*_BLOCKS) if _text(b)]
    if body is None or not blocks:
        return None
    block = blocks[-1] if credit.position == "end" else blocks[0]
    target = block if _text(block) == credit.line else _inline_holding(block, credit.line)
    if target is None:
        return None  # the credit is woven into the markup; the text and summary still lose it
    target.drop_tree()
    return _inner_html(body)


def _inline_holding(block: lxml.html.HtmlElement, line: str) -> lxml.html.HtmlElement | None:
    # The outermost inline element whose whole text is the credit ("<em>(Theo baochinhphu.vn)</em>").
    for element in block.iter(*_INLINE):
        if _text(element) in (line, line.rstrip(" -–—:")):
            return element
    return None


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _inner_html(body: lxml.html.HtmlElement) -> str:
    inner = html.escape(body.text or "", quote=False)
    return (inner + "".join(lxml.html.tostring(child, encoding="unicode") for child in body)).strip()
