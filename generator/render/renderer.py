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
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from os.path import isdir
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemBytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    meta,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from generator.common.config import ConfigError, SiteConfig
from generator.common.controls import CONTROL, strip_controls
from generator.common.i18n import Localizer, bcp47, direction, language_name, written_language
from generator.common.markup import IMAGE_PLACEHOLDER_SCHEME
from generator.common.urls import SiteUrls, absolute_url, relative_url, slugify
from generator.model import LANGUAGES, Article, Block, Card, ImageRef, Page, PublishedImage, SiteCard, Variant
from generator.render.citation import Citation, citation_meta, cite, wayback_url
from generator.render.themes import SHARE_IMAGE, Theme
from generator.site.assemble import shown_whole
from generator.site.pages import TAXONOMY_TITLES
from generator.store.bodies import Body, BodyStore, ShippedBodies, load_bodies, stored_keys
from generator.store.executor import resolve

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


def template_sources(theme: Theme) -> dict[str, tuple[str, str]]:
    """Template name → (source, file name) for the theme chain, the most specific theme winning.

    ``"default:base.html"`` names a parent theme's own file. Rendering reads
    templates from this mapping, so a worker on another machine needs no theme folder.
    """
    sources: dict[str, tuple[str, str]] = {}
    named = [("", path) for path in theme.template_paths]
    named += [(f"{name}:", path) for name, path in theme.named_template_paths.items()]
    for prefix, folder in named:
        for path in sorted(folder.rglob("*")):
            name = prefix + path.relative_to(folder).as_posix()
            if path.is_file() and not path.name.startswith(".") and name not in sources:
                sources[name] = (_read_template(path), str(path))
    return sources


def _read_template(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read template: {error}") from error


class _SourcesLoader(BaseLoader):
    def __init__(self, sources: dict[str, tuple[str, str]]) -> None:
        self.sources = sources

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template not in self.sources:
            raise TemplateNotFound(template)
        source, filename = self.sources[template]
        return source, filename, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.sources)


@dataclass(frozen=True, eq=False)
class RenderSetup:
    """Everything rendering needs that every page shares: sent to each worker once.

    It holds the site's card, never its articles. A local pool's workers also inherit every page to render
    (``pages``), so their tasks carry only page numbers; one pickle of the pages stores each card once,
    however many listings show it. Workers that share nothing with the build process (a Dask cluster) get
    their pages with each task instead (:class:`PageBatch`), so none of them holds the site. The build keeps
    the setup (without pages) in its state, so that an edit renders the pages it changes without planning
    the site again.
    """

    site: SiteCard
    templates: dict[str, tuple[str, str]]
    static_urls: dict[str, str]
    published: dict[Path, PublishedImage]
    urls: SiteUrls
    taxonomies: tuple[str, ...] = ()  # the site's, in menu order (languages on a site in several)
    pages: tuple[Page, ...] = ()
    localizer: Localizer = Localizer()
    compiled_templates: str = ""  # a folder keeping compiled templates between builds, where it exists
    bodies: BodyStore | None = None  # where the bodies of light articles are (the build state)

    def shared(self) -> RenderSetup:
        """What every worker of a cluster gets once: the setup without pages, and of the published images only
        those the site's card shows (its own pages' lead images)."""
        shown = {card.lead_image.path for card in self.site.pages if card.lead_image and card.lead_image.path}
        published = {path: image for path, image in self.published.items() if path in shown}
        return replace(self, pages=(), published=published, bodies=None)


@dataclass(frozen=True)
class PageBatch:
    """Pages sent with their task, and what of the site only they show: the published files of the images
    they refer to and the bodies of the articles they show whole."""

    pages: tuple[Page, ...]
    published: dict[Path, PublishedImage]
    bodies: ShippedBodies

    @classmethod
    def of(cls, pages: Sequence[Page], setup: RenderSetup) -> PageBatch:
        """*pages* with what of *setup* they show: their images' published files, their articles' bodies."""
        images = set().union(*map(page_images, pages))
        published = {path: setup.published[path] for path in sorted(images) if path in setup.published}
        keys = stored_keys(page.context.get("article") for page in pages)
        bodies = ShippedBodies(setup.bodies.raw(keys) if setup.bodies is not None and keys else {})
        return cls(tuple(pages), published, bodies)


def page_images(page: Page) -> set[Path]:
    """The image files *page* may show: its article's images and every card's lead image."""
    found: set[Path] = set()
    for value in page.shown():
        if isinstance(value, Article):
            found.update(ref.path for ref in value.images if ref.path is not None)
        elif isinstance(value, Card) and value.lead_image is not None and value.lead_image.path is not None:
            found.add(value.lead_image.path)
    return found


_batch_images = threading.local()  # the published images a PageBatch brought, for the thread rendering it


