"""lxml helpers shared by the fast-path parsers: a hardened parser, namespaces, text and XHTML values.

Input: UTF-8 bytes without a DOCTYPE. Output: an element tree, or `XMLSyntaxError` for the fallback.
"""

from __future__ import annotations

import copy

from lxml import etree

CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
DCTERMS_NS = "{http://purl.org/dc/terms/}"
MEDIA_NS = "{http://search.yahoo.com/mrss/}"
RDF_NS = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def parse_xml(body: bytes) -> etree._Element:
    """Parse strictly, with every network and entity feature off (no DTD reaches this point anyway)."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        collect_ids=False,
        remove_comments=True,
        remove_pis=True,
    )
    return etree.fromstring(body, parser)


def text_of(el: etree._Element) -> str | None:
    """The element's character data as written (CDATA included); None when empty."""
    text = el.text if len(el) == 0 else "".join(el.itertext())
    return (text or "").strip() or None


def xml_base(el: etree._Element) -> str | None:
    """The xml:base in effect at `el`, resolved through its ancestors; None when nothing declares one."""
    if not any(XML_BASE in node.attrib for node in el.iterancestors()) and XML_BASE not in el.attrib:
        return None
    base = el.base
    return None if base is None else str(base)


def xhtml_inner(el: etree._Element) -> str | None:
    """Serialise the content of an Atom `type="xhtml"` construct the way feedparser does.

    The wrapping XHTML <div> is dropped, namespaces are removed and empty elements are written
    open-and-close (`<br></br>`) so both parsers hand the normaliser identical markup.
    """
    holder = el[0] if len(el) == 1 and el[0].tag == XHTML_NS + "div" else el
    holder = copy.deepcopy(holder)
    for node in holder.iter():
        if not isinstance(node.tag, str):
            continue
        node.tag = etree.QName(node).localname
        if node is not holder and node.text is None and len(node) == 0:
            node.text = ""
    etree.cleanup_namespaces(holder)
    parts = [_escape(holder.text or "")]
    parts.extend(etree.tostring(child, encoding="unicode", with_tail=True) for child in holder)
    return "".join(parts).strip() or None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
