"""Decide whether an SVG from a capture is safe to publish as it is.

SVG is a document format: it can carry scripts, event handlers, HTML (via
``foreignObject`` or XHTML-namespace elements), style sheets, processing
instructions and references that make a reader's browser fetch from other
hosts or go elsewhere. backissue publishes an SVG byte for byte or not at
all (it is never rewritten, which could hide a payload in what the rewrite
missed, nor rasterised): only self-contained drawings pass, checked against
an allow-list of namespaces and with every attribute and style sheet read
for addresses. A refused SVG is a warning and a placeholder.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
# Editors' metadata (Inkscape, Sodipodi, RDF, Creative Commons, Dublin Core): browsers never render these.
_METADATA_NS = {
    "http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#", "http://web.resource.org/cc/",
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/AdobeIllustrator/10.0/",
}  # fmt: skip
_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "meta", "link",
                       "base", "img", "a", "discard"}  # fmt: skip
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-f]{1,6})\s?|(.))", re.S | re.I)
_SIZE = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")
_PROCESSING_INSTRUCTION = re.compile(rb"<\?(?!xml[\s?])", re.I)  # any but the XML declaration: xml-stylesheet


def check_svg(data: bytes) -> tuple[str | None, tuple[int, int]]:
    """``(problem or None, (width, height))`` for the SVG document *data*."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return "declares a DTD or entities", (0, 0)
    if _PROCESSING_INSTRUCTION.search(data):
        return "contains a processing instruction (a style sheet to load)", (0, 0)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return f"not well-formed XML ({error})", (0, 0)
    if root.tag != f"{{{SVG_NS}}}svg" and root.tag != "svg":
        return "the root element is not <svg>", (0, 0)
    for element in root.iter():
        problem = _element_problem(element)
        if problem:
            return problem, (0, 0)
    return None, _dimensions(root)


def _element_problem(element: ET.Element) -> str | None:
    namespace, name = _namespace(element.tag), _local(element.tag)
    if namespace in _METADATA_NS:
        return None  # never rendered, so nothing in it is fetched or followed
    if namespace not in ("", SVG_NS):
        return f"contains <{name}> from {namespace}"
    if name in _FORBIDDEN_ELEMENTS:
        return f"contains <{name}>"
    if name in _ANIMATIONS and "href" in (element.get("attributeName") or "").lower():
        return f"<{name}> changes a link"
    for attribute, value in element.attrib.items():
        problem = _attribute_problem(_local(attribute), value)
        if problem:
            return f"<{name} {_local(attribute)}>: {problem}"
    if name == "style" and _css_problem("".join(element.itertext())):
        return "a <style> loads external resources"
    return None


def _attribute_problem(name: str, value: str) -> str | None:
    lowered = re.sub(r"\s+", "", value).lower()
    if name.startswith("on"):
        return "event handler"
    if name in ("href", "src", "srcset", "data", "action", "formaction", "poster", "background", "lowsrc") and (
        not value.strip().startswith("#")
    ):
        return "external reference"
    if "javascript:" in lowered or "data:" in lowered and name != "d":
        return "script or data URL"
    if _css_problem(value):
        return "loads external resources"
    return None


def _css_problem(css: str) -> bool:
    """Whether CSS (a style sheet or any attribute: presentation attributes take ``url()`` too) loads something."""
    lowered = _CSS_ESCAPE.sub(_unescape, css).lower()  # "\\75 rl(" is "url(" to a browser
    return (
        "@import" in lowered
        or "image-set(" in lowered
        or "@font-face" in lowered
        or bool(re.search(r"url\(\s*['\"]?\s*(?!#)", lowered))
    )


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else None
    return (chr(code) if code and code < 0x110000 else "\ufffd") if code is not None else match.group(2)


def _dimensions(root: ET.Element) -> tuple[int, int]:
    width, height = (_length(root.get(key)) for key in ("width", "height"))
    if width and height:
        return width, height
    parts = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return max(1, round(float(parts[2]))), max(1, round(float(parts[3])))
    except (IndexError, ValueError):
        return 800, 600


def _length(value: str | None) -> int | None:
    match = _SIZE.match(value or "")
    return max(1, round(float(match.group(1)))) if match else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
