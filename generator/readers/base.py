"""What every reader shares: the context it reads in, the result it returns, and how it records what it read.

Readers import this module and nothing of the scan that calls them (:mod:`generator.readers.scan`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.common.config import LimitsConfig
from generator.model import Article, Diagnostic, Dropped
from generator.readers.boilerplate import Boilerplate


@dataclass(frozen=True)
class ReadContext:
    """What a reader needs besides the file: the site, the folder defaults, the chrome to drop."""

    site_path: Path
    content_path: Path
    tz: ZoneInfo
    defaults: dict[str, Any]
    boilerplate: Boilerplate
    image_markers: tuple[str, ...] = ()  # casefolded
    limits: LimitsConfig = LimitsConfig()

    def relative(self, path: Path) -> str:
        """*path* as users see it in messages: relative to the site folder."""
        try:
            return path.relative_to(self.site_path).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class ReadResult:
    """A reader's answer: the article (or None), warnings, dropped lines.

    ``body_markdown`` is the normalized Markdown a capture reader built the
    body from; ``backissue import`` writes it into the page bundle.
    ``skipped`` says why a readable page is not an article (a tag listing, a
    feed); ``more`` holds the further captures of a file that holds many (a
    web archive), each with its own ``source``. ``depends_on`` maps every
    file the reader looked for besides the capture itself (its sidecar or
    comments, every image, found or not; see :func:`look_for`) to its
    :func:`file_stamp` then, so a cached result is only reused while none of
    them appeared, changed or disappeared. ``state_folder`` names a folder of the
    build state the result refers to (a web archive's extracted images),
    which is kept while the capture is. ``error`` is set when the reader
    failed on this input (see :func:`isolated`).
    """

    article: Article | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    body_markdown: str | None = None
    skipped: str = ""
    more: list[ReadResult] = field(default_factory=list)
    depends_on: dict[str, str] = field(default_factory=dict)
    state_folder: str = ""
    error: str = ""


Reader = Callable[[Path, ReadContext], ReadResult]


def isolated(source: str, read: Callable[[], ReadResult]) -> ReadResult:
    """What *read* returns, or, when it raises, an empty result whose warning names *source* and the error.

    Every capture (and every record of a web archive) is read through this, so one odd input, or a bug
    it meets, costs that input alone and the rest of the site is still read.
    """
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - any failure on one input is that input's problem
        line = getattr(error, "lineno", None)
        message = f"could not be read, skipped: {type(error).__name__}: {str(error)[:300]}"
        return ReadResult(None, [Diagnostic(source, message, line if isinstance(line, int) else None)], error=message)


def stat_stamp(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def file_stamp(path: Path) -> str:
    """Size and modification time of *path*, or "missing"; never raises."""
    try:
        return stat_stamp(path) if path.is_file() else "missing"
    except (OSError, ValueError):
        return "missing"


def look_for(path: Path, looked_at: dict[str, str]) -> Path:
    """Record in *looked_at* (a result's ``depends_on``) that a reader looked for *path*, there or not.

    Returns *path* resolved, as recorded: ``..`` past a folder that does not
    exist (yet) would otherwise never find the file.
    """
    try:
        path = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a name too long for the file system, a loop of links
        pass
    looked_at[str(path)] = file_stamp(path)
    return path


def located(path: Path) -> Path:
    """*path* absolute with its folders resolved; a file that is a link keeps its place (and name)."""
    return path.parent.resolve() / path.name if path.name not in ("", ".", "..") else path.resolve()
