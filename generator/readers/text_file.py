"""Decode a capture's bytes into text without ever failing on bad input."""

from __future__ import annotations

from pathlib import Path

from ..model import Diagnostic


def read_text_file(path: Path, source: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (BOM and CRLF tolerated); undecodable bytes are replaced with a warning."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(source, f"cannot read, skipped: {error.strerror or error}")]
    diagnostics = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        diagnostics.append(Diagnostic(source, "not valid UTF-8; undecodable bytes replaced", line))
        text = data.decode("utf-8-sig", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text, diagnostics
