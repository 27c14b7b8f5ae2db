"""Site chrome in text captures: what it looks like, and what a folder repeats.

Three sources, checked in this order: the built-in table of common layouts
(one entry per language; add a language by adding a table), the site's
``[capture] boilerplate`` rules (exact lines or ``/regex/``), and lines
learned as boilerplate because they recur across a folder's captures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.common.config import is_regex_rule

MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"


@dataclass(frozen=True)
class ChromeTable:
    """Recognisable chrome of one language."""

    lines: dict[str, tuple[str, ...]]  # reason -> patterns matching a whole line (regex, case-insensitive)
    block_markers: dict[str, tuple[str, ...]]  # reason -> a line that makes its whole block chrome
    comment_openers: tuple[str, ...]  # wpDiscuz: lines opening the comment section
    comment_closers: tuple[str, ...]  # wpDiscuz: the line closing it
    comment_count: str  # WordPress: "N thoughts on “TITLE”"
    comment_says: str  # WordPress: "NAME says:"
    comment_reply: str  # WordPress: the "Reply" link under each comment
    comment_form: tuple[str, ...]  # WordPress: lines that start the reply form (the section ends)


ENGLISH = ChromeTable(
    lines={
        "donation widget": (r"[0-9][0-9.,\s]*\s?[€$£¥]", r"[€$£¥]\s?[0-9][0-9.,\s]*", rf"(?:{MONTHS})\s+\d{{4}}"),
        "support banner": (
            r"support\s+(?-i:[A-Z][\w'’&.-]*(?:\s+(?:of|the|[A-Z][\w'’&.-]*)){0,5})",
            r"donate(?: now)?",
            r"become a (?:member|supporter|patron)",
        ),
        "navigation": (
            r"skip to (?:content|main content)",
            r"menu",
            r"search",
            r"(?:toggle|open|close) (?:menu|navigation)",
        ),
        "share block": (
            r"share(?: this)?:?",
            r"like this:?",
            r"related(?: posts| articles)?:?",
            r"loading\.\.\.",
            r"(?:share on |tweet )?(?:facebook|twitter|x|email|whatsapp|telegram|linkedin|reddit|pinterest|print)",
        ),
        "comment UI": (
            r"notify of",
            r"(?:oldest |newest )?(?:newest|oldest) most voted",
            r"inline feedbacks",
            r"view all comments",
            r"would love your thoughts, please comment\.x?",
            r"leave a (?:reply|comment)(?: cancel reply)?",
            r"cancel reply",
            r"your email address will not be published\..*",
            r"(?:comment|name|email|website) \*?",
            r"website",
            r"save my name, email, and website in this browser.*",
            r"post comment",
            r"(?:log in|login) to reply",
            r"\d+ comments?",
            r"subscribe",
            r"guest",
            r"reply",
        ),
        "post navigation": (
            r"post navigation",
            r"(?:previous|next)(?: post| article)?:\s.*",
            r"(?:←|«)\s.*",
            r".*\s(?:→|»)",
        ),
    },
    block_markers={
        "navigation": ("skip to content", "skip to main content", "menu", "primary menu", "main menu"),
        "share block": ("share this:", "share this", "share:", "related"),
        "post navigation": ("post navigation",),
    },
    comment_openers=("notify of",),
    comment_closers=("would love your thoughts, please comment.x", "would love your thoughts, please comment."),
    comment_count=(
        r"(?:(?P<count>\d+)|(?P<one>one)) (?:thoughts?|comments?|responses?|replies) (?:on|to) [“\"'‘].*[”\"'’]"
    ),
    comment_says=r"(?P<name>.{1,80}?) says:",
    comment_reply="reply",
    comment_form=("leave a reply", "leave a reply cancel reply", "leave a comment"),
)

TABLES = {"en": ENGLISH}


class Boilerplate:
    """Decides whether a line is chrome, and says why."""

    def __init__(self, table: ChromeTable, rules: Iterable[str], learned: frozenset[str]) -> None:
        self.table = table
        self._lines = [(reason, re.compile(rf"(?:{'|'.join(p)})", re.I)) for reason, p in table.lines.items()]
        self._exact_rules = {rule.strip().casefold() for rule in rules if not is_regex_rule(rule)}
        self._regex_rules = [re.compile(rule.strip()[1:-1]) for rule in rules if is_regex_rule(rule)]
        self.learned = learned

    def line_reason(self, line: str) -> str | None:
        """Why *line* is chrome, or None when it is content."""
        text = line.strip()
        folded = text.casefold()
        for reason, pattern in self._lines:
            if pattern.fullmatch(text):
                return reason
        if folded in self._exact_rules or any(rule.search(text) for rule in self._regex_rules):
            return "boilerplate rule"
        if folded in self.learned:
            return "learned boilerplate"
        return None

    def block_reason(self, lines: list[str]) -> str | None:
        """A reason when the block holds a marker that makes all of it chrome (menus, share bars)."""
        if len(lines) < 2:
            return None
        folded = [line.strip().casefold() for line in lines]
        for reason, markers in self.table.block_markers.items():
            if any(line in markers for line in folded):
                return reason
        return None


def learn_folder(
    paths: Iterable[Path], table: ChromeTable, min_captures: int = 3, max_length: int = 120
) -> frozenset[str]:
    """Lines that appear in at least half of a folder's captures (and in 3 or more).

    Only the part of a capture before its comment section (as *table* and the
    text reader recognise it) counts, so a short reader comment repeated
    across pages is never learned as chrome.
    """
    count_header = re.compile(table.comment_count, re.I)
    counts: Counter[str] = Counter()
    total = 0
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        total += 1
        body = []
        for line in (line.strip() for line in text.splitlines()):
            if line.casefold() in table.comment_openers or count_header.fullmatch(line):
                break
            body.append(line)
        counts.update({line.casefold() for line in body if 0 < len(line) <= max_length})
    if total < min_captures:
        return frozenset()
    threshold = max(min_captures, (total + 1) // 2)
    return frozenset(line for line, count in counts.items() if count >= threshold)
