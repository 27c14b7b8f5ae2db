"""How an archived article is cited: the Internet Archive's copy, citations in common styles, ``citation_*`` tags.

Everything here is plain text; the theme escapes it like any other value.
Authors are written as the captures name them ("Jane Smith"); the styles
that invert names take the last word as the family name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from generator.model import MONTH_NAMES, Article

WAYBACK = "https://web.archive.org/web/{stamp}/{url}"
MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_BIBTEX_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "{}%&$#_"} | {"\\": "\\textbackslash{}", "^": "\\^{}", "~": "\\~{}"}
)


def wayback_url(url: str, captured: datetime | None) -> str:
    """The Internet Archive's copy of *url* nearest *captured* (its timestamps are UTC; it redirects to the nearest)."""
    stamp = captured.astimezone(UTC).strftime("%Y%m%d%H%M%S") if captured else "2"
    return WAYBACK.format(stamp=stamp, url=url)


@dataclass(frozen=True)
class Citation:
    """One article cited in three styles and in two machine-readable forms."""

    apa: str
    mla: str
    chicago: str
    bibtex: str
    csl_json: str


def cite(article: Article, publication: str, archive_url: str) -> Citation:
    """*article* as a reference; *archive_url* is the archive's own page for it (absolute, or empty)."""
    url = article.source_url or archive_url
    archived = f" Archived at {archive_url}" if archive_url and article.source_url else ""
    return Citation(
        apa=_apa(article, publication, url) + (f" (archived copy: {archive_url})" if archived else ""),
        mla=_mla(article, publication, url) + archived + ("." if archived else ""),
        chicago=_chicago(article, publication, url) + archived + ("." if archived else ""),
        bibtex=_bibtex(article, publication, url, archive_url),
        csl_json=_csl_json(article, publication, url, archive_url),
    )


def citation_meta(article: Article, publication: str, language: str) -> list[tuple[str, str]]:
    """``citation_*`` meta tags as Google Scholar and Zotero read them: (name, content) in a fixed order."""
    tags = [("citation_title", article.title)]
    tags += [("citation_author", name) for name in article.authors]
    if article.published:
        tags.append(("citation_publication_date", article.published.strftime("%Y/%m/%d")))
    if publication:
        tags.append(("citation_publisher", publication))
    if article.source_url:
        tags.append(("citation_public_url", article.source_url))
    tags.append(("citation_language", language))
    return tags


def _inverted(name: str, initials: bool) -> str:
    parts = name.split()
    if len(parts) < 2:
        return name
    given = parts[:-1]
    first = " ".join(f"{word[0]}." for word in given) if initials else " ".join(given)
    return f"{parts[-1]}, {first}"


def _names(authors: tuple[str, ...], style: str) -> str:
    if not authors:
        return ""
    if style == "apa":
        inverted = [_inverted(name, initials=True) for name in authors]
        return inverted[0] if len(inverted) == 1 else ", ".join(inverted[:-1]) + ", & " + inverted[-1]
    first = _inverted(authors[0], initials=False)
    if len(authors) == 1:
        return first
    if style == "mla":
        return f"{first}, and {authors[1]}" if len(authors) == 2 else f"{first}, et al"
    return ", ".join([first, *authors[1:-1]]) + f", and {authors[-1]}"


def _apa(article: Article, publication: str, url: str) -> str:
    day = article.published
    when = f"{day.year}, {MONTH_NAMES[day.month - 1]} {day.day}" if day else "n.d."
    who = _names(article.authors, "apa")
    head = f"{who} ({when}). {article.title}." if who else f"{article.title}. ({when})."
    return " ".join(part for part in (head, f"{publication}." if publication else "", url) if part)


def _mla(article: Article, publication: str, url: str) -> str:
    who = _names(article.authors, "mla")
    parts = [f"{who}." if who else "", f"\u201c{article.title}.\u201d"]
    tail = [publication] if publication else []
    if article.published:
        day = article.published
        tail.append(f"{day.day} {MLA_MONTHS[day.month - 1]} {day.year}")
    tail.append(url)
    parts.append(", ".join(tail) + ".")
    return " ".join(part for part in parts if part)


def _chicago(article: Article, publication: str, url: str) -> str:
    who = _names(article.authors, "chicago")
    day = article.published
    when = f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}" if day else "n.d."
    middle = ", ".join(part for part in (publication, when) if part)
    parts = (f"{who}." if who else "", f"\u201c{article.title}.\u201d", f"{middle}.", f"{url}.")
    return " ".join(part for part in parts if part)


def _bibtex(article: Article, publication: str, url: str, archive_url: str) -> str:
    year = str(article.published.year) if article.published else ""
    fields = [
        ("author", " and ".join(article.authors)),
        ("title", article.title),
        ("journaltitle", publication),
        ("date", article.published.date().isoformat() if article.published else ""),
        ("url", url),
        ("urldate", article.captured.date().isoformat() if article.captured else ""),
        ("note", f"Archived at {archive_url}" if archive_url and article.source_url else ""),
    ]
    body = ",\n".join(f"  {key} = {{{_bibtex_escape(value)}}}" for key, value in fields if value)
    return f"@online{{{article.slug.replace('-', '_')[:40]}{year},\n{body}\n}}"


def _bibtex_escape(value: str) -> str:
    return value.translate(_BIBTEX_SPECIAL)


def _csl_json(article: Article, publication: str, url: str, archive_url: str) -> str:
    item: dict[str, object] = {"type": "article-newspaper", "title": article.title, "URL": url}
    if article.authors:
        item["author"] = [_csl_name(name) for name in article.authors]
    if publication:
        item["container-title"] = publication
    if article.published:
        item["issued"] = {"date-parts": [[article.published.year, article.published.month, article.published.day]]}
    if article.captured:
        item["accessed"] = {"date-parts": [[article.captured.year, article.captured.month, article.captured.day]]}
    if archive_url and article.source_url:
        item["archive_location"] = archive_url
    return json.dumps([item], ensure_ascii=False)


def _csl_name(name: str) -> dict[str, str]:
    parts = name.split()
    if len(parts) < 2:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}