def render_batch(setup: Any, batch: Sequence[int] | PageBatch) -> list[bytes | str]:
    """A worker's task: the bytes of each page of *batch*, or the text of the error that stopped it.

    *setup* is a :class:`RenderSetup`, or a reference to the one a local worker inherited; its renderer is
    made once per worker. *batch* numbers pages of the setup, or brings its own (:class:`PageBatch`). The
    articles the pages show whole are light: their bodies are loaded here, by key, from the bodies the batch
    brought, else from the setup's store.
    """
    setup = resolve(setup)
    renderer = _renderer_for(setup)
    if isinstance(batch, PageBatch):
        pages, store, _batch_images.found = list(batch.pages), batch.bodies, batch.published
    else:
        pages, store = [setup.pages[index] for index in batch], setup.bodies
    keys = stored_keys(page.context.get("article") for page in pages)
    try:
        bodies = load_bodies(store, keys) if keys and store is not None else {}
    except Exception as error:  # the state cannot be read: every page of the batch fails, and says why
        return [describe_failure(error)] * len(pages)
    results: list[bytes | str] = []
    try:
        for page in pages:
            try:
                results.append(renderer.render(_shown_whole(page, bodies, setup.site.config)))
            except Exception as error:  # a bad page must not stop the other pages; the caller reports it
                results.append(describe_failure(error))
    finally:
        _batch_images.found = {}
    return results


def _shown_whole(page: Page, bodies: dict[str, Body], config: SiteConfig) -> Page:
    """*page* with its article (if any) whole."""
    article = page.context.get("article")
    if article is None or article.stored is None:
        return page
    return replace(page, context={**page.context, "article": shown_whole(article, bodies, config)})


