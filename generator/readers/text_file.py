"""Decode a capture's bytes into text without ever failing on bad input."""

from __future__ import annotations

from pathlib import Path

from generator.model import Diagnostic


def read_capture_bytes(path: Path, source: str, max_bytes: int) -> tuple[bytes | None, list[Diagnostic]]:
    """A capture's bytes, or None with a warning.

    A file over *max_bytes* (``[limits] max_capture_bytes``) is not read.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            message = (
                f"limit max_capture_bytes: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit; skipped"
            )
            return None, [Diagnostic(source, message)]
        return path.read_bytes(), []
    except OSError as error:
        return None, [Diagnostic(source, f"cannot read, skipped: {error.strerror or error}")]


def read_text_file(path: Path, source: str, max_bytes: int) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text (BOM and CRLF tolerated); other encodings are detected, with a warning."""
    data, diagnostics = read_capture_bytes(path, source, max_bytes)
    if data is None:
        return None, diagnostics
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text, encoding = decode_by_detection(data)
        diagnostics.append(Diagnostic(source, f"not valid UTF-8; read as {encoding}", line))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text, diagnostics


def decode_by_detection(data: bytes) -> tuple[str, str]:
    """The likeliest encoding's text (charset-normalizer), else UTF-8 with replacements."""
    import charset_normalizer  # seldom needed, slow to load (about 60 ms): most captures are UTF-8

    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="replace"), "UTF-8 with undecodable bytes replaced"
