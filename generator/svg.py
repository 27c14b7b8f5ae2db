"""Decide whether an SVG from a capture is safe to publish as it is.

SVG is a document format: it can carry scripts, event handlers, HTML (via
``foreignObject``) and references that make a reader's browser fetch from
other hosts. Only self-contained drawings pass.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_SIZE = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def check_svg(data: bytes) -> tuple[str | None, tuple[int, int]]:
    """``(problem or None, (width, height))`` for the SVG document *data*."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return "declares a DTD or entities", (0, 0)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return f"not well-formed XML ({error})", (0, 0)
    if _local(root.tag) != "svg":
        return "the root element is not <svg>", (0, 0)
    for element in root.iter():
        name = _local(element.tag)
        if name in _FORBIDDEN_ELEMENTS:
            return f"contains <{name}>", (0, 0)
        for attribute, value in element.attrib.items():
            problem = _attribute_problem(_local(attribute), value)
            if problem:
                return f"<{name} {_local(attribute)}>: {problem}", (0, 0)
        if name == "style" and _css_problem(element.text or ""):
            return "a <style> loads external resources", (0, 0)
    return None, _dimensions(root)


def _attribute_problem(name: str, value: str) -> str | None:
    lowered = re.sub(r"\s+", "", value).lower()
    if name.startswith("on"):
        return "event handler"
    if name == "href" and not value.strip().startswith("#"):
        return "external reference"
    if "javascript:" in lowered or "data:" in lowered and name != "d":
        return "script or data URL"
    if name == "style" and _css_problem(value):
        return "loads external resources"
    return None


def _css_problem(css: str) -> bool:
    lowered = css.lower()
    return "@import" in lowered or bool(re.search(r"url\(\s*['\"]?\s*(?!#)", lowered))


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
