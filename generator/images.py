"""Plan the published copy of every local image an article shows.

Each distinct source file (by content) is published once under ``media/``
with a name carrying its digest, however many pages show it. The image is
opened once here, header only, for its size; broken and oversized images
become placeholders with a warning.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from .config import ImagesConfig
from .model import Article, Diagnostic
from .urls import slugify

MEDIA_FOLDER = "media"


@dataclass(frozen=True)
class PublishedImage:
    url: str
    width: int
    height: int


@dataclass
class ImagePlan:
    """Source file → its published image, and the files to copy into the output."""

    published: dict[Path, PublishedImage] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)


def plan_images(articles: Iterable[Article], settings: ImagesConfig, site_path: Path) -> tuple[ImagePlan, list[Diagnostic]]:
    plan = ImagePlan()
    diagnostics: list[Diagnostic] = []
    refused: set[Path] = set()
    for article in articles:
        for ref in article.images:
            if ref.path is None or ref.path in plan.published or ref.path in refused:
                continue
            published, problem = _publish(ref.path, settings)
            if problem:
                refused.add(ref.path)
                diagnostics.append(Diagnostic(article.source_path, f"image {ref.src!r}: {problem}", ref.line))
                continue
            plan.published[ref.path] = published
            plan.copies[published.url] = ref.path
    return plan, diagnostics


def _publish(path: Path, settings: ImagesConfig) -> tuple[PublishedImage, None] | tuple[None, str]:
    try:
        data = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                image.verify()
    except Image.DecompressionBombWarning:
        return None, "too many pixels, refused as a possible decompression bomb; shown as a placeholder"
    except Exception as error:  # Pillow raises many types for broken files
        return None, f"unreadable image ({type(error).__name__}: {error}); shown as a placeholder"
    if width * height > settings.max_pixels:
        return None, f"{width}x{height} exceeds max_pixels; refused as a possible decompression bomb"
    digest = hashlib.sha256(data).hexdigest()[:12]
    name = f"{slugify(path.stem) or 'image'}-{digest}{path.suffix.lower()}"
    return PublishedImage(f"{MEDIA_FOLDER}/{name}", width, height), None
