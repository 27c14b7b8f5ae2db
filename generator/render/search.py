"""The search index: Pagefind run over the staged site, its files staged with the pages.

Only pages whose template marks content with ``data-pagefind-body`` (the
default theme: article pages) are indexed; Pagefind leaves every other page
out once one page carries the mark. The index is made in a scratch folder of
the build state and then staged file by file like any other output, so it is
swapped in with the pages or not at all.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.common.urls import SiteUrls
from generator.store.fingerprint import digest

INDEX_FOLDER = SiteUrls.search_index
INDEX_ATTEMPTS = 3  # an index whose entry file came out incomplete is made again, this many times in all
SEARCH_STYLESHEET = "search.css"  # the theme's styles for search, copied only when search is enabled


class SearchError(Exception):
    """Pagefind could not index the site; the build fails and the previous output stays."""


def pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return ""


def index_digest(article_outputs: Iterable[tuple[str, str]]) -> str:
    """What the index is made from: each indexed page's path and fingerprint, and the indexer's version."""
    return digest(("pagefind", pagefind_version(), sorted(article_outputs)))


def build_index(site_folder: Path, scratch: Path, expected: int) -> dict[str, bytes]:
    """Index the *expected* article pages of the finished site in *site_folder*; the index files by path in the site.

    *scratch* holds Pagefind's output while it is written (it is removed afterwards).
    When no page is marked for the index, Pagefind indexes every page whole,
    so a count other than *expected* is a theme that lost the marks: an error,
    not a site whose search finds listings and headers.
    """
    try:
        from pagefind.index import PagefindIndex
    except ImportError as error:
        message = f"[search] is enabled but Pagefind is not installed (pip install 'backissue[search]'): {error}"
        raise SearchError(message) from error
    scratch.mkdir(parents=True, exist_ok=True)
    attempts_left = INDEX_ATTEMPTS
    while True:
        attempts_left -= 1
        with tempfile.TemporaryDirectory(prefix="search-", dir=scratch) as temporary:
            index_path = Path(temporary) / "pagefind"
            try:
                asyncio.run(_write_index(PagefindIndex, site_folder, index_path, expected))
                entry = json.loads((index_path / "pagefind-entry.json").read_bytes())
            except json.JSONDecodeError as error:
                if attempts_left:  # Pagefind's service stopped before its last write reached the disk
                    continue
                raise SearchError(f"search index not built: Pagefind left an incomplete entry file: {error}") from error
            except Exception as error:  # the service reports its failures as bare exceptions
                raise SearchError(f"search index not built: {error}") from error
            return _index_files(index_path, entry, expected)


async def _write_index(indexer: Any, site_folder: Path, index_path: Path, expected: int) -> None:
    config = {"keep_index_url": True, "output_path": str(index_path)}
    async with indexer(config=config) as index:
        if expected:  # else an empty index, which the search page reports as such
            await index.add_directory(str(site_folder.resolve()))


def _index_files(index_path: Path, entry: dict, expected: int) -> dict[str, bytes]:
    """The index's files by path in the site, once Pagefind is seen to have indexed exactly the article pages."""
    indexed = sum(language["page_count"] for language in entry.get("languages", {}).values())
    if indexed != expected:
        raise SearchError(
            f"search index not built: Pagefind indexed {indexed} page(s), not the {expected} article page(s); "
            "the theme's article.html must mark the article with data-pagefind-body"
        )
    files = sorted(path for path in index_path.rglob("*") if path.is_file())
    if not files:
        raise SearchError("search index not built: Pagefind wrote no files")
    return {INDEX_FOLDER + path.relative_to(index_path).as_posix(): path.read_bytes() for path in files}
