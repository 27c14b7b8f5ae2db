"""Find the captures under ``content/`` and read each with the reader for its suffix."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..config import SiteConfig
from ..model import Article, Diagnostic
from .metadata import FolderDefaults


@dataclass(frozen=True)
class ReadContext:
    """What a reader needs besides the file: where the site is and the folder defaults."""

    site_path: Path
    content_path: Path
    tz: ZoneInfo
    defaults: dict[str, Any]

    def relative(self, path: Path) -> str:
        """*path* as users see it in messages: relative to the site folder."""
        try:
            return path.relative_to(self.site_path).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass
class ReadResult:
    article: Article | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


Reader = Callable[[Path, ReadContext], ReadResult]


def _registry() -> dict[str, Reader]:
    from .markdown import read_markdown

    return {".md": read_markdown}


@dataclass
class ScanResult:
    articles: list[Article]
    diagnostics: list[Diagnostic]
    skipped: list[str]
    drafts: int


def scan(config: SiteConfig) -> ScanResult:
    """Read every capture under the content folder, in sorted path order."""
    readers = _registry()
    defaults = FolderDefaults(config.content_path)
    result = ScanResult([], [], [], 0)
    for path in capture_paths(config.content_path, readers, result.diagnostics):
        context = ReadContext(config.site_path, config.content_path, config.tzinfo, defaults.for_folder(path.parent))
        read = readers[path.suffix.lower()](path, context)
        result.diagnostics.extend(read.diagnostics)
        if read.article is None:
            result.skipped.append(context.relative(path))
        elif read.article.draft:
            result.drafts += 1
        else:
            result.articles.append(read.article)
    result.diagnostics.extend(defaults.diagnostics)
    return result


def capture_paths(content_path: Path, readers: dict[str, Reader], diagnostics: list[Diagnostic]) -> Iterator[Path]:
    """Files a reader handles, sorted, never leaving *content_path*.

    Hidden files and folders are skipped, symlinks pointing out of the content
    folder are refused, and a page bundle's folder (one with ``index.md``)
    holds resources, not more articles.
    """
    root = content_path.resolve()
    for folder, dirnames, filenames in os.walk(content_path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        here = Path(folder)
        names = sorted(n for n in filenames if not n.startswith((".", "_")))
        if "index.md" in names:
            names, dirnames[:] = ["index.md"], []
        for name in names:
            path = here / name
            if path.suffix.lower() not in readers:
                continue
            if not path.resolve().is_relative_to(root):
                rel = path.relative_to(content_path.parent).as_posix()
                diagnostics.append(Diagnostic(rel, "refused: symlink pointing outside the content folder"))
                continue
            yield path
