"""``backissue check``: every internal link, image and stylesheet of a built site resolves.

Also finds orphans — pages that no path from the front page or the archive
index reaches — and, with ``--external``, outbound links that fail; those are
checked a few at a time (and one host at a time at most twice), with a
timeout, and the answers are cached under ``.backissue/`` for a week.
"""

from __future__ import annotations

import json
import posixpath
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ENTRY_PAGES = ("index.html", "archive/index.html")
NOT_LINKED = ("404.html",)  # served by hosts for missing pages, never linked
EXTERNAL_TIMEOUT = 10.0
EXTERNAL_WORKERS = 8
PER_HOST = 2
CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Problem:
    page: str
    link: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} → {self.problem}"


@dataclass
class PageLinks:
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    redirect: bool = False  # an alias's page: reached from old links elsewhere, never from this site


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if attributes.get("id"):
            self.found.ids.add(attributes["id"])
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.found.redirect = True
        if tag == "link" and "canonical" in attributes.get("rel", "").split():
            return  # the canonical address is the public one, not a file here
        for name in ("href", "src"):
            if attributes.get(name):
                self.found.links.append(attributes[name])
        for candidate in attributes.get("srcset", "").split(","):
            if candidate.strip():
                self.found.links.append(candidate.strip().split()[0])


def read_pages(out_path: Path) -> dict[str, PageLinks]:
    pages = {}
    for path in sorted(out_path.rglob("*.html")):
        collector = _Collector()
        collector.feed(path.read_text(encoding="utf-8", errors="replace"))
        pages[path.relative_to(out_path).as_posix()] = collector.found
    return pages


def check_site(out_path: Path) -> tuple[list[Problem], list[str], int]:
    """Broken internal links and orphan pages; the outbound links found, for ``--external``; the pages read."""
    pages = read_pages(out_path)
    problems: list[Problem] = []
    external: set[str] = set()
    graph: dict[str, set[str]] = {}
    resolved: dict[str, tuple[str, str | None]] = {}  # each target looked up once, however many pages link it
    for page, found in pages.items():
        graph[page] = set()
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                external.add(link)
                continue
            if parts.scheme or parts.netloc:
                continue  # mailto: and the like
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) if parts.path else page
            )
            if target not in resolved:
                resolved[target] = _resolve(out_path, target)
            file, problem = resolved[target]
            if problem is None and parts.fragment and file in pages and parts.fragment not in pages[file].ids:
                problem = f"no element with id {parts.fragment!r}"
            if problem:
                problems.append(Problem(page, link, problem))
            elif file.endswith(".html"):
                graph[page].add(file)
    orphans = [page for page in _orphans(graph) if not pages[page].redirect]
    problems += [
        Problem(page, "(no link to it)", "orphan: not reachable from the front page or the archive") for page in orphans
    ]
    return problems, sorted(external), len(pages)


def _resolve(out_path: Path, target: str) -> tuple[str, str | None]:
    """The file a link target names (a folder's ``index.html``), and what is wrong with it if anything."""
    if target.startswith("..") or target.startswith("/"):
        return target, "points outside the site"
    if (out_path / target).is_dir():
        target = posixpath.join(target, "index.html")
    return target, None if (out_path / target).is_file() else "missing"


def _orphans(graph: dict[str, set[str]]) -> list[str]:
    reached = set()
    queue = deque(page for page in ENTRY_PAGES if page in graph)
    while queue:
        page = queue.popleft()
        if page not in reached:
            reached.add(page)
            queue.extend(graph.get(page, ()))
    return sorted(page for page in graph if page not in reached and page not in NOT_LINKED)


class ExternalChecker:
    """Outbound links, a few at a time, remembered for a week."""

    def __init__(self, cache_path: Path, timeout: float = EXTERNAL_TIMEOUT) -> None:
        self.cache_path = cache_path
        self.timeout = timeout
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        try:
            self.cache: dict[str, dict] = json.loads(cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.cache = {}

    def check(self, urls: list[str]) -> dict[str, str | None]:
        """URL → problem (None when it answers)."""
        now = time.time()
        wanted = set(urls)
        fresh = {u: e["problem"] for u, e in self.cache.items() if u in wanted and now - e["checked"] < CACHE_SECONDS}
        todo = [u for u in urls if u not in fresh]
        with ThreadPoolExecutor(max_workers=EXTERNAL_WORKERS) as pool:
            answers = dict(zip(todo, pool.map(self._probe, todo), strict=True))
        for url, problem in answers.items():
            self.cache[url] = {"problem": problem, "checked": now}
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.cache_path.write_text(json.dumps(self.cache, sort_keys=True), encoding="utf-8")
        return {**fresh, **answers}

    def _probe(self, url: str) -> str | None:
        host = urlsplit(url).netloc
        with self._lock:
            gate = self._hosts.setdefault(host, threading.Semaphore(PER_HOST))
        with gate:
            for method in ("HEAD", "GET"):
                request = urllib.request.Request(url, method=method, headers={"User-Agent": "backissue-check"})
                try:
                    with urllib.request.urlopen(request, timeout=self.timeout):
                        return None
                except urllib.error.HTTPError as error:
                    if method == "HEAD" and error.code in (403, 405, 501):
                        continue  # some servers refuse HEAD; ask again with GET
                    return f"HTTP {error.code}"
                except (urllib.error.URLError, TimeoutError, OSError) as error:
                    return f"unreachable ({getattr(error, 'reason', error)})"
        return None
