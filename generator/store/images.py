"""Plan every published image now, make the files later in one parallel batch.

``plan_images`` answers at once, from image headers only, with the URL, width
and height of each derivative, so templates can write ``<picture>`` with
``srcset`` and exact dimensions. Derived file names carry a digest of the
source's bytes and of the parameters, so a derivative made once is reused from
the cache under ``.backissue/images/`` across builds and pages, and each
source is decoded at most once per build whichever pages show it.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image

from generator.common.config import ImagesConfig
from generator.common.urls import SiteUrls, slugify
from generator.model import Article, Diagnostic, PublishedImage, Variant
from generator.store.executor import JobRunner, TaskLost
from generator.store.imaging import Derivative, ImageJob, run_image_job
from generator.store.output import write_atomically
from generator.store.svg import check_svg

PIPELINE_VERSION = "3"  # bump when imaging.py output changes, to retire cached derivatives
_EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "png": "png", "avif": "avif", "gif": "gif", "svg": "svg"}


@dataclass(frozen=True)
class SourceInfo:
    digest: str
    width: int
    height: int
    format: str
    animated: bool


@dataclass(frozen=True)
class ImageUse:
    """Where a source image is first shown: the article, the reference as written, the line."""

    source_path: str
    src: str
    line: int | None

    def warning(self, problem: str) -> Diagnostic:
        return Diagnostic(self.source_path, f"image {self.src!r}: {problem}", self.line)


@dataclass
class ImagePlan:
    """What the build publishes: per source file its image, per output URL the file to copy."""

    published: dict[Path, PublishedImage] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    jobs: list[ImageJob] = field(default_factory=list)
    first_use: dict[Path, ImageUse] = field(default_factory=dict)


def plan_images(
    articles: Iterable[Article], settings: ImagesConfig, cache_path: Path, urls: SiteUrls
) -> tuple[ImagePlan, list[Diagnostic]]:
    plan = ImagePlan()
    diagnostics: list[Diagnostic] = []
    index = SourceIndex(cache_path / "sources.json")
    for article in articles:
        for ref in article.images:
            if ref.path is None or ref.path in plan.first_use:
                continue
            use = plan.first_use[ref.path] = ImageUse(article.source_path, ref.src, ref.line)
            info, problem = index.inspect(ref.path, settings.max_pixels)
            if problem is None:
                _plan_source(plan, ref.path, info, settings, cache_path, urls)
            else:
                diagnostics.append(use.warning(problem))
    index.save()
    return plan, diagnostics


def run_jobs(plan: ImagePlan, runner: JobRunner, advance: Callable[[], None]) -> tuple[int, list[Diagnostic]]:
    """Make the missing derivatives, one task per source; failed sources become placeholders.

    Each task gets the source's bytes and sends back the derivatives' bytes;
    this process writes them into the cache, so workers need no access to the site. A task the cluster
    lost is not a broken image: it stops the build (:class:`TaskLost`, naming the image).
    """
    inputs = ((job, _read_source(job.source_path)) for job in plan.jobs)
    diagnostics = []
    for job, future in zip(plan.jobs, runner.stream(run_image_job, inputs, len(plan.jobs)), strict=True):
        try:
            for derivative, data in zip(job.derivatives, future.result(), strict=True):
                write_atomically(derivative.cache_path, data)
        except TaskLost as error:
            use = plan.first_use[job.source_path]
            raise TaskLost(
                f"{use.source_path}: image {use.src!r} not made: {error}; the build stopped and the previous "
                "output was kept"
            ) from None
        except Exception as error:  # whatever the job raised
            _drop(plan, job.source_path)
            message = f"unreadable or broken image ({type(error).__name__}: {error}); shown as a placeholder"
            diagnostics.append(plan.first_use[job.source_path].warning(message))
        advance()
    return len(plan.jobs), diagnostics


def _read_source(path: Path) -> bytes:
    """The source's bytes; a file gone since planning reads as empty and fails as a broken image."""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def prune_cache(plan: ImagePlan, cache_path: Path) -> None:
    """Remove cached derivatives this build did not use."""
    folder = cache_path / "derived"
    used = {path.name for path in plan.files.values() if path.parent == folder}
    for path in folder.glob("*") if folder.is_dir() else []:
        if path.name not in used:
            path.unlink(missing_ok=True)


