"""Control characters from captures, kept out of what backissue writes and prints.

A title or tag may hold ``&#x1b;`` or ``\\u0007``: XML 1.0 forbids such characters, so one of them makes a
feed or sitemap unreadable, and HTML counts them as errors. A file name may hold a terminal escape sequence
that clears the screen or hides the warnings after it. Output files drop them; the terminal shows them as
visible escapes (``\\x1b``), so the name stays recognisable.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls; lone surrogates; U+FFFE/FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")  # also bidi overrides


def strip_controls(text: str) -> str:
    """*text* without the characters XML 1.0 forbids or HTML counts as errors."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def for_terminal(text: str) -> str:
    """*text* with control characters (and bidirectional overrides) shown as escapes, safe to print."""
    return _TERMINAL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
