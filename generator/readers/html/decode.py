"""A saved page's bytes as text, whatever charset it declares (or fails to).

Mirrors keep pages byte for byte, and old news pages often declare one
charset and use another. Valid UTF-8 is taken as UTF-8 whatever the page
says (a page declaring Latin-1 that decodes as UTF-8 is UTF-8); otherwise the
declared charset is tried (and wins, with a warning, when all but a handful
of bytes are valid in it), then detection. Binary files saved under an
``.html`` name are refused rather than read as text.
"""

from __future__ import annotations

import codecs
import re

from generator.model import Diagnostic
from generator.readers.text_file import decode_by_detection

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*(?P<charset>[\w.:-]+)""", re.I)
_WEB_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
HANDFUL = 16  # bad bytes a page in its declared charset may hold
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_page(data: bytes, source: str) -> tuple[str | None, list[Diagnostic]]:
    """The page's text, or None with a warning when it is not text at all."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), []
    head = data[:8192]
    if _control_bytes(head) > len(head) // 100 or not head.strip():
        reason = "binary data" if head.strip() else "empty"
        return None, [Diagnostic(source, f"not an HTML page ({reason}), skipped")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
    declared = _declared(head)
    if declared and (mostly := _mostly_decodes(data, declared)) is not None:
        text, bad = mostly
        return text, [Diagnostic(source, f"{bad} byte(s) not valid {declared} as declared; replaced", line)]
    for encoding in (declared, "cp1252") if declared else ("cp1252",):
        try:  # an undeclared page that is not UTF-8 is windows-1252, as browsers read it
            return data.decode(encoding), []
        except (UnicodeDecodeError, LookupError):
            continue
    text, encoding = decode_by_detection(data)
    said = f"declared {declared}, " if declared else ""
    return text, [Diagnostic(source, f"not valid UTF-8 ({said}read as {encoding})", line)]


def _mostly_decodes(data: bytes, encoding: str) -> tuple[str, int] | None:
    """The text and its count of bad bytes when *encoding* reads all but a handful of *data*.

    A page saved right but for a few broken sequences (a cut multi-byte
    character, a stray byte from a template) is still in its declared
    charset: guessing another one turns every line into garbage. It must
    also show real use of the charset (far more good non-ASCII characters
    than bad bytes), so a page that only declares UTF-8 while its bytes are
    Windows-1252 is still read as Windows-1252.
    """
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    good = sum(1 for char in text if ord(char) > 127) - bad
    return (text, bad) if 0 < bad <= HANDFUL and good >= 10 * bad else None


def _control_bytes(head: bytes) -> int:
    """Bytes no text file holds (NUL and the C0 controls other than whitespace)."""
    return sum(head.count(bytes([code])) for code in range(32) if code not in (9, 10, 12, 13, 27))


def _declared(head: bytes) -> str | None:
    match = _DECLARED.search(head)
    if not match:
        return None
    name = match.group("charset").decode("ascii", "replace").lower()
    return _WEB_ALIASES.get(name, name)