def _plan_source(
    plan: ImagePlan, path: Path, info: SourceInfo, settings: ImagesConfig, cache_path: Path, urls: SiteUrls
) -> None:
    stem = slugify(path.stem)[:40].rstrip("-") or "image"
    if info.format == "svg":
        url = urls.media(f"{stem}-{info.digest[:12]}.svg")
        plan.files[url] = path
        plan.published[path] = PublishedImage(
            info.width, info.height, (Variant(url, info.width, info.height, "svg"),), "svg"
        )
        return
    widths = _widths(info.width, settings.widths, settings.original)
    fallback = "jpeg" if "jpeg" in settings.formats else ("png" if "png" in settings.formats else settings.formats[-1])
    params = f"{PIPELINE_VERSION}:{settings.quality}:{settings.keep_metadata}:{settings.original}"
    key = hashlib.sha256(f"{info.digest}:{params}".encode()).hexdigest()[:12]
    variants, derivatives = [], []
    for fmt in [f for f in settings.formats if f != fallback] + [fallback]:
        for width in widths:
            height = max(1, round(width * info.height / info.width))
            name = f"{stem}-{key}-{width}.{_EXTENSIONS[fmt]}"
            variants.append(Variant(urls.media(name), width, height, fmt))
            derivatives.append(Derivative(cache_path / "derived" / name, width, height, fmt))
    already_planned = variants[0].url in plan.files  # another file with the same bytes and name
    pairs = zip(variants, derivatives, strict=True)
    plan.files.update({variant.url: derivative.cache_path for variant, derivative in pairs})
    missing = tuple(d for d in derivatives if not d.cache_path.is_file())
    if missing and not already_planned:
        plan.jobs.append(ImageJob(path, missing, settings.quality, settings.keep_metadata, settings.max_pixels))
    animation_url = None
    if info.animated:
        animation_url = urls.media(f"{stem}-{info.digest[:12]}.gif")
        plan.files[animation_url] = path
    largest = variants[-1]
    plan.published[path] = PublishedImage(largest.width, largest.height, tuple(variants), fallback, animation_url)


def _widths(source_width: int, configured: list[int], original: str) -> list[int]:
    """Configured widths below the source's, plus the published original.

    The original is capped at twice the largest configured width ("capped"),
    kept at full size ("full"), or left out ("none"; a source narrower than
    every configured width is then published at its own width).
    """
    smaller = {w for w in configured if w < source_width}
    if original == "full":
        return sorted(smaller | {source_width})
    if original == "none":
        return sorted(smaller or {source_width})
    cap = min(source_width, 2 * max(configured))
    return sorted({w for w in smaller if w < cap} | {cap})


def _drop(plan: ImagePlan, path: Path) -> None:
    published = plan.published.pop(path, None)
    for variant in published.variants if published else ():
        plan.files.pop(variant.url, None)
    if published and published.animation_url:
        plan.files.pop(published.animation_url, None)


class SourceIndex:
    """Header facts about source images, remembered by path, size and mtime.

    A warm build reads no image bytes at all: an unchanged file's digest and
    size come from here.
    """

    def __init__(self, index_path: Path) -> None:
        self.index_path = index_path
        self.entries: dict[str, dict] = {}
        self.used: dict[str, dict] = {}
        try:
            loaded = json.loads(index_path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("version") == PIPELINE_VERSION:
                self.entries = loaded.get("sources", {})
        except (OSError, ValueError):
            self.entries = {}

    def inspect(self, path: Path, max_pixels: int) -> tuple[SourceInfo, None] | tuple[None, str]:
        try:
            stat = path.stat()
        except OSError as error:
            return None, f"cannot read: {error.strerror}"
        stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
        entry = self.entries.get(str(path))
        if entry is None or entry.get("stamp") != stamp:
            info, problem = _read_header(path)
            if problem:
                return None, problem
            entry = {"stamp": stamp, **asdict(info)}
        info = SourceInfo(**{k: v for k, v in entry.items() if k != "stamp"})
        if info.width * info.height > max_pixels:
            return (
                None,
                f"{info.width}x{info.height} pixels exceeds max_pixels; refused as a possible decompression bomb",
            )
        self.used[str(path)] = entry
        return info, None

    def save(self) -> None:
        data = json.dumps({"version": PIPELINE_VERSION, "sources": self.used}, sort_keys=True)
        write_atomically(self.index_path, data.encode("utf-8"))


def _read_header(path: Path) -> tuple[SourceInfo, None] | tuple[None, str]:
    """Digest, displayed size and format, without decoding pixels."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, f"cannot read: {error.strerror}"
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".svg" or data.lstrip()[:5] in (b"<svg ", b"<?xml"):
        problem, (width, height) = check_svg(data)
        if problem:
            return None, f"SVG refused: {problem}"
        return SourceInfo(digest, width, height, "svg", False), None
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                width, height = height, width
            animated = bool(getattr(image, "is_animated", False)) and image.format == "GIF"
            fmt = (image.format or "").lower()
    except Image.DecompressionBombError:
        return None, "too many pixels; refused as a possible decompression bomb"
    except Exception as error:  # Pillow raises many types on broken headers
        return None, f"not a readable image ({type(error).__name__}); shown as a placeholder"
    if width < 1 or height < 1:
        return None, "image has no pixels"
    return SourceInfo(digest, width, height, fmt, animated), None