def describe_failure(error: BaseException) -> str:
    """The message of a failed build or page, with the template file and line where a template failed."""
    if isinstance(error, TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: template error: {error.message}"
    if isinstance(error, TemplateError):
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml"))]
        where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
        return f"{where}template error: {error}"
    if isinstance(error, ConfigError):
        return str(error)
    return f"{type(error).__name__}: {error}"


@lru_cache(maxsize=1)
def _renderer_for(setup: RenderSetup) -> Renderer:
    return Renderer(setup)


def _without_controls(value: Any) -> Any:
    """Every value a template prints, without control characters (escaped markup stays markup)."""
    if isinstance(value, str) and CONTROL.search(value):
        cleaned = strip_controls(value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates kept in a folder (each checked against its template's source when loaded);
    a folder that cannot take them only means compiling again."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class Renderer:
    def __init__(self, setup: RenderSetup, template_digests: dict[str, str] | None = None) -> None:
        """*template_digests* are those :meth:`template_digest` gave for these templates before."""
        site = setup.site
        self.setup = setup
        self.site = site
        self.template_digests: dict[str, str] = dict(template_digests or {})
        self.localizer = localizer = setup.localizer
        self.env = Environment(
            extensions=["jinja2.ext.i18n"],
            loader=_SourcesLoader(setup.templates),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_without_controls,
            bytecode_cache=_CompiledTemplates(setup.compiled_templates) if isdir(setup.compiled_templates) else None,
        )
        self.env.filters.update(
            url=_link,
            absolute=self._absolute,
            static=_static,
            date=localizer.date,
            datetime=localizer.datetime,
            month=lambda value: localizer.month(value.year, value.month),
            number=localizer.number,
            digits=lambda value: localizer.digits(str(value)),
            names=localizer.names,
            direction=direction,
            isodate=_isodate,
            jsonld=jsonld,
            body=_body_html,
            image=self.published_image,
            srcset=_srcset,
            anchor=html_id,
            article_jsonld=self.article_jsonld,
            wayback=self.wayback,
            language=self.language_of,
            language_filter=self.language_filter,
            body_runs=self.body_runs,
            citation=self.citation,
            citation_meta=lambda article: citation_meta(article, article.source or "", self.language_of(article)),
        )
        self.env.globals.update(
            site=site,
            config=site.config,
            navigation=self._navigation(),
            footer_pages=site.pages if site.config.pages.link_in == "footer" else (),
            taxonomy_titles={key: localizer.gettext(title) for key, title in TAXONOMY_TITLES.items()},
            static_urls=setup.static_urls,
            month_names=localizer.month_names,
            month_abbreviations=localizer.month_abbreviations,
            site_language=bcp47(site.config.language) or site.config.language,
            site_direction=localizer.direction,
            term_url=self.term_url,
            urls=setup.urls,
            section_of=self.section_of,
            share_image=setup.static_urls.get(site.config.share_image) or setup.static_urls.get(SHARE_IMAGE),
        )
        self.env.newstyle_gettext = True  # type: ignore[attr-defined]
        self.env.globals.update(
            gettext=self._gettext, _=self._gettext, ngettext=self._ngettext, plural_forms=localizer.plural_forms
        )

    @pass_context
    def _gettext(self, context: Any, message: str, **variables: Any) -> str:
        """Jinja's new-style gettext: the translation, with ``%(name)s`` filled in (escaped when autoescaping)."""
        return _fill(context, self.localizer.gettext(message), variables)

    @pass_context
    def _ngettext(self, context: Any, singular: str, plural: str, count: int, **variables: Any) -> str:
        """The plural form the language's rule picks for *count*; ``%(num)s`` is the count in the locale's digits."""
        variables.setdefault("num", self.localizer.number(count))
        return _fill(context, self.localizer.ngettext(singular, plural, count), variables)

    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        html = template.render(page=page, **page.context)
        return html.encode("utf-8")

    def shown_globals(self) -> dict[str, Any]:
        """The globals every template sees that are values, with what the global functions read of the site."""
        shown = {name: value for name, value in self.env.globals.items() if not callable(value)}
        return {**shown, "taxonomies": self.setup.taxonomies}  # the language filter asks which exist

    def template_digest(self, name: str) -> str:
        """A digest of *name* and every template it extends, includes or imports."""
        if name not in self.template_digests:
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
            found["\0catalog"] = hashlib.sha256(self.localizer.catalog).hexdigest()  # translations show on every page
            text = "\0".join(f"{key}\0{found[key]}" for key in sorted(found))
            self.template_digests[name] = hashlib.sha256(text.encode()).hexdigest()
        return self.template_digests[name]

    def published_image(self, ref: ImageRef | None) -> PublishedImage | None:
        if ref is None or ref.path is None:
            return None
        found = self.setup.published.get(ref.path)
        return found if found is not None else getattr(_batch_images, "found", {}).get(ref.path)

    def term_url(self, taxonomy: str, name: str) -> str:
        return self.setup.urls.term(taxonomy, slugify(name))

    def body_runs(self, blocks: Sequence[Block]) -> list[tuple[Block, int]]:
        """Blocks in order, each with how many times it repeats: identical missing images in a row are drawn once.

        Text captures often keep one "image" marker per picture a page had, all
        with the same alt text; a stack of identical placeholders tells a reader nothing more than one does.
        """
        runs: list[tuple[Block, int]] = []
        previous = None
        for block in blocks:
            ref = block.image
            missing = ref is not None and self.published_image(ref) is None
            shown = (ref.alt, ref.caption, ref.credit, ref.remote_url) if missing else None
            if shown is not None and shown == previous:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((block, 1))
            previous = shown
        return runs

    def wayback(self, article: Article | Card) -> str:
        """The Internet Archive's copy of the article's original; "" without one or with ``[links] wayback = false``."""
        if not (article.source_url and self.site.config.links.wayback):
            return ""
        return wayback_url(article.source_url, article.captured)

    def citation(self, article: Article) -> Citation:
        return cite(article, article.source or "", self._absolute(article.url))

    def article_jsonld(self, article: Article) -> dict[str, Any]:
        """schema.org ``NewsArticle`` data for search engines and archive tools."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "commentCount": article.comment_count,
        }
        optional = {
            "datePublished": _isodate(article.published),
            "dateModified": _isodate(article.updated),
            "description": article.summary,
            "url": self._absolute(article.url),
            "isBasedOn": article.source_url,
            "keywords": list(article.tags),
            "articleSection": article.category,
            "inLanguage": self.language_of(article),
            "author": [{"@type": "Person", "name": name} for name in article.authors],
            "publisher": {"@type": "Organization", "name": article.source} if article.source else None,
        }
        lead = self.published_image(article.lead_image)
        if lead and self.site.config.base_url:
            optional["image"] = self._absolute(lead.at_least(1200).url)
        data.update({key: value for key, value in optional.items() if value})
        return data

    def language_filter(self, article: Article | Card) -> str:
        """The article's language as search filters it (its Languages term's name); "" on a one-language site."""
        if LANGUAGES not in self.setup.taxonomies:
            return ""
        return language_name(written_language(self.language_of(article)), self.env.globals["site_language"])

    def language_of(self, article: Article | Card) -> str:
        """The article's BCP 47 language: its own, else the site's."""
        return article.language or bcp47(self.site.config.language) or self.site.config.language

    def _absolute(self, url: str) -> str:
        base = self.site.config.base_url
        return absolute_url(base, url) if base else ""

    def section_of(self, page: Page) -> str | None:
        """The menu entry (its URL) that *page* belongs to, to mark it in the menu; None for articles and the 404."""
        if page.kind == "home":
            return ""
        if page.kind in ("archive", "year", "month"):
            return self.setup.urls.archive
        if page.kind in ("terms", "term"):
            return self.setup.urls.taxonomy(page.context["taxonomy"])
        return None

    def _navigation(self) -> list[tuple[str, str]]:
        urls = self.setup.urls
        entries = [("Front page", urls.home), ("Archive", urls.archive)]
        for taxonomy in self.setup.taxonomies:  # the configured ones, and languages on a site in several
            entries.append((TAXONOMY_TITLES[taxonomy], urls.taxonomy(taxonomy)))
        entries = [(self.localizer.gettext(label), url) for label, url in entries]
        if self.site.config.pages.link_in == "nav":
            entries += [(page.title, page.url) for page in self.site.pages]  # the user's own titles
        if self.site.config.search.enabled:
            entries.append((self.localizer.gettext("Search"), urls.search))
        return entries


def _fill(context: Any, text: str, variables: dict[str, Any]) -> str:
    """A translation is the theme's own trusted text; the values put into it are escaped like any other."""
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables


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
