"""Reader comments in text captures: the wpDiscuz and WordPress-default layouts.

wpDiscuz dumps lose the authors of root comments and all nesting below a
thread's root; threads are separated by two or more blank lines and each reply
is an author line, a blank line and its text. Which paragraphs are author
lines is decided over the whole thread at once: a thread starts and ends with
text and two author lines never touch, and among the labellings those rules
allow, the one whose author lines look most like names wins. So a short
reply such as "Well said." after an author line stays text.

WordPress-default dumps keep authors and dates but lose nesting: "NAME
says:", a date line, the text, "Reply".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from generator.model import Comment, Diagnostic, Dropped
from generator.readers.boilerplate import Boilerplate
from generator.readers.comment_files import comment_from_text
from generator.readers.dates import find_date

_NOT_A_NAME = re.compile(r"[?!:;,\"“”()\[\]]|https?://|www\.|@|\d{3,}")
_FUNCTION_WORDS = {
    "a", "an", "the", "and", "or", "but", "so", "is", "are", "was", "to", "of", "in", "on", "at", "for", "it",
    "i", "me", "my", "we", "you", "yes", "no", "not", "this", "that", "thanks", "thank", "well", "said",
    "agreed", "agree", "same", "here", "too", "great", "good", "nice", "lol", "wow", "indeed", "exactly",
}  # fmt: skip


@dataclass
class Paragraph:
    """Consecutive non-blank lines of a capture, with the blank lines before them."""

    first_line: int
    lines: list[str]
    blank_before: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class CommentSection:
    comments: list[Comment] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    closed: bool = False


def name_score(text: str) -> float:
    """How much *text* looks like a commenter's name: above 0 plausible, below 0 not."""
    words = text.split()
    if "\n" in text or not 1 <= len(words) <= 5 or len(text) > 40 or _NOT_A_NAME.search(text):
        return -1.0
    if text.endswith(".") and len(words[-1]) > 4:
        return -1.0  # a sentence ("Well said."), not an initial ("marco b.") or "Jr."
    if {word.strip(".").casefold() for word in words} & _FUNCTION_WORDS:
        return -1.0
    capitalised = sum(word[0].isupper() for word in words) / len(words)
    return 1.0 + capitalised


def label_authors(paragraphs: list[str]) -> list[bool]:
    """Which paragraphs of a wpDiscuz thread are author lines (see module docstring)."""
    n = len(paragraphs)
    scores = [name_score(p) if 0 < i < n - 1 else -1.0 for i, p in enumerate(paragraphs)]
    best_with = [0.0] * n  # best total when paragraph i is an author line
    best_without = [0.0] * n
    for i in range(n):
        previous_without = best_without[i - 1] if i else 0.0
        previous_best = max(best_with[i - 1], best_without[i - 1]) if i else 0.0
        best_with[i] = previous_without + scores[i] if scores[i] > 0 else float("-inf")
        best_without[i] = previous_best
    labels = [False] * n
    take_author = best_with[-1] > best_without[-1] if n else False
    for i in range(n - 1, -1, -1):
        labels[i] = take_author
        take_author = False if take_author else (i > 0 and best_with[i - 1] > best_without[i - 1])
    return labels


def read_wpdiscuz(paragraphs: list[Paragraph], source: str, boilerplate: Boilerplate) -> CommentSection:
    section = CommentSection()
    threads: list[list[Paragraph]] = []
    for paragraph in paragraphs:
        kept = []
        for offset, line in enumerate(paragraph.lines):
            if _is_ui(line, boilerplate):
                section.dropped.append(Dropped(paragraph.first_line + offset, line, "comment UI"))
            else:
                kept.append(line)
        if not kept:
            continue
        if paragraph.blank_before >= 2 or not threads:
            threads.append([])
        threads[-1].append(Paragraph(paragraph.first_line, kept, paragraph.blank_before))
    for thread_paragraphs in threads:
        _add_thread(section, thread_paragraphs, source)
    return section


def _is_ui(line: str, boilerplate: Boilerplate) -> bool:
    """Inside a comment section only comment-system lines are chrome: "100 €" there is a comment."""
    return boilerplate.line_reason(line) == "comment UI"


def _add_thread(section: CommentSection, paragraphs: list[Paragraph], source: str) -> None:
    labels = label_authors([p.text for p in paragraphs])
    root_id: str | None = None
    author: str | None = None
    texts: list[Paragraph] = []

    def flush() -> None:
        nonlocal root_id, texts
        if not texts:
            return
        comment_id = str(len(section.comments) + 1)
        text = "\n\n".join(p.text for p in texts)
        section.comments.append(
            comment_from_text(comment_id, text, source, texts[0].first_line, author=author, parent=root_id)
        )
        root_id = root_id or comment_id
        texts = []

    for paragraph, is_author in zip(paragraphs, labels, strict=True):
        if is_author:
            flush()
            author = paragraph.text.strip()
        else:
            texts.append(paragraph)
    flush()


def read_wordpress(
    paragraphs: list[Paragraph],
    source: str,
    boilerplate: Boilerplate,
    tz: ZoneInfo,
    announced: int | None,
    header_line: int,
) -> CommentSection:
    section = CommentSection()
    says = re.compile(boilerplate.table.comment_says, re.I)
    current: dict | None = None

    def flush() -> None:
        nonlocal current
        if current and current["texts"]:
            comment_id = str(len(section.comments) + 1)
            text = "\n\n".join(current["texts"])
            comment = comment_from_text(
                comment_id, text, source, current["line"], author=current["author"], date=current["date"]
            )
            section.comments.append(comment)
        current = None

    for paragraph in paragraphs:
        for offset, line in enumerate(paragraph.lines):
            number = paragraph.first_line + offset
            match = says.fullmatch(line.strip())
            if match:
                flush()
                current = {"author": match.group("name").strip(), "date": None, "texts": [], "line": number}
            elif (
                current is not None
                and current["date"] is None
                and not current["texts"]
                and (date := find_date(line, tz))
            ):
                current["date"] = date
            elif line.strip().casefold() == boilerplate.table.comment_reply:
                section.dropped.append(Dropped(number, line, "comment UI"))
            elif current is not None:
                if offset == 0 or not current["texts"]:
                    current["texts"].append(line)
                else:
                    current["texts"][-1] += "\n" + line
            else:
                section.dropped.append(Dropped(number, line, "comment UI"))
    flush()
    if announced is not None and announced != len(section.comments):
        message = f"the page announces {announced} comments but {len(section.comments)} were found"
        section.diagnostics.append(Diagnostic(source, message, header_line))
    return section
