"""Render pages through the theme's Jinja templates.

Templates never build URLs by hand: ``url`` turns a site URL into a link
relative to the page being rendered, ``static`` names a fingerprinted theme
file, ``image`` gives an image's published URL and size.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from jinja2 import (
    ChoiceLoader,
    meta,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from markupsafe import Markup

from .assemble import Site
from .images import ImagePlan, PublishedImage, Variant
from .markup import IMAGE_PLACEHOLDER_SCHEME
from .model import Article, Block, ImageRef
from .pages import ARCHIVE_URL, TAXONOMY_TITLES, Page
from .taxonomy import MONTH_NAMES
from .themes import Theme
from .urls import absolute_url, relative_url, slugify

STATIC_FOLDER = "static"
_PLACEHOLDER = re.compile(rf'"{IMAGE_PLACEHOLDER_SCHEME}:(\d+)"')


def fingerprint_static(files: dict[str, Any]) -> dict[str, str]:
    """Static name → output URL with a content digest, so hosts may cache it for good."""
    urls = {}
    for name, path in files.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        stem, ext = posixpath.splitext(name)
        urls[name] = f"{STATIC_FOLDER}/{stem}.{digest}{ext}"
    return urls


class Renderer:
    def __init__(self, site: Site, theme: Theme, static_urls: dict[str, str], images: ImagePlan) -> None:
        self.site = site
        self.static_urls = static_urls
        self.images = images
        self._template_digests: dict[str, str] = {}
        self.env = Environment(
            loader=ChoiceLoader(
                [FileSystemLoader(path) for path in theme.template_paths]
                + [PrefixLoader({name: FileSystemLoader(path) for name, path in theme.named_template_paths.items()}, ":")]
            ),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            url=_link,
            absolute=self._absolute,
            static=_static,
            date=format_date,
            isodate=_isodate,
            jsonld=jsonld,
            body=_body_html,
            image=self.published_image,
            srcset=_srcset,
            anchor=html_id,
            article_jsonld=self.article_jsonld,
        )
        self.env.globals.update(
            site=site,
            config=site.config,
            navigation=self._navigation(),
            taxonomy_titles=TAXONOMY_TITLES,
            static_urls=static_urls,
            month_names=MONTH_NAMES,
            term_url=self.term_url,
        )

    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        html = template.render(page=page, **page.context)
        return html.encode("utf-8")

    def template_digest(self, name: str) -> str:
        """A digest of *name* and every template it extends, includes or imports."""
        if name not in self._template_digests:
            loader = self.env.loader
            found: dict[str, str] = {}
            queue = [name]
            while queue:
                current = queue.pop()
                if current in found:
                    continue
                source, filename, _uptodate = loader.get_source(self.env, current)
                found[current] = source
                references = list(meta.find_referenced_templates(self.env.parse(source, current, filename)))
                if None in references:  # a computed name: it could be any template
                    references = self.env.list_templates()
                queue.extend(references)
            text = "\0".join(f"{key}\0{found[key]}" for key in sorted(found))
            self._template_digests[name] = hashlib.sha256(text.encode()).hexdigest()
        return self._template_digests[name]

    def published_image(self, ref: ImageRef | None) -> PublishedImage | None:
        return self.images.published.get(ref.path) if ref is not None and ref.path is not None else None

    def term_url(self, taxonomy: str, name: str) -> str:
        return f"{self.site.config.taxonomies[taxonomy]}/{slugify(name)}/"

    def article_jsonld(self, article: Article) -> dict[str, Any]:
        """schema.org ``NewsArticle`` data for search engines and archive tools."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "commentCount": len(article.comments),
        }
        optional = {
            "datePublished": _isodate(article.published),
            "dateModified": _isodate(article.updated),
            "description": article.summary,
            "url": self._absolute(article.url),
            "isBasedOn": article.source_url,
            "keywords": list(article.tags),
            "articleSection": article.category,
            "author": [{"@type": "Person", "name": name} for name in article.authors],
            "publisher": {"@type": "Organization", "name": article.source} if article.source else None,
        }
        lead = self.published_image(article.lead_image)
        if lead and self.site.config.base_url:
            optional["image"] = self._absolute(lead.at_least(1200).url)
        data.update({key: value for key, value in optional.items() if value})
        return data

    def _absolute(self, url: str) -> str:
        base = self.site.config.base_url
        return absolute_url(base, url) if base else ""

    def _navigation(self) -> list[tuple[str, str]]:
        entries = [("Front page", ""), ("Archive", ARCHIVE_URL)]
        for taxonomy, folder in self.site.config.taxonomies.items():
            entries.append((TAXONOMY_TITLES[taxonomy], f"{folder}/"))
        return entries


@pass_context
def _link(context: Any, url: str) -> str:
    """A link from the current page to the site URL *url*."""
    page: Page = context["page"]
    base = context["config"].base_url
    if page.absolute_links and base:
        return absolute_url(base, url)
    return relative_url(page.url, url)


@pass_context
def _static(context: Any, name: str) -> str:
    return _link(context, context["static_urls"][name])


@pass_context
def _srcset(context: Any, variants: Sequence[Variant]) -> str:
    return ", ".join(f"{_link(context, variant.url)} {variant.width}w" for variant in variants)


@pass_context
def _body_html(context: Any, block: Block) -> Markup:
    """A block's sanitized HTML, inline image placeholders pointed at published files."""
    html = block.html
    if block.inline_images:
        renderer_image = context.environment.filters["image"]

        def swap(match: re.Match[str]) -> str:
            index = int(match.group(1))
            published = renderer_image(block.inline_images[index]) if index < len(block.inline_images) else None
            return f'"{_link(context, published.at_least(640).url)}"' if published else '""'

        html = _PLACEHOLDER.sub(swap, html)
    return Markup(html)


def html_id(value: str) -> str:
    """A comment id from a capture as a safe, stable HTML id fragment."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
        return value
    return "h" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


def format_date(value: datetime | None) -> str:
    """``2 November 2024``: unambiguous in every English-speaking country."""
    if value is None:
        return ""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def _isodate(value: datetime | None) -> str:
    if value is None:
        return ""
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return value.isoformat()


def jsonld(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block that no text can break out of."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)
