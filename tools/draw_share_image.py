#!/usr/bin/env python3
"""Draw the default theme's share image, themes/default/static/share.png.

Articles without a lead image show this picture on share cards unless the
site names its own ``share_image``. It is the favicon's archived page, larger,
on a stack of pages in the theme's colours: no text, so it suits any site and
needs no fonts. Drawn at twice the size, reduced, and cut to a small palette,
so the PNG stays small; the same Pillow version writes the same bytes on
every run (checked with Pillow 13.0).

    python tools/draw_share_image.py          # (re)write the image (needs Pillow)
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    from PIL import Image, ImageDraw
except ImportError:  # pragma: no cover
    sys.exit("draw_share_image.py needs Pillow: pip install pillow")

TARGET = Path(__file__).resolve().parents[1] / "themes" / "default" / "static" / "share.png"
WIDTH, HEIGHT = 1200, 630  # the size Open Graph and large Twitter cards expect
SS = 2  # supersampling factor
PAPER = "#fbf9f4"
RULE = "#d9d4c7"
NAVY = "#1f3a5f"
SHEET = "#f7f3ea"
COLOURS = 24


def draw() -> Image.Image:
    """The share image, as a palette image."""
    image = Image.new("RGB", (WIDTH * SS, HEIGHT * SS), PAPER)
    pen = ImageDraw.Draw(image)

    def box(x: float, y: float, w: float, h: float, radius: float, **style: object) -> None:
        pen.rounded_rectangle([x * SS, y * SS, (x + w) * SS, (y + h) * SS], radius=radius * SS, **style)

    for step in range(3):  # the pages stacked behind, each a little further up and to the right
        offset = 24 * (3 - step)
        box(380 + offset, 95 - offset, 440, 440, 28, fill=PAPER, outline=RULE, width=4 * SS)
    box(380, 95, 440, 440, 60, fill=NAVY)  # the favicon: a navy tile ...
    page = [(480, 195), (710, 195), (760, 245), (760, 435), (530, 435), (480, 385)]
    pen.polygon([(x * SS, y * SS) for x, y in page], fill=SHEET)  # ... a page with two cut corners ...
    for y, length in ((265, 170), (315, 170), (365, 120)):  # ... and three lines of text
        box(535, y - 9, length, 18, 9, fill=NAVY)
    box(0, HEIGHT - 18, WIDTH, 18, 0, fill=NAVY)  # a rule along the foot, like the masthead's
    reduced = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    return reduced.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def main() -> None:
    draw().save(TARGET, optimize=True)
    print(f"{TARGET.relative_to(TARGET.parents[3])}: {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
