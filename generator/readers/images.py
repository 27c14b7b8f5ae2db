"""Resolve an image reference of a capture to a file inside ``content/``.

A reference may name a remote original (kept as a link, never fetched), a
local file next to the capture, or something that must not be followed: a
path out of the content folder (``../../``, absolute paths, symlinks) or a
``data:`` URL.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from generator.common.weburl import WEB_SCHEMES, split_url, web_url
from generator.model import Diagnostic, ImageRef
from generator.readers.base import look_for

_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s.,;:–—-]*(?P<credit>\(?\b(?:Photo|Photograph|Image|Picture|Credit)s?:\s*\S.*)$", re.I
)


def split_credit(caption: str) -> tuple[str, str]:
    """``"Caption. Photo: NAME"`` → ``("Caption.", "Photo: NAME")``."""
    match = _CREDIT.match(caption.strip())
    if not match:
        return caption.strip(), ""
    head = match.group("caption").strip()
    if head and not head.endswith((".", "!", "?")):
        head += "."
    return head, match.group("credit").strip()


def resolve_image(
    src: str,
    alt: str,
    caption: str,
    base_dir: Path,
    content_path: Path,
    source: str,
    line: int | None,
    looked_at: dict[str, str],
) -> tuple[ImageRef, Diagnostic | None]:
    """The :class:`ImageRef` for *src* as written in the capture at *source*.

    The file looked for, found or not, is recorded in *looked_at*.
    """
    caption, credit = split_credit(caption)
    ref = ImageRef(src=src, alt=alt, caption=caption, credit=credit, line=line)
    if not src.strip():
        return ref, None  # an image the capture did not keep: a placeholder, as written
    parts = split_url(src.strip())
    if parts is None:
        return ref, Diagnostic(source, f"image {src!r}: not a valid address", line)
    if parts.scheme.lower() in WEB_SCHEMES:
        remote = web_url(src)
        problem = None if remote else Diagnostic(source, f"image {src!r}: not a valid http(s) address", line)
        return replace(ref, remote_url=remote), problem
    if parts.scheme or parts.netloc:
        return ref, Diagnostic(source, f"image {src!r}: only local files and http(s) links are allowed", line)
    relative = unquote(parts.path)
    if not relative or "\x00" in relative:
        return ref, Diagnostic(source, f"image {src!r}: empty or invalid path", line)
    root = content_path.resolve()
    candidate = (root / relative.lstrip("/")) if relative.startswith("/") else (base_dir / relative)
    shown = src if len(src) <= 120 else src[:117] + "..."
    try:
        resolved = candidate.resolve()
        if not resolved.is_relative_to(root):
            return ref, Diagnostic(source, f"image {shown!r}: refused, it points outside the content folder", line)
        if not look_for(resolved, looked_at).is_file():
            return ref, Diagnostic(source, f"image {shown!r}: file not found", line)
    except (OSError, RuntimeError, ValueError) as error:  # a name too long for the file system, a loop...
        return ref, Diagnostic(
            source, f"image {shown!r}: not a usable path ({getattr(error, 'strerror', None) or error})", line
        )
    return replace(ref, path=resolved), None
