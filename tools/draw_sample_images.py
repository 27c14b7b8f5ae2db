#!/usr/bin/env python3
"""Draw the illustrations of the sample archive in content/.

Every picture is drawn with Pillow from simple shapes and gradients, so the
sample site needs no downloaded photos. The output is deterministic: all
variation comes from random.Random instances with fixed seeds, and the same
Pillow version writes the same bytes on every run.

    python tools/draw_sample_images.py          # (re)write all images (needs Pillow)
    python tools/draw_sample_images.py --list   # print what would be written

The bytes were checked to be identical across runs with Pillow 13.0.

Special cases kept on purpose, for the generator's tests:
- estuary-survey.jpg is stored rotated (EXIF Orientation 6) and carries GPS
  coordinates, so a build must turn it upright and strip the GPS data;
- town-hall-clock.jpg is portrait (1067x1600);
- town-crest.png is RGBA with a transparent background (800x800);
- garden-beds.gif is a small palette image;
- the Harbour Light mirror (content/mirror/) has only the sizes WordPress made of
  each upload (NAME-1024x683.jpg, -768x512, -300x200), as wget saved them.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from itertools import pairwise
from pathlib import Path

try:
    from PIL import Image, ImageDraw, ImageFilter
    from PIL.TiffImagePlugin import IFDRational
except ImportError:  # pragma: no cover
    sys.exit("draw_sample_images.py needs Pillow: pip install pillow")

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
ND = CONTENT / "northwind-dispatch"
HL_UPLOADS = CONTENT / "mirror" / "www.harbour-light.example" / "wp-content" / "uploads"

SS = 2  # supersampling factor: scenes are drawn at twice the size, then reduced
W, H = 1600, 1067
JPEG_OPTIONS = {"quality": 82, "optimize": True}


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def mix(c1, c2, t):
    t = max(0.0, min(1.0, t))
    return tuple(int(round(a + (b - a) * t)) for a, b in zip(c1, c2, strict=True))


def sample_stops(stops, t):
    for (p0, c0), (p1, c1) in pairwise(stops):
        if t <= p1:
            return mix(c0, c1, (t - p0) / max(1e-9, p1 - p0))
    return stops[-1][1]


def ridge(rng, x0, x1, y, amp, levels=7, rough=0.55):
    """A jagged horizon line (midpoint displacement), as (x, y) points."""
    ys = [y + rng.uniform(-amp, amp) * 0.5, y + rng.uniform(-amp, amp) * 0.5]
    a = amp
    for _ in range(levels):
        out = []
        for i in range(len(ys) - 1):
            out.append(ys[i])
            out.append((ys[i] + ys[i + 1]) / 2 + rng.uniform(-a, a))
        out.append(ys[-1])
        ys = out
        a *= rough
    n = len(ys) - 1
    return [(x0 + (x1 - x0) * i / n, v) for i, v in enumerate(ys)]


class Canvas:
    """An RGBA picture addressed in output pixels, drawn at SS times the size."""

    def __init__(self, w=W, h=H, color=(0, 0, 0)):
        self.w, self.h = w, h
        # RGB, so that ImageDraw in "RGBA" mode blends translucent fills
        self.img = Image.new("RGB", (w * SS, h * SS), color)
        self.d = ImageDraw.Draw(self.img, "RGBA")

    # coordinates -------------------------------------------------------
    @staticmethod
    def pts(points):
        return [(x * SS, y * SS) for x, y in points]

    @staticmethod
    def box(x0, y0, x1, y1):
        return [x0 * SS, y0 * SS, x1 * SS, y1 * SS]

    # primitives --------------------------------------------------------
    def gradient(self, y0, y1, stops, x0=0, x1=None):
        """Vertical gradient between rows y0 and y1."""
        x1 = self.w if x1 is None else x1
        n = max(2, int((y1 - y0) * SS))
        strip = Image.new("RGB", (1, n))
        strip.putdata([sample_stops(stops, i / (n - 1)) for i in range(n)])
        strip = strip.resize((max(1, int((x1 - x0) * SS)), n), Image.Resampling.NEAREST)
        self.img.paste(strip, (int(x0 * SS), int(y0 * SS)))

    def poly(self, points, fill, outline=None, width=1):
        self.d.polygon(self.pts(points), fill=fill, outline=outline, width=int(width * SS) if outline else 0)

    def rect(self, x0, y0, x1, y1, fill, outline=None, width=1):
        self.d.rectangle(self.box(x0, y0, x1, y1), fill=fill, outline=outline, width=int(width * SS))

    def ellipse(self, x0, y0, x1, y1, fill, outline=None, width=1):
        self.d.ellipse(self.box(x0, y0, x1, y1), fill=fill, outline=outline, width=int(width * SS))

    def circle(self, x, y, r, fill, outline=None, width=1):
        self.ellipse(x - r, y - r, x + r, y + r, fill, outline, width)

    def line(self, points, fill, width=1):
        self.d.line(self.pts(points), fill=fill, width=max(1, int(round(width * SS))), joint="curve")

    # layers ------------------------------------------------------------
    def layer(self, color=(0, 0, 0)):
        """A transparent layer; its colour matters where a blur spreads the edges."""
        lay = Image.new("RGBA", self.img.size, color + (0,))
        return lay, ImageDraw.Draw(lay, "RGBA")

    def blend(self, lay, blur=0):
        if blur:
            lay = lay.filter(ImageFilter.GaussianBlur(blur * SS))
        self.img.paste(lay, (0, 0), lay)

    def glow(self, x, y, r, color, alpha=200):
        lay, d = self.layer(color)
        d.ellipse(self.box(x - r, y - r, x + r, y + r), fill=color + (alpha,))
        self.blend(lay, blur=r * 0.6)

    def cloud(self, rng, x, y, w, h, color, alpha=220, blur=10):
        lay, d = self.layer(color)
        for _ in range(14):
            cx = x + rng.uniform(-0.5, 0.5) * w
            cy = y + rng.uniform(-0.3, 0.2) * h
            rx = rng.uniform(0.18, 0.35) * w
            ry = rng.uniform(0.35, 0.6) * h * (1 - abs(cx - x) / w)
            d.ellipse(self.box(cx - rx, cy - ry, cx + rx, cy + ry * 0.6), fill=color + (alpha,))
        self.blend(lay, blur=blur)

    def reflect(self, water_y, depth, tint, strength=0.55, ripple=3.0, seed=0):
        """Mirror what lies above water_y into the water, rippled and tinted."""
        wy, dp = int(water_y * SS), int(depth * SS)
        src = self.img.crop((0, wy - dp, self.img.width, wy)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        rippled = src.copy()
        band = 2 * SS
        rng = random.Random(seed)
        phase = rng.uniform(0, 6.28)
        for y in range(0, src.height, band):
            k = y / src.height
            dx = int(math.sin(y / (7.0 * SS) + phase) * ripple * SS * (0.4 + k))
            rippled.paste(src.crop((0, y, src.width, y + band)), (dx, y))
        rippled = Image.blend(rippled, Image.new("RGB", src.size, tint), 0.35)
        mask = Image.new("L", (1, src.height))
        mask.putdata([int(255 * strength * (1 - y / src.height) ** 1.3) for y in range(src.height)])
        mask = mask.resize(src.size)
        base = self.img.crop((0, wy, self.img.width, wy + src.height))
        base.paste(rippled, (0, 0), mask)
        self.img.paste(base, (0, wy))

    def water_streaks(self, rng, y0, y1, color, count, alpha=70, length=(20, 120)):
        for _ in range(count):
            y = rng.uniform(y0, y1)
            k = (y - y0) / max(1, y1 - y0)
            x = rng.uniform(-50, self.w)
            ln = rng.uniform(*length) * (0.5 + k)
            self.line([(x, y), (x + ln, y)], color + (alpha,), width=1 + 2 * k)

    def vignette(self, strength=0.35):
        mask = Image.radial_gradient("L").resize(self.img.size)
        dark = Image.new("RGB", self.img.size, (0, 0, 0))
        mask = mask.point(lambda v: int(max(0, v - 100) * strength * 255 / 155))
        self.img.paste(dark, (0, 0), mask)

    def finish(self):
        return self.img.resize((self.w, self.h), Image.Resampling.LANCZOS)


def person(c, x, y, h, coat, rng, hair=None):
    """A simple standing figure whose feet are at (x, y)."""
    hw = h * 0.16
    skin = rng.choice([(232, 196, 170), (198, 150, 112), (150, 104, 74), (238, 208, 184)])
    hair = hair or rng.choice([(40, 30, 25), (90, 60, 35), (160, 130, 90), (200, 200, 195)])
    legs = rng.choice([(40, 45, 60), (60, 60, 62), (88, 80, 70), (30, 30, 35)])
    c.rect(x - hw * 0.8, y - h * 0.45, x - hw * 0.1, y, legs)
    c.rect(x + hw * 0.1, y - h * 0.45, x + hw * 0.8, y, legs)
    c.d.rounded_rectangle(c.box(x - hw, y - h * 0.82, x + hw, y - h * 0.38), radius=hw * 0.5 * SS, fill=coat)
    c.circle(x, y - h * 0.9, h * 0.1, skin)
    c.d.chord(c.box(x - h * 0.105, y - h * 1.005, x + h * 0.105, y - h * 0.8), 180, 360, fill=hair)


def tree(c, rng, x, y, h, dark=(46, 92, 52), light=(96, 150, 80)):
    c.rect(x - h * 0.04, y - h * 0.45, x + h * 0.04, y, (88, 66, 48))
    for i in range(9):
        t = i / 8
        cx = x + rng.uniform(-0.22, 0.22) * h
        cy = y - h * (0.5 + 0.4 * rng.random())
        r = h * rng.uniform(0.16, 0.26)
        c.circle(cx, cy, r, mix(dark, light, t * 0.8 + 0.1 * rng.random()))


def gabled_house(c, x, base, w, h, wall, roof, rng, lit=False):
    c.rect(x, base - h, x + w, base, wall)
    c.poly([(x - 6, base - h), (x + w / 2, base - h - w * 0.45), (x + w + 6, base - h)], roof)
    cols = max(1, int(w // 46))
    rows = max(1, int(h // 60))
    for r in range(rows):
        for k in range(cols):
            wx = x + (k + 0.5) * w / cols - 11
            wy = base - h + 18 + r * (h - 20) / rows
            glass = (255, 212, 130) if lit and rng.random() < 0.6 else (70, 86, 104)
            c.rect(wx, wy, wx + 22, wy + 30, glass, outline=(236, 232, 222), width=2)


# --------------------------------------------------------------------------
# the harbour bridge (three views)
# --------------------------------------------------------------------------


def suspension_bridge(c, deck_y, towers, color, cable, water_y, lamps_lit=False):
    x_left, x_right = -40, c.w + 40
    # towers
    for tx in towers:
        c.rect(tx - 22, deck_y - 300, tx - 8, water_y, color)
        c.rect(tx + 8, deck_y - 300, tx + 22, water_y, color)
        c.rect(tx - 30, water_y - 24, tx + 30, water_y + 4, (150, 146, 136))
        for yy in (deck_y - 290, deck_y - 190, deck_y - 60):
            c.rect(tx - 22, yy, tx + 22, yy + 14, color)
        c.rect(tx - 26, deck_y - 306, tx + 26, deck_y - 294, mix(color, (255, 255, 255), 0.15))
    # main cables as parabolas between and beyond the towers
    t0, t1 = towers
    top = deck_y - 296
    pts = []
    for i in range(41):
        x = t0 + (t1 - t0) * i / 40
        u = (i / 40 - 0.5) * 2
        pts.append((x, top + (1 - u * u) * 250))
    c.line(pts, cable, 4)
    c.line([(x_left, deck_y - 20), (t0, top)], cable, 4)
    c.line([(t1, top), (x_right, deck_y - 20)], cable, 4)
    # hangers
    for x, y in pts[1:-1]:
        c.line([(x, y), (x, deck_y)], cable, 1.2)
    for i in range(1, 8):
        x = x_left + (t0 - x_left) * i / 8
        y = deck_y - 20 + (top - deck_y + 20) * i / 8
        c.line([(x, y), (x, deck_y)], cable, 1.2)
        x = t1 + (x_right - t1) * i / 8
        y = top + (deck_y - 20 - top) * i / 8
        c.line([(x, y), (x, deck_y)], cable, 1.2)
    # deck with panel joints and railing
    c.rect(x_left, deck_y, x_right, deck_y + 26, mix(color, (40, 40, 40), 0.35))
    c.rect(x_left, deck_y + 26, x_right, deck_y + 36, mix(color, (20, 20, 20), 0.6))
    for x in range(-40, c.w + 40, 38):
        c.line([(x, deck_y + 2), (x, deck_y + 24)], mix(color, (20, 20, 20), 0.5), 1)
    c.line([(x_left, deck_y - 12), (x_right, deck_y - 12)], cable, 2)
    for x in range(-40, c.w + 40, 12):
        c.line([(x, deck_y - 12), (x, deck_y)], cable, 1)
    for x in range(40, c.w, 160):
        c.rect(x - 2, deck_y - 52, x + 2, deck_y, (60, 64, 66))
        c.rect(x - 7, deck_y - 58, x + 7, deck_y - 50, (60, 64, 66))
        if lamps_lit:
            c.glow(x, deck_y - 52, 26, (255, 214, 140), 230)
            c.circle(x, deck_y - 52, 5, (255, 246, 220))


def fishing_boat(c, x, y, s, hull, cabin):
    c.poly([(x - 90 * s, y - 30 * s), (x + 100 * s, y - 30 * s), (x + 80 * s, y), (x - 75 * s, y)], hull)
    c.rect(x - 90 * s, y - 34 * s, x + 100 * s, y - 28 * s, (240, 240, 236))
    c.rect(x - 20 * s, y - 80 * s, x + 40 * s, y - 30 * s, cabin)
    c.rect(x - 12 * s, y - 72 * s, x + 2 * s, y - 58 * s, (60, 80, 96))
    c.rect(x + 10 * s, y - 72 * s, x + 30 * s, y - 58 * s, (60, 80, 96))
    c.line([(x - 50 * s, y - 30 * s), (x - 50 * s, y - 160 * s)], (70, 70, 70), 3 * s)
    c.line([(x - 50 * s, y - 150 * s), (x + 30 * s, y - 80 * s)], (90, 90, 90), 1.5 * s)
    # a dark, soft reflection under the hull
    c.poly(
        [(x - 75 * s, y), (x + 80 * s, y), (x + 70 * s, y + 22 * s), (x - 65 * s, y + 22 * s)],
        mix(hull, (20, 40, 50), 0.6) + (120,),
    )


def harbour_bridge(seed, dusk=False):
    rng = random.Random(seed)
    c = Canvas()
    horizon = 610
    if dusk:
        sky = [(0, (28, 38, 76)), (0.55, (96, 84, 128)), (0.85, (232, 140, 96)), (1, (250, 196, 130))]
        water = [(0, (70, 62, 88)), (1, (18, 26, 44))]
    else:
        sky = [(0, (78, 128, 190)), (0.6, (160, 196, 226)), (1, (234, 226, 208))]
        water = [(0, (112, 150, 166)), (1, (34, 70, 88))]
    c.gradient(0, horizon, sky)
    if dusk:
        c.glow(300, 560, 150, (255, 190, 120), 160)
    else:
        c.glow(1260, 250, 120, (255, 248, 224), 190)
        for _ in range(5):
            c.cloud(
                rng,
                rng.uniform(100, 1500),
                rng.uniform(80, 300),
                rng.uniform(220, 420),
                rng.uniform(50, 90),
                (252, 252, 250),
                210,
                12,
            )
    far = (106, 126, 150) if not dusk else (70, 60, 96)
    near = (84, 110, 104) if not dusk else (44, 42, 66)
    c.poly(ridge(rng, -20, c.w + 20, 500, 80) + [(c.w + 20, horizon), (-20, horizon)], far)
    c.poly(ridge(rng, -20, c.w + 20, 560, 50) + [(c.w + 20, horizon), (-20, horizon)], near)
    # east bank town
    x = 960
    while x < c.w:
        w = rng.uniform(60, 110)
        h = rng.uniform(70, 150)
        wall = rng.choice(
            [(226, 214, 190), (196, 88, 70), (238, 196, 120), (150, 176, 190), (220, 222, 214), (122, 150, 120)]
        )
        if dusk:
            wall = mix(wall, (50, 44, 70), 0.55)
        gabled_house(c, x, horizon, w, h, wall, (70, 64, 70), rng, lit=dusk)
        x += w + rng.uniform(2, 10)
    # west bank warehouses
    for i in range(4):
        x0 = -20 + i * 120
        wall = mix((156, 110, 86), (60, 50, 70), 0.55 if dusk else 0.0)
        c.rect(x0, horizon - 120 - 10 * (i % 2), x0 + 112, horizon, wall)
        c.poly(
            [
                (x0, horizon - 120 - 10 * (i % 2)),
                (x0 + 56, horizon - 160 - 10 * (i % 2)),
                (x0 + 112, horizon - 120 - 10 * (i % 2)),
            ],
            (86, 70, 66),
        )
        for k in range(3):
            c.d.rounded_rectangle(
                c.box(x0 + 14 + k * 32, horizon - 80, x0 + 36 + k * 32, horizon - 40), radius=10 * SS, fill=(48, 44, 46)
            )
    steel = (104, 132, 118) if not dusk else (62, 78, 74)
    suspension_bridge(c, 420, (430, 1170), steel, (70, 88, 80), horizon, lamps_lit=dusk)
    c.gradient(horizon, c.h, water)
    c.reflect(horizon, 330, water[0][1], strength=0.6, ripple=4, seed=seed)
    c.water_streaks(rng, horizon + 5, c.h, (230, 236, 240) if not dusk else (250, 200, 150), 260, alpha=60)
    fishing_boat(c, 1180, 860, 1.2, (176, 46, 40), (236, 232, 220))
    fishing_boat(c, 560, 760, 0.8, (40, 74, 120), (230, 226, 212))
    # quay wall and bollard in the foreground
    c.poly([(-20, 950), (520, 1000), (520, c.h + 5), (-20, c.h + 5)], (128, 120, 110))
    for i in range(0, 560, 70):
        c.line([(i - 20, 952 + i * 0.09), (i - 20, c.h)], (98, 92, 84), 2)
    c.line([(-20, 990), (520, 1035)], (98, 92, 84), 2)
    c.d.rounded_rectangle(c.box(300, 900, 350, 990), radius=12 * SS, fill=(40, 40, 42))
    c.ellipse(292, 890, 358, 912, (56, 56, 58))
    c.line([(330, 930), (500, 880), (760, 830)], (196, 170, 120), 4)
    c.vignette(0.3 if not dusk else 0.45)
    img = c.finish()
    return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if dusk else img


def bridge_opening(seed):
    rng = random.Random(seed)
    c = Canvas()
    c.gradient(0, 520, [(0, (96, 146, 204)), (1, (214, 226, 236))])
    for _ in range(4):
        c.cloud(
            rng,
            rng.uniform(100, 1500),
            rng.uniform(60, 260),
            rng.uniform(200, 380),
            rng.uniform(40, 80),
            (255, 255, 255),
            200,
            10,
        )
    vx, vy = 800, 470
    c.poly(ridge(rng, -20, c.w + 20, 455, 40) + [(c.w + 20, 520), (-20, 520)], (108, 130, 150))
    c.gradient(500, c.h, [(0, (120, 156, 172)), (1, (50, 86, 104))])
    c.water_streaks(rng, 505, c.h, (236, 240, 244), 160, alpha=70)
    # deck converging to the vanishing point
    c.poly([(vx - 40, vy), (vx + 40, vy), (c.w + 300, c.h), (-300, c.h)], (92, 94, 98))
    for side in (-1, 1):
        c.poly(
            [(vx + side * 30, vy), (vx + side * 34, vy), (vx + side * 660, c.h), (vx + side * 640, c.h)],
            (236, 236, 228),
        )
    for i in range(14):
        t0, t1 = (i / 14) ** 2, ((i + 0.45) / 14) ** 2
        y0, y1 = vy + (c.h - vy) * t0, vy + (c.h - vy) * t1
        c.poly(
            [(vx - 1 - 8 * t0, y0), (vx + 1 + 8 * t0, y0), (vx + 1 + 8 * t1, y1), (vx - 1 - 8 * t1, y1)],
            (240, 240, 232),
        )
    steel = (104, 132, 118)
    for side in (-1, 1):
        # railings and a tower on each side
        c.poly(
            [
                (vx + side * 40, vy),
                (vx + side * 44, vy - 10),
                (vx + side * (c.w / 2 + 320), c.h - 160),
                (vx + side * (c.w / 2 + 320), c.h),
            ],
            mix(steel, (40, 40, 40), 0.25),
        )
        tx = vx + side * 330
        c.rect(min(tx, tx + side * 70), 40, max(tx, tx + side * 70), 700, steel)
        c.rect(min(tx, tx + side * 70) - 10, 30, max(tx, tx + side * 70) + 10, 60, mix(steel, (255, 255, 255), 0.15))
        for k in range(10):
            t = k / 10
            x = vx + side * (60 + t * t * 700)
            y = vy - 10 + t * t * 500
            c.line([(x, y), (x, y - 40 - 160 * t * t)], (76, 92, 84), 1.5 + 3 * t)
        c.line([(tx + side * 35, 60), (vx + side * 50, vy - 40)], (70, 88, 80), 5)
        c.line([(tx + side * 35, 60), (vx + side * (c.w / 2 + 300), 520)], (70, 88, 80), 6)
    # bunting between the towers
    colors = [(200, 40, 48), (240, 200, 60), (40, 90, 160), (250, 250, 250), (40, 140, 90)]
    for row, (y0, sag) in enumerate(((150, 60), (230, 50))):
        pts = [(480 + 640 * i / 24, y0 + sag * math.sin(math.pi * i / 24)) for i in range(25)]
        c.line(pts, (60, 60, 60), 1.5)
        for i, (x, y) in enumerate(pts[:-1]):
            c.poly(
                [(x, y), (pts[i + 1][0], pts[i + 1][1]), ((x + pts[i + 1][0]) / 2, y + 26)],
                colors[(i + row) % len(colors)],
            )
    # ribbon across the road
    c.poly([(300, 742), (1300, 742), (1300, 760), (300, 760)], (196, 24, 40))
    c.poly([(790, 736), (812, 736), (830, 800), (802, 770), (776, 800)], (176, 18, 32))
    c.rect(290, 700, 306, 880, (70, 70, 70))
    c.rect(1294, 700, 1310, 880, (70, 70, 70))
    # crowd on both sides of the ribbon
    coats = [
        (196, 62, 52),
        (40, 70, 120),
        (236, 196, 70),
        (70, 110, 80),
        (120, 120, 126),
        (170, 90, 140),
        (230, 230, 226),
        (60, 60, 64),
        (200, 120, 60),
    ]
    people = []
    for _ in range(46):
        y = rng.uniform(700, 1060)
        x = rng.uniform(-20, c.w + 20)
        if 560 < x < 1040 and y < 900:
            continue
        people.append((y, x))
    for y, x in sorted(people):
        person(c, x, y, 90 + (y - 700) * 0.55, rng.choice(coats), rng)
    # two cyclists waiting to be first across
    for x in (680, 910):
        person(c, x, 930, 170, (240, 200, 40), rng)
        bx = x + 30
        c.circle(bx - 40, 905, 34, None, (30, 30, 30), 5)
        c.circle(bx + 45, 905, 34, None, (30, 30, 30), 5)
        c.line([(bx - 40, 905), (bx - 5, 850), (bx + 45, 905), (bx + 25, 845), (bx - 5, 850)], (30, 110, 170), 5)
        c.line([(bx + 25, 845), (bx + 35, 830), (bx + 20, 826)], (30, 30, 30), 4)
        c.line([(bx - 5, 850), (bx - 10, 835)], (30, 30, 30), 4)
    c.vignette(0.25)
    return c.finish()


# --------------------------------------------------------------------------
# weather and coast
# --------------------------------------------------------------------------


def storm_coast_road(seed):
    rng = random.Random(seed)
    c = Canvas()
    horizon = 430
    c.gradient(0, horizon, [(0, (44, 50, 60)), (0.6, (88, 96, 106)), (1, (150, 152, 148))])
    for _ in range(18):
        shade = rng.randint(40, 90)
        c.cloud(
            rng,
            rng.uniform(-100, 1700),
            rng.uniform(-20, 300),
            rng.uniform(300, 600),
            rng.uniform(70, 140),
            (shade, shade + 4, shade + 12),
            200,
            18,
        )
    c.glow(1150, 380, 160, (200, 204, 196), 90)
    # headland with a lighthouse
    c.poly(ridge(rng, 1080, 1640, 330, 40, 6) + [(1640, horizon + 20), (1080, horizon + 20)], (46, 52, 50))
    c.poly([(1404, 300), (1426, 300), (1432, 250), (1398, 250)], (232, 230, 224))
    c.rect(1396, 236, 1434, 252, (60, 60, 60))
    c.glow(1415, 244, 30, (255, 236, 180), 200)
    c.gradient(horizon, c.h, [(0, (86, 100, 104)), (1, (40, 56, 60))])
    c.water_streaks(rng, horizon + 4, 800, (220, 226, 226), 420, alpha=110, length=(10, 60))
    # sea wall with railings along the road
    wall = [(-20, 760), (700, 600), (1100, 520), (1640, 470)]
    c.poly(wall + [(1640, 500), (1100, 552), (700, 640), (-20, 820)], (120, 118, 110))
    c.line([(x, y - 40) for x, y in wall], (170, 170, 166), 3)
    for i in range(60):
        t = i / 59
        x = -20 + 1660 * t
        y = 760 - 290 * t**0.8
        c.line([(x, y), (x, y - 40 * (1 - 0.6 * t))], (170, 170, 166), 2 * (1 - 0.5 * t))
    # breaking waves: plumes of spray rising over the wall
    lay, d = c.layer((240, 244, 244))
    for px in (180, 560, 960, 1300):
        wy = 760 - (px + 20) / 1660 * 290
        for _ in range(45):
            x = px + rng.gauss(0, 60)
            y = wy - abs(rng.gauss(0, 70)) - 20
            r = rng.uniform(10, 34)
            d.ellipse(c.box(x - r, y - r * 0.8, x + r, y + r * 0.8), fill=(240, 244, 244, rng.randint(90, 170)))
    c.blend(lay, blur=7)
    # grass verge on the landward side
    c.poly([(1640, 560), (1260, 660), (1150, 800), (1110, c.h + 10), (1640, c.h + 10)], (64, 74, 56))
    for _ in range(160):
        x, y = rng.uniform(1140, 1640), rng.uniform(600, c.h)
        if y < 560 + (1640 - x) * 0.26:
            continue
        c.line(
            [(x, y), (x + rng.uniform(-8, 8), y - rng.uniform(12, 30))],
            rng.choice([(84, 98, 66), (52, 62, 46), (100, 110, 76)]),
            2,
        )
    # the wet road
    c.poly(
        [
            (-20, 820),
            (700, 640),
            (1100, 552),
            (1640, 500),
            (1640, 560),
            (1260, 660),
            (1150, 800),
            (1110, c.h + 10),
            (-20, c.h + 10),
        ],
        (62, 64, 68),
    )
    c.ellipse(180, 960, 640, 1040, (112, 118, 126, 150))
    c.ellipse(760, 900, 1000, 940, (112, 118, 126, 130))
    for i in range(14):
        t0, t1 = i / 14, (i + 0.45) / 14
        p0 = (40 + 1560 * t0**1.15, 980 - 450 * t0**0.75)
        p1 = (40 + 1560 * t1**1.15, 980 - 450 * t1**0.75)
        c.line([p0, p1], (226, 222, 200), 8 * (1 - 0.8 * t0))
    # shingle and weed thrown on the road
    for _ in range(500):
        x = rng.uniform(0, 1200)
        y = 780 - x * 0.22 + rng.uniform(0, 70) * (1.4 - x / 1200)
        g = rng.randint(110, 170)
        c.circle(x, y, rng.uniform(2, 6) * (1.3 - x / 1500), (g, g - 6, g - 16))
    for _ in range(30):
        x = rng.uniform(0, 1100)
        y = 800 - x * 0.22 + rng.uniform(0, 50)
        c.line([(x, y), (x + rng.uniform(-30, 30), y + rng.uniform(-8, 8))], (56, 72, 40), 4)
    # road closed barrier and cones
    bx, by = 520, 880
    c.rect(bx - 8, by - 150, bx + 2, by, (230, 230, 230))
    c.rect(bx + 318, by - 150, bx + 328, by, (230, 230, 230))
    c.rect(bx - 20, by - 150, bx + 340, by - 100, (244, 244, 240))
    for k in range(7):
        x = bx - 20 + k * 45 + 20
        c.poly([(x, by - 150), (x + 24, by - 150), (x + 48, by - 100), (x + 24, by - 100)], (206, 30, 36))
    c.rect(bx - 20, by - 150, bx + 340, by - 100, None, (60, 60, 60), 2)
    c.circle(bx + 160, by - 190, 34, (244, 244, 240), (206, 30, 36), 10)
    c.rect(bx + 156, by - 156, bx + 164, by - 150, (120, 120, 120))
    for x, y in ((420, 920), (960, 905)):
        c.poly([(x - 30, y), (x + 30, y), (x + 8, y - 90), (x - 8, y - 90)], (238, 110, 30))
        c.poly([(x - 20, y - 40), (x + 20, y - 40), (x + 15, y - 58), (x - 15, y - 58)], (245, 245, 240))
        c.rect(x - 40, y - 6, x + 40, y + 4, (40, 40, 40))
    # rain
    lay, d = c.layer((210, 216, 222))
    for _ in range(900):
        x, y = rng.uniform(-100, c.w), rng.uniform(-50, c.h)
        ln = rng.uniform(30, 70)
        d.line(
            [(x * SS, y * SS), ((x + ln * 0.3) * SS, (y + ln) * SS)],
            fill=(210, 216, 222, rng.randint(30, 70)),
            width=SS,
        )
    c.blend(lay)
    c.vignette(0.45)
    return c.finish()


def ferry_landing(seed):
    """A timber landing stage on piles at low tide, the far bank behind."""
    rng = random.Random(seed)
    c = Canvas()
    horizon = 470
    c.gradient(0, horizon, [(0, (132, 166, 196)), (1, (222, 228, 226))])
    for _ in range(5):
        c.cloud(
            rng,
            rng.uniform(80, 1520),
            rng.uniform(50, 260),
            rng.uniform(260, 460),
            rng.uniform(30, 60),
            (248, 248, 246),
            180,
            12,
        )
    c.poly(ridge(rng, -20, c.w + 20, 420, 36) + [(c.w + 20, horizon), (-20, horizon)], (104, 126, 112))
    for k in range(9):
        gabled_house(
            c, 140 + k * 150, horizon, 110, 70, mix((226, 214, 190), (170, 190, 206), k / 8), (96, 84, 80), rng
        )
    c.gradient(horizon, 700, [(0, (120, 150, 166)), (1, (84, 112, 126))])
    c.water_streaks(rng, horizon + 10, 690, (230, 236, 240), 60)
    c.gradient(700, c.h, [(0, (112, 98, 78)), (1, (78, 66, 52))])
    for _ in range(90):
        x, y = rng.uniform(0, c.w), rng.uniform(710, c.h)
        c.ellipse(x - 30, y - 3, x + 30, y + 3, (140, 126, 100, 90))
    deck = 560
    for k in range(8):
        x = 260 + k * 150
        c.rect(x - 14, deck, x + 14, 900 + (k % 3) * 30, (74, 60, 46))
        c.rect(x - 14, 760, x + 14, 900 + (k % 3) * 30, (58, 92, 58, 200))
    c.rect(200, deck - 30, 1400, deck + 10, (150, 118, 82))
    c.rect(200, deck - 34, 1400, deck - 28, (176, 146, 108))
    for k in range(13):
        x = 210 + k * 99
        c.rect(x, deck - 110, x + 8, deck - 30, (120, 96, 70))
    c.line([(200, deck - 100), (1400, deck - 100)], (120, 96, 70), 6)
    c.line([(1400, deck - 20), (1600, 640)], (150, 118, 82), 30)
    fishing_boat(c, 420, 905, 1.1, (48, 86, 140), (236, 232, 220))
    c.vignette(0.25)
    return c.finish()


def estuary_survey(seed):
    """Low tide in the estuary with seagrass and a survey quadrat (upright)."""
    rng = random.Random(seed)
    c = Canvas()
    horizon = 390
    c.gradient(0, horizon, [(0, (150, 180, 206)), (1, (230, 232, 226))])
    for _ in range(4):
        c.cloud(
            rng,
            rng.uniform(100, 1500),
            rng.uniform(60, 240),
            rng.uniform(300, 500),
            rng.uniform(30, 60),
            (250, 250, 248),
            170,
            14,
        )
    c.poly(ridge(rng, -20, c.w + 20, 340, 40) + [(c.w + 20, horizon), (-20, horizon)], (120, 140, 130))
    c.poly(ridge(rng, -20, c.w + 20, 372, 16) + [(c.w + 20, horizon), (-20, horizon)], (96, 118, 96))
    # mudflats
    c.gradient(horizon, c.h, [(0, (150, 140, 118)), (1, (104, 90, 70))])
    # winding channels of shallow water reflecting the sky
    for k, (x0, width) in enumerate(((300, 60), (1100, 90))):
        left, right = [], []
        for i in range(40):
            t = i / 39
            y = horizon + (c.h - horizon) * t
            x = x0 + math.sin(t * 5 + k) * 180 * t + (t * t * 400 if k else -t * t * 300)
            wdt = 6 + width * t * t + 10
            left.append((x - wdt, y))
            right.append((x + wdt, y))
        c.poly(left + right[::-1], (182, 200, 212))
        c.line(left, (120, 110, 92), 2)
    # seagrass patches: many short, dark green blades
    for _ in range(40):
        px = rng.uniform(-50, c.w + 50)
        py = rng.uniform(horizon + 30, c.h)
        k = (py - horizon) / (c.h - horizon)
        for _ in range(int(20 + 40 * k)):
            x = px + rng.gauss(0, 60 * (0.3 + k))
            y = py + rng.gauss(0, 14 * (0.3 + k))
            ln = (8 + 30 * k) * rng.uniform(0.6, 1.3)
            lean = rng.uniform(-0.6, 0.6) * ln
            g = rng.choice([(52, 92, 54), (70, 110, 60), (40, 74, 48), (96, 128, 70)])
            c.line([(x, y), (x + lean * 0.5, y - ln * 0.6), (x + lean, y - ln)], g, 1 + 2 * k)
    # a dinghy lying on the mud
    c.poly([(1260, 600), (1440, 590), (1420, 630), (1290, 640)], (230, 226, 214))
    c.poly([(1266, 604), (1432, 595), (1426, 606), (1272, 614)], (60, 98, 140))
    c.line([(1300, 640), (1180, 700)], (170, 150, 110), 2)
    # the survey quadrat (yellow frame) and a striped measuring pole
    q = [(460, 770), (900, 760), (980, 990), (400, 1010)]
    for a, b in zip(q, q[1:] + q[:1], strict=True):
        c.line([a, b], (244, 200, 40), 10)
    for t in (1 / 3, 2 / 3):
        a = (q[0][0] + (q[1][0] - q[0][0]) * t, q[0][1] + (q[1][1] - q[0][1]) * t)
        b = (q[3][0] + (q[2][0] - q[3][0]) * t, q[3][1] + (q[2][1] - q[3][1]) * t)
        c.line([a, b], (250, 250, 240), 2)
        a = (q[0][0] + (q[3][0] - q[0][0]) * t, q[0][1] + (q[3][1] - q[0][1]) * t)
        b = (q[1][0] + (q[2][0] - q[1][0]) * t, q[1][1] + (q[2][1] - q[1][1]) * t)
        c.line([a, b], (250, 250, 240), 2)
    for k in range(8):
        y0 = 560 + k * 50
        c.poly(
            [(1100 + k * 3, y0), (1118 + k * 3, y0), (1121 + k * 3, y0 + 50), (1103 + k * 3, y0 + 50)],
            (200, 40, 40) if k % 2 == 0 else (245, 245, 240),
        )
    c.vignette(0.25)
    return c.finish()


# --------------------------------------------------------------------------
# town scenes
# --------------------------------------------------------------------------


def market_stalls(seed):
    rng = random.Random(seed)
    c = Canvas()
    c.gradient(0, 300, [(0, (120, 170, 216)), (1, (210, 226, 236))])
    # a terrace of quayside houses
    x = -20
    while x < c.w:
        w = rng.uniform(130, 200)
        h = rng.uniform(330, 430)
        wall = rng.choice(
            [(230, 214, 180), (200, 110, 90), (150, 180, 196), (236, 232, 220), (210, 176, 110), (146, 170, 140)]
        )
        c.rect(x, 640 - h, x + w, 640, wall)
        c.rect(x - 4, 640 - h - 16, x + w + 4, 640 - h, (80, 76, 80))
        for r in range(3):
            for k in range(2):
                wx = x + w * (0.22 + 0.42 * k)
                wy = 640 - h + 40 + r * 110
                if wy + 70 < 600:
                    c.rect(wx, wy, wx + w * 0.2, wy + 70, (72, 90, 108), (240, 238, 230), 3)
        c.rect(x + w * 0.4, 540, x + w * 0.6, 640, (70, 60, 56))
        x += w
    # cobbles
    c.gradient(640, c.h, [(0, (150, 142, 128)), (1, (120, 110, 96))])
    for row in range(30):
        y = 650 + row * row * 0.47 + row * 2
        size = 8 + row * 1.4
        off = (row % 2) * size
        for k in range(int(c.w / (size * 2)) + 2):
            cx = k * size * 2 + off + rng.uniform(-2, 2)
            g = rng.randint(120, 165)
            c.ellipse(cx - size * 0.85, y - size * 0.3, cx + size * 0.85, y + size * 0.3, (g, g - 8, g - 20))
    # bunting
    flags = [(210, 50, 50), (250, 210, 70), (40, 110, 180), (250, 250, 250), (50, 150, 100)]
    pts = [(c.w * i / 40, 150 + 40 * math.sin(math.pi * (i % 10) / 10)) for i in range(41)]
    c.line(pts, (70, 70, 70), 1.5)
    for i, (x, y) in enumerate(pts[:-1]):
        c.poly([(x, y), pts[i + 1], ((x + pts[i + 1][0]) / 2, y + 30)], flags[i % 5])
    # stalls
    awnings = [
        ((206, 44, 52), (250, 246, 236)),
        ((40, 100, 160), (250, 246, 236)),
        ((44, 130, 84), (250, 246, 236)),
        ((240, 170, 50), (250, 246, 236)),
    ]
    produce = [(200, 40, 40), (240, 150, 40), (110, 170, 60), (230, 210, 70), (120, 60, 120)]
    for i, sx in enumerate((60, 440, 820, 1200)):
        sw = 340
        top, base = 470, 780
        c.rect(sx + 6, top, sx + 14, base, (110, 100, 96))
        c.rect(sx + sw - 14, top, sx + sw - 6, base, (110, 100, 96))
        stripes = 8
        for k in range(stripes):
            x0 = sx - 20 + (sw + 40) * k / stripes
            x1 = sx - 20 + (sw + 40) * (k + 1) / stripes
            col = awnings[i][k % 2]
            c.poly(
                [
                    (x0 + 20 * (1 - k / stripes), top - 70),
                    (x1 + 20 * (1 - (k + 1) / stripes), top - 70),
                    (x1, top),
                    (x0, top),
                ],
                col,
            )
            c.d.chord(c.box(x0, top - 14, x1, top + 22), 0, 180, fill=col)
        c.rect(sx - 10, 660, sx + sw + 10, 690, (140, 100, 70))
        c.rect(sx - 4, 690, sx + sw + 4, 780, (230, 228, 220))
        for k in range(4):
            bx = sx + 8 + k * 82
            c.rect(bx, 610, bx + 74, 662, (176, 130, 84), (120, 86, 50), 2)
            fruit = produce[(i + k) % len(produce)]
            for _ in range(14):
                fx = bx + rng.uniform(10, 64)
                fy = 612 + rng.uniform(-14, 6)
                c.circle(fx, fy, 9, mix(fruit, (255, 255, 255), rng.uniform(0, 0.2)))
        c.rect(sx + 150, 560, sx + 200, 600, (40, 40, 40))
        c.rect(sx + 154, 564, sx + 196, 596, (246, 244, 236))
    # shoppers
    coats = [
        (60, 80, 120),
        (170, 60, 60),
        (90, 120, 90),
        (200, 170, 90),
        (120, 110, 140),
        (50, 50, 54),
        (220, 220, 214),
    ]
    people = sorted((rng.uniform(800, 1060), rng.uniform(0, c.w)) for _ in range(16))
    for y, x in people:
        person(c, x, y, 200 + (y - 800) * 0.6, rng.choice(coats), rng)
        if rng.random() < 0.4:
            c.d.arc(c.box(x + 20, y - 170, x + 60, y - 120), 180, 360, fill=(140, 110, 70), width=3 * SS)
            c.rect(x + 18, y - 145, x + 62, y - 105, (176, 140, 90))
    c.vignette(0.25)
    return c.finish()


def school_building(seed):
    rng = random.Random(seed)
    c = Canvas()
    c.gradient(0, 730, [(0, (86, 146, 210)), (1, (200, 222, 238))])
    for _ in range(5):
        c.cloud(
            rng,
            rng.uniform(50, 1550),
            rng.uniform(40, 220),
            rng.uniform(200, 360),
            rng.uniform(40, 70),
            (255, 255, 255),
            220,
            10,
        )
    for x in (80, 230, 1380, 1520):
        tree(c, rng, x, 720, rng.uniform(300, 380))
    brick = (172, 92, 70)
    c.rect(260, 330, 1340, 720, brick)
    for y in range(334, 720, 9):
        c.line([(260, y), (1340, y)], (150, 80, 62), 1)
    c.poly([(240, 330), (800, 200), (1360, 330)], (74, 78, 86))
    c.rect(240, 322, 1360, 336, (210, 206, 196))
    # bell tower with a clock
    c.rect(740, 90, 860, 250, (186, 102, 78))
    c.poly([(724, 92), (800, 20), (876, 92)], (60, 96, 92))
    c.circle(800, 160, 38, (246, 242, 230), (60, 60, 60), 4)
    c.line([(800, 160), (800, 132)], (30, 30, 30), 4)
    c.line([(800, 160), (820, 168)], (30, 30, 30), 4)
    # big classroom windows
    for row, y in enumerate((380, 540)):
        for k in range(8):
            x = 300 + k * 130 + (40 if k >= 4 else 0)
            if 700 < x + 50 < 900 and row == 1:
                continue
            c.rect(x, y, x + 90, y + 110, (112, 150, 176), (244, 244, 238), 5)
            c.line([(x + 45, y), (x + 45, y + 110)], (244, 244, 238), 4)
            c.line([(x, y + 40), (x + 90, y + 40)], (244, 244, 238), 4)
            c.poly([(x + 6, y + 100), (x + 40, y + 46), (x + 60, y + 46), (x + 26, y + 100)], (255, 255, 255, 50))
            c.rect(x - 6, y + 110, x + 96, y + 118, (214, 208, 196))
    # entrance canopy and doors
    c.rect(730, 600, 870, 720, (60, 90, 120))
    c.line([(800, 600), (800, 720)], (230, 230, 230), 3)
    c.poly([(700, 600), (900, 600), (880, 570), (720, 570)], (230, 230, 226))
    c.rect(700, 560, 900, 572, (250, 200, 60))
    # playground and painted games
    c.gradient(720, c.h, [(0, (112, 114, 118)), (1, (84, 86, 92))])
    for k in range(5):
        y = 800 + k * 42
        c.poly(
            [(560 - k * 10, y), (640 - k * 10, y), (644 - k * 12, y + 40), (556 - k * 12, y + 40)],
            None,
            (250, 214, 60),
            4,
        )
    c.ellipse(980, 830, 1300, 960, None, (250, 250, 250), 5)
    c.ellipse(1100, 870, 1180, 920, None, (250, 250, 250), 5)
    for i in range(9):
        c.circle(220 + i * 34, 900 + 10 * math.sin(i), 14, [(220, 60, 60), (60, 120, 200), (70, 170, 90)][i % 3])
    # green railings in front
    c.rect(-10, 980, c.w + 10, 990, (40, 90, 60))
    c.rect(-10, 1040, c.w + 10, 1050, (40, 90, 60))
    for x in range(0, c.w + 20, 26):
        c.rect(x, 960, x + 8, c.h, (40, 90, 60))
        c.poly([(x - 4, 964), (x + 4, 948), (x + 12, 964)], (40, 90, 60))
    c.vignette(0.25)
    return c.finish()


def library_facade(seed):
    rng = random.Random(seed)
    c = Canvas()
    c.gradient(0, 810, [(0, (98, 150, 206)), (1, (232, 214, 190))])
    for _ in range(3):
        c.cloud(
            rng,
            rng.uniform(50, 1550),
            rng.uniform(40, 160),
            rng.uniform(200, 340),
            rng.uniform(30, 60),
            (255, 252, 246),
            200,
            10,
        )
    stone = (222, 210, 186)
    shade = (182, 166, 140)
    c.rect(260, 280, 1340, 800, stone)
    for y in range(300, 800, 34):
        c.line([(260, y), (1340, y)], (206, 192, 166), 1.5)
    # pediment and entablature
    c.poly([(380, 250), (800, 90), (1220, 250)], stone, shade, 4)
    c.poly([(430, 238), (800, 112), (1170, 238)], (212, 198, 172))
    c.circle(800, 190, 34, (236, 228, 206), shade, 4)
    c.rect(360, 250, 1240, 300, (230, 220, 198), shade, 3)
    for x in range(370, 1240, 28):
        c.rect(x, 286, x + 14, 298, shade)
    # columns with rounded shading
    for k in range(6):
        x = 420 + k * 152
        for i in range(40):
            t = i / 39
            col = mix((170, 154, 128), (246, 238, 220), math.sin(t * math.pi) ** 0.7)
            c.rect(x + t * 56, 312, x + t * 56 + 1.6, 690, col)
        c.rect(x - 8, 300, x + 64, 316, (236, 226, 204), shade, 2)
        c.rect(x - 10, 688, x + 66, 704, (236, 226, 204), shade, 2)
        if 0 < k < 5 and k != 2:
            c.rect(x + 70, 340, x + 138, 360, (150, 40, 44))
            c.rect(x + 74, 360, x + 134, 560, (170, 46, 50))
            c.poly([(x + 74, 560), (x + 134, 560), (x + 104, 590)], (170, 46, 50))
    # doorway
    c.rect(726, 470, 874, 704, (80, 52, 36))
    c.d.chord(c.box(726, 400, 874, 540), 180, 360, fill=(240, 214, 150))
    for a in range(0, 180, 30):
        r = math.radians(180 + a)
        c.line([(800, 470), (800 + 74 * math.cos(r), 470 + 70 * math.sin(r))], (120, 90, 60), 3)
    c.line([(800, 470), (800, 704)], (50, 34, 24), 3)
    c.circle(786, 590, 5, (220, 190, 90))
    c.circle(814, 590, 5, (220, 190, 90))
    # steps
    for i in range(6):
        y = 704 + i * 16
        c.rect(330 - i * 30, y, 1270 + i * 30, y + 16, mix(stone, (150, 140, 120), i * 0.08), (160, 148, 126), 1)
    c.gradient(800, c.h, [(0, (170, 164, 154)), (1, (126, 120, 112))])
    for x in range(-40, c.w + 40, 90):
        c.line([(x, 800), (x - 120, c.h)], (150, 144, 136), 2)
    for y in (860, 940, 1030):
        c.line([(0, y), (c.w, y)], (150, 144, 136), 2)
    # trees, lamp posts and a bicycle rack
    tree(c, rng, 110, 900, 560)
    tree(c, rng, 1490, 900, 560)
    for x in (280, 1320):
        c.rect(x - 6, 560, x + 6, 900, (36, 40, 44))
        c.poly([(x - 26, 560), (x + 26, 560), (x + 16, 510), (x - 16, 510)], (36, 40, 44))
        c.rect(x - 14, 518, x + 14, 556, (250, 236, 190))
        c.rect(x - 18, 890, x + 18, 904, (36, 40, 44))
    for k in range(5):
        x = 1000 + k * 40
        c.d.arc(c.box(x, 860, x + 30, 940), 180, 360, fill=(90, 94, 100), width=4 * SS)
        c.line([(x, 900), (x, 960)], (90, 94, 100), 4)
        c.line([(x + 30, 900), (x + 30, 960)], (90, 94, 100), 4)
    c.circle(1050, 950, 34, None, (30, 30, 34), 5)
    c.circle(1140, 950, 34, None, (30, 30, 34), 5)
    c.line([(1050, 950), (1090, 905), (1140, 950), (1080, 950), (1050, 950)], (40, 120, 110), 5)
    c.vignette(0.28)
    return c.finish()


def rope_works_site(seed):
    rng = random.Random(seed)
    c = Canvas()
    c.gradient(0, 560, [(0, (168, 174, 182)), (1, (214, 214, 210))])
    for _ in range(8):
        g = rng.randint(176, 206)
        c.cloud(
            rng,
            rng.uniform(-100, 1700),
            rng.uniform(0, 300),
            rng.uniform(300, 600),
            rng.uniform(60, 110),
            (g, g + 2, g + 6),
            160,
            20,
        )
    c.poly(ridge(rng, -20, c.w + 20, 520, 30) + [(c.w + 20, 580), (-20, 580)], (128, 140, 134))
    # the long rope walk, receding to the right
    near_x, far_x = 80, 1500
    roof_near, roof_far = 300, 470
    base_near, base_far = 860, 600

    def along(t, a, b):
        return a + (b - a) * t

    def tx(t):
        return near_x + (far_x - near_x) * (1 - (1 - t) ** 1.6)

    c.poly([(near_x, roof_near), (far_x, roof_far), (far_x, base_far), (near_x, base_near)], (150, 86, 64))
    c.poly(
        [
            (near_x - 30, roof_near + 10),
            (near_x + 60, roof_near - 120),
            (far_x + 10, roof_far - 40),
            (far_x + 10, roof_far),
        ],
        (70, 74, 82),
    )
    for k in range(6):
        t = (k + 0.5) / 6
        x = tx(t)
        hole = [
            (x, along(t, roof_near, roof_far) - 20),
            (x + 60 * (1 - t), along(t, roof_near, roof_far) - 70 * (1 - t)),
            (x + 90 * (1 - t), along(t, roof_near, roof_far) - 10),
        ]
        if k in (1, 4):
            c.poly(hole, (40, 36, 38))
    c.rect(near_x + 80, roof_near - 230, near_x + 130, roof_near - 80, (140, 80, 60))
    # brick coursing
    for i in range(40):
        t = i / 40
        c.line([(near_x, along(t, roof_near, base_near)), (far_x, along(t, roof_far, base_far))], (132, 74, 56), 1)
    # arched windows, several broken
    n = 14
    for k in range(n):
        t0 = k / n + 0.015
        t1 = t0 + 0.5 / n
        x0, x1 = tx(t0), tx(t1)
        top0 = along(x0 / far_x, roof_near, roof_far) + 80 * (1 - t0)
        bot0 = along(x0 / far_x, base_near, base_far) - 130 * (1 - t0)
        top1 = along(x1 / far_x, roof_near, roof_far) + 80 * (1 - t1)
        bot1 = along(x1 / far_x, base_near, base_far) - 130 * (1 - t1)
        glass = (60, 64, 70) if k % 3 else (30, 28, 30)
        c.poly([(x0, top0 + 30), (x1, top1 + 30), (x1, bot1), (x0, bot0)], glass)
        c.d.chord(c.box(x0, top0, x1, top0 + 60 * (1 - t0) + 8), 180, 360, fill=glass)
        for j in range(1, 4):
            c.line(
                [(x0, top0 + 30 + (bot0 - top0 - 30) * j / 4), (x1, top1 + 30 + (bot1 - top1 - 30) * j / 4)],
                (200, 196, 186),
                2,
            )
        c.line([((x0 + x1) / 2, (top0 + top1) / 2 + 20), ((x0 + x1) / 2, (bot0 + bot1) / 2)], (200, 196, 186), 2)
        if k % 3 == 0:
            mx, my = (x0 + x1) / 2, (top0 + bot0) / 2
            c.poly([(mx - 8, my - 30), (mx + 12, my), (mx - 4, my + 26), (mx + 2, my)], (120, 130, 136))
    # ground: gravel, puddles and weeds
    c.gradient(580, c.h, [(0, (132, 130, 114)), (1, (98, 96, 80))])
    c.poly([(near_x, base_near), (far_x, base_far), (c.w + 20, 600), (c.w + 20, 640), (near_x, 880)], (120, 118, 104))
    for _ in range(6):
        x, y = rng.uniform(200, 1400), rng.uniform(900, 1040)
        c.ellipse(x - 90, y - 14, x + 90, y + 14, (160, 170, 178))
    for _ in range(260):
        x = rng.uniform(-20, c.w)
        y = rng.uniform(640, c.h)
        if y < along(min(1, x / far_x), base_near, base_far) + 10:
            continue
        h = rng.uniform(10, 40) * (0.5 + (y - 600) / 600)
        g = rng.choice([(90, 120, 60), (120, 140, 70), (70, 96, 52), (150, 150, 80)])
        for _j in range(3):
            c.line([(x, y), (x + rng.uniform(-12, 12), y - h)], g, 2)
    # temporary fence with a planning notice
    for x in range(-20, c.w + 60, 300):
        c.rect(x, 760, x + 10, 1030, (150, 150, 150))
        c.rect(x - 20, 1020, x + 30, 1040, (200, 180, 40))
    lay, d = c.layer((170, 174, 176))
    for x in range(-600, c.w + 600, 24):
        d.line(c.pts([(x, 770), (x + 270, 1030)]), fill=(170, 174, 176, 160), width=SS)
        d.line(c.pts([(x, 1030), (x + 270, 770)]), fill=(170, 174, 176, 160), width=SS)
    c.blend(lay)
    c.rect(-20, 764, c.w + 20, 770, (170, 170, 170))
    c.rect(1140, 800, 1320, 1000, (246, 246, 238), (60, 60, 60), 2)
    c.rect(1152, 812, 1308, 840, (30, 30, 30))
    for k in range(10):
        c.line([(1156, 858 + k * 13), (1156 + rng.uniform(90, 148), 858 + k * 13)], (90, 90, 90), 3)
    c.vignette(0.3)
    return c.finish()


def rope_works_plan(seed):
    rng = random.Random(seed)
    c = Canvas(color=(246, 243, 234))
    for x in range(0, c.w, 40):
        c.line([(x, 0), (x, c.h)], (214, 226, 236), 1)
    for y in range(0, c.h, 40):
        c.line([(0, y), (c.w, y)], (214, 226, 236), 1)
    # river along the top and the main road along the bottom
    c.poly([(0, 0), (c.w, 0), (c.w, 120), (1000, 150), (400, 110), (0, 140)], (170, 206, 226))
    c.rect(0, 930, c.w, 1010, (206, 204, 198))
    c.line([(0, 970), (c.w, 970)], (250, 250, 250), 3)
    # site boundary (red, dashed)
    site = [(120, 190), (1420, 220), (1460, 900), (100, 900)]
    for a, b in zip(site, site[1:] + site[:1], strict=True):
        n = int(math.dist(a, b) / 24)
        for i in range(0, n, 2):
            p = (a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n)
            q = (a[0] + (b[0] - a[0]) * (i + 1) / n, a[1] + (b[1] - a[1]) * (i + 1) / n)
            c.line([p, q], (200, 40, 40), 4)
    # new street
    c.line([(700, 930), (700, 640), (760, 520), (1000, 470), (1380, 470)], (214, 210, 200), 44)
    c.line([(700, 930), (700, 640), (760, 520), (1000, 470), (1380, 470)], (250, 250, 250), 2)
    # the retained rope walk (hatched)
    c.rect(160, 250, 1380, 330, (226, 200, 180), (60, 50, 50), 3)
    lay, d = c.layer()
    for x in range(100, 1440, 16):
        d.line(c.pts([(x, 330), (x + 80, 250)]), fill=(140, 80, 60, 255), width=2 * SS)
    mask = Image.new("L", c.img.size, 0)
    ImageDraw.Draw(mask).rectangle(c.box(162, 252, 1378, 328), fill=255)
    lay.putalpha(Image.composite(lay.getchannel("A"), mask, mask))
    c.blend(lay)
    # terraces of new homes
    for row, y in enumerate((380, 560, 730)):
        for k in range(7):
            x = 170 + k * 68
            if row == 2 and k > 5:
                continue
            c.rect(x, y, x + 62, y + 110, (236, 226, 204), (60, 56, 52), 3)
            c.rect(x + 8, y + 110, x + 54, y + 150, (200, 226, 190), (120, 150, 110), 1)
    for k in range(4):
        x, y = 830 + k * 140, 560
        c.rect(x, y, x + 120, y + 220, (230, 220, 196), (60, 56, 52), 3)
        c.line([(x, y + 110), (x + 120, y + 110)], (120, 110, 100), 1)
    # green space, play area and trees
    c.d.rounded_rectangle(
        c.box(1000, 360, 1380, 440), radius=24 * SS, fill=(196, 224, 180), outline=(110, 150, 100), width=2 * SS
    )
    c.circle(1300, 400, 28, (244, 220, 150), (180, 150, 80), 2)
    for _ in range(34):
        x = rng.choice([rng.uniform(140, 660), rng.uniform(820, 1400)])
        y = rng.choice([rng.uniform(345, 372), rng.uniform(800, 890)])
        r = rng.uniform(12, 22)
        c.circle(x, y, r, (140, 186, 120), (70, 120, 70), 2)
        c.circle(x, y, 2, (70, 120, 70))
    # north arrow, scale bar and title block
    c.circle(1480, 100, 44, (250, 250, 246), (40, 40, 40), 3)
    c.poly([(1480, 60), (1500, 128), (1480, 112), (1460, 128)], (40, 40, 40))
    for k in range(5):
        c.rect(120 + k * 60, 1030, 180 + k * 60, 1044, (40, 40, 40) if k % 2 == 0 else (250, 250, 246), (40, 40, 40), 2)
    c.rect(1180, 1016, 1580, 1060, (252, 252, 248), (40, 40, 40), 3)
    for k in range(3):
        c.line([(1196, 1028 + k * 11), (1196 + rng.uniform(150, 360), 1028 + k * 11)], (90, 90, 90), 3)
    return c.finish()


def football_pitch(seed):
    rng = random.Random(seed)
    c = Canvas()
    c.gradient(0, 430, [(0, (54, 76, 140)), (0.6, (200, 130, 130)), (1, (250, 196, 140))])
    c.glow(1200, 420, 140, (255, 200, 120), 170)
    # covered stand with spectators
    c.rect(-20, 250, c.w + 20, 430, (70, 74, 84))
    c.poly([(-20, 230), (c.w + 20, 230), (c.w + 20, 260), (-20, 280)], (210, 212, 216))
    for r in range(6):
        y = 290 + r * 22
        c.rect(-20, y, c.w + 20, y + 14, [(170, 36, 40), (40, 70, 130)][r % 2])
    for _ in range(700):
        x, y = rng.uniform(0, c.w), rng.uniform(286, 420)
        col = rng.choice([(200, 40, 40), (230, 230, 230), (30, 60, 120), (240, 200, 60), (50, 50, 50), (220, 180, 150)])
        c.circle(x, y, 4, col)
    for x in range(60, c.w, 220):
        c.rect(x, 236, x + 6, 430, (50, 50, 56))
    # floodlight pylons
    for x in (120, 1480):
        c.poly([(x - 10, 430), (x + 10, 430), (x + 4, 40), (x - 4, 40)], (90, 92, 96))
        c.rect(x - 60, 20, x + 60, 70, (60, 62, 66))
        for k in range(4):
            c.glow(x - 45 + k * 30, 45, 30, (255, 250, 230), 230)
            c.circle(x - 45 + k * 30, 45, 9, (255, 255, 250))
    # pitch in perspective, with mowing stripes
    c.gradient(430, c.h, [(0, (80, 140, 70)), (1, (50, 110, 48))])
    for k in range(12):
        t0, t1 = k / 12, (k + 1) / 12
        if k % 2:
            continue
        c.poly(
            [(-400 + 2400 * t0, c.h), (-400 + 2400 * t1, c.h), (200 + 1200 * t1, 440), (200 + 1200 * t0, 440)],
            (255, 255, 255, 22),
        )
    white = (244, 244, 240)
    c.line([(200, 450), (1400, 450)], white, 4)
    c.line([(200, 450), (-300, c.h)], white, 5)
    c.line([(1400, 450), (1900, c.h)], white, 5)
    # penalty area, goal area, spot and arc in perspective
    c.line([(540, 450), (500, 600), (1100, 600), (1060, 450)], white, 5)
    c.line([(690, 450), (680, 490), (920, 490), (910, 450)], white, 4)
    c.ellipse(794, 552, 806, 560, white)
    c.d.arc(c.box(690, 540, 910, 660), 20, 160, fill=white, width=5 * SS)
    # goal at the far end
    c.rect(700, 380, 706, 452, white)
    c.rect(894, 380, 900, 452, white)
    c.rect(700, 378, 900, 384, white)
    for x in range(706, 894, 10):
        c.line([(x, 384), (x + 6, 446)], (230, 230, 230, 120), 1)
    for y in range(390, 450, 10):
        c.line([(706, y), (894, y)], (230, 230, 230, 120), 1)
    # players: navy and white against red
    kits = [((30, 50, 110), (250, 250, 250)), ((196, 30, 40), (30, 30, 30))]
    spots = [
        (640, 640, 0),
        (900, 600, 1),
        (1100, 700, 0),
        (420, 820, 1),
        (1240, 860, 0),
        (760, 900, 1),
        (980, 520, 1),
        (520, 540, 0),
        (300, 640, 0),
        (1320, 600, 1),
    ]
    for x, y, team in sorted(spots, key=lambda s: s[1]):
        h = 80 + (y - 440) * 0.42
        person(c, x, y, h, kits[team][0], rng)
        c.ellipse(x - h * 0.2, y - 6, x + h * 0.2, y + 6, (30, 60, 30, 90))
    c.circle(860, 910, 16, (250, 250, 250), (40, 40, 40), 2)
    c.vignette(0.35)
    return c.finish()


def town_hall_clock(seed):
    rng = random.Random(seed)
    c = Canvas(1067, 1600)
    c.gradient(0, 1600, [(0, (70, 126, 196)), (0.7, (170, 204, 230)), (1, (226, 232, 232))])
    for _ in range(4):
        c.cloud(
            rng,
            rng.uniform(0, 1067),
            rng.uniform(100, 900),
            rng.uniform(200, 320),
            rng.uniform(40, 70),
            (255, 255, 255),
            210,
            10,
        )
    for _ in range(6):
        x, y = rng.uniform(80, 400), rng.uniform(200, 500)
        c.line([(x - 14, y - 6), (x, y), (x + 14, y - 6)], (40, 44, 50), 3)
    stone = (214, 196, 164)
    dark = (168, 150, 120)
    cx = 533
    # roofs of the town hall on both sides
    c.poly([(-20, 1180), (330, 1050), (330, 1600), (-20, 1600)], (96, 84, 80))
    c.poly([(1087, 1180), (737, 1050), (737, 1600), (1087, 1600)], (96, 84, 80))
    c.rect(-20, 1300, 340, 1600, stone)
    c.rect(727, 1300, 1087, 1600, stone)
    for x in (40, 180, 800, 940):
        c.rect(x, 1360, x + 90, 1520, (80, 96, 112), (240, 236, 226), 5)
    # the tower
    c.rect(cx - 200, 560, cx + 200, 1600, stone)
    for y in range(580, 1600, 40):
        c.line([(cx - 200, y), (cx + 200, y)], dark, 2)
        off = 60 if (y // 40) % 2 else 0
        for x in range(int(cx - 200 + off), int(cx + 200), 120):
            c.line([(x, y), (x, y + 40)], dark, 2)
    c.rect(cx - 220, 540, cx + 220, 580, (228, 214, 184), dark, 3)
    c.rect(cx - 220, 900, cx + 220, 930, (228, 214, 184), dark, 3)
    # louvred belfry and a copper cupola
    c.rect(cx - 170, 330, cx + 170, 540, stone)
    for k in range(3):
        x = cx - 140 + k * 100
        c.rect(x, 370, x + 80, 510, (60, 56, 54))
        c.d.chord(c.box(x, 340, x + 80, 400), 180, 360, fill=(60, 56, 54))
        for y in range(400, 510, 14):
            c.line([(x + 4, y), (x + 76, y + 8)], (120, 112, 104), 3)
    c.rect(cx - 190, 310, cx + 190, 336, (228, 214, 184), dark, 3)
    c.poly([(cx - 170, 310), (cx, 110), (cx + 170, 310)], (88, 156, 136))
    for k in range(-3, 4):
        c.line([(cx + k * 48, 310), (cx, 110)], (70, 130, 112), 3)
    c.line([(cx, 110), (cx, 20)], (60, 60, 60), 5)
    c.poly([(cx, 40), (cx + 70, 52), (cx, 64)], (200, 160, 60))
    c.line([(cx - 30, 80), (cx + 30, 80)], (60, 60, 60), 3)
    # the restored clock face
    fy = 740
    c.circle(cx, fy, 150, (196, 160, 70))
    c.circle(cx, fy, 136, (248, 244, 230))
    c.circle(cx, fy, 136, None, (40, 40, 40), 3)
    for h in range(60):
        a = math.radians(h * 6)
        r0 = 112 if h % 5 == 0 else 124
        c.line(
            [(cx + r0 * math.sin(a), fy - r0 * math.cos(a)), (cx + 130 * math.sin(a), fy - 130 * math.cos(a))],
            (30, 30, 30),
            6 if h % 5 == 0 else 2,
        )
    hour, minute = math.radians(10 * 30 + 9 * 0.5), math.radians(9 * 6)
    c.line([(cx, fy), (cx + 70 * math.sin(hour), fy - 70 * math.cos(hour))], (24, 24, 24), 10)
    c.line([(cx, fy), (cx + 110 * math.sin(minute), fy - 110 * math.cos(minute))], (24, 24, 24), 6)
    c.circle(cx, fy, 12, (196, 160, 70))
    # tall window and door lower down
    c.rect(cx - 60, 1000, cx + 60, 1240, (70, 86, 104), (240, 236, 226), 6)
    c.d.chord(c.box(cx - 60, 950, cx + 60, 1050), 180, 360, fill=(70, 86, 104))
    c.line([(cx, 1000), (cx, 1240)], (240, 236, 226), 4)
    c.rect(cx - 80, 1400, cx + 80, 1600, (80, 52, 36))
    c.d.chord(c.box(cx - 80, 1330, cx + 80, 1470), 180, 360, fill=(80, 52, 36))
    # flags
    c.line([(cx - 200, 1300), (cx - 330, 1240)], (60, 60, 60), 4)
    c.poly([(cx - 330, 1240), (cx - 420, 1230), (cx - 400, 1290), (cx - 320, 1290)], (30, 70, 140))
    c.vignette(0.25)
    return c.finish()


def school_garden(seed):
    rng = random.Random(seed)
    c = Canvas()
    c.gradient(0, 480, [(0, (110, 170, 220)), (1, (222, 234, 236))])
    for _ in range(4):
        c.cloud(
            rng,
            rng.uniform(50, 1550),
            rng.uniform(40, 200),
            rng.uniform(200, 340),
            rng.uniform(30, 60),
            (255, 255, 255),
            210,
            10,
        )
    for x in range(-40, c.w + 80, 170):
        tree(c, rng, x + rng.uniform(-30, 30), 500, rng.uniform(260, 340))
    # wooden fence
    c.rect(-10, 420, c.w + 10, 520, (170, 130, 90))
    for x in range(-10, c.w + 10, 40):
        c.line([(x, 420), (x, 520)], (140, 104, 70), 3)
    # greenhouse
    gx, gy = 1060, 230
    c.poly(
        [(gx, gy + 80), (gx + 200, gy), (gx + 400, gy + 80), (gx + 400, gy + 300), (gx, gy + 300)], (220, 236, 240, 170)
    )
    for k in range(9):
        x = gx + k * 50
        c.line([(x, gy + 80 - (min(k, 8 - k) * 20)), (x, gy + 300)], (250, 250, 250), 4)
    c.line([(gx, gy + 80), (gx + 200, gy), (gx + 400, gy + 80)], (250, 250, 250), 5)
    c.line([(gx, gy + 180), (gx + 400, gy + 180)], (250, 250, 250), 4)
    for _ in range(30):
        x, y = rng.uniform(gx + 20, gx + 380), rng.uniform(gy + 200, gy + 290)
        c.circle(x, y, rng.uniform(8, 18), (80, 150, 70, 180))
    # lawn
    c.gradient(520, c.h, [(0, (112, 160, 80)), (1, (76, 124, 56))])
    # raised beds in perspective
    beds = [
        (120, 560, 560, 660),
        (700, 560, 1180, 660),
        (60, 720, 620, 860),
        (760, 720, 1360, 860),
        (0, 920, 700, 1067),
    ]
    for x0, y0, x1, y1 in beds:
        depth = (y1 - y0) * 0.35
        c.rect(x0, y0 + depth, x1, y1, (140, 96, 60))
        for k in range(1, 3):
            c.line(
                [(x0, y0 + depth + (y1 - y0 - depth) * k / 3), (x1, y0 + depth + (y1 - y0 - depth) * k / 3)],
                (110, 74, 44),
                2,
            )
        c.poly([(x0 + 10, y0), (x1 - 10, y0), (x1, y0 + depth), (x0, y0 + depth)], (88, 66, 48))
        s = (y1 - 500) / 500
        kind = rng.choice(["lettuce", "beans", "flowers"])
        n = int((x1 - x0) / (36 * s))
        for k in range(n):
            px = x0 + (k + 0.5) * (x1 - x0) / n
            py = y0 + depth * 0.6
            if kind == "lettuce":
                for _j in range(6):
                    c.circle(
                        px + rng.uniform(-10, 10) * s,
                        py - rng.uniform(0, 16) * s,
                        14 * s,
                        mix((90, 170, 70), (170, 210, 110), rng.random()),
                    )
            elif kind == "beans":
                c.line([(px, py), (px, py - 140 * s)], (176, 150, 100), 3)
                for j in range(8):
                    c.ellipse(
                        px - 10 * s + rng.uniform(-8, 8),
                        py - j * 16 * s - 10 * s,
                        px + 10 * s + rng.uniform(-8, 8),
                        py - j * 16 * s,
                        (60, 130, 60),
                    )
            else:
                c.line([(px, py), (px, py - 60 * s)], (70, 120, 60), 3)
                col = rng.choice([(240, 90, 90), (250, 200, 60), (200, 120, 220), (250, 250, 250)])
                for j in range(6):
                    a = j * math.pi / 3
                    c.circle(px + 9 * s * math.cos(a), py - 60 * s + 9 * s * math.sin(a), 7 * s, col)
                c.circle(px, py - 60 * s, 6 * s, (240, 200, 60))
    # sunflowers along the fence
    for x in range(60, 1000, 110):
        h = rng.uniform(200, 260)
        c.line([(x, 540), (x, 540 - h)], (70, 120, 50), 6)
        c.ellipse(x - 30, 540 - h * 0.5, x, 540 - h * 0.5 + 16, (70, 130, 60))
        for j in range(14):
            a = j * math.pi / 7
            c.circle(x + 26 * math.cos(a), 540 - h + 26 * math.sin(a), 12, (250, 200, 40))
        c.circle(x, 540 - h, 18, (110, 70, 30))
    # watering can and a wheelbarrow
    c.d.rounded_rectangle(c.box(1380, 900, 1480, 980), radius=14 * SS, fill=(40, 130, 90))
    c.line([(1480, 920), (1550, 870)], (40, 130, 90), 10)
    c.d.arc(c.box(1390, 860, 1470, 940), 180, 360, fill=(40, 130, 90), width=8 * SS)
    c.poly([(1100, 930), (1300, 930), (1270, 990), (1130, 990)], (200, 70, 50))
    c.circle(1160, 1010, 26, (40, 40, 40))
    c.line([(1300, 940), (1370, 960)], (110, 80, 50), 8)
    c.vignette(0.25)
    return c.finish()


# --------------------------------------------------------------------------
# a crest with transparency, and a small palette GIF
# --------------------------------------------------------------------------


def town_crest(size=800):
    S = 2
    n = size * S
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def p(x, y):
        return (x * n, y * n)

    def shield(inset):
        """A heater shield: straight sides, then curves meeting in a point."""
        pts = [p(0.16 + inset, 0.22 + inset), p(0.84 - inset, 0.22 + inset)]
        for i in range(21):
            t = i / 20
            x = 0.5 + (0.34 - inset) * math.cos(t * math.pi / 2)
            y = 0.52 + (0.33 - inset * 1.4) * math.sin(t * math.pi / 2)
            pts.append(p(x, y))
        left = [(n - x, y) for x, y in pts[2:]]
        return pts + left[::-1]

    gold, navy, sea, white = (214, 170, 60, 255), (26, 44, 92, 255), (40, 100, 160, 255), (250, 250, 246, 255)
    d.polygon(shield(0.0), fill=gold)
    d.polygon(shield(0.02), fill=navy)
    # waves across the lower half, clipped to the shield
    waves = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    wd = ImageDraw.Draw(waves)
    for k in range(5):
        y0 = 0.6 + k * 0.06
        pts = [p(0.1 + i * 0.01, y0 + 0.012 * math.sin(i * 0.6)) for i in range(81)]
        wd.polygon(pts + [p(0.9, y0 + 0.03), p(0.1, y0 + 0.03)], fill=sea if k % 2 else white)
    mask = Image.new("L", (n, n), 0)
    ImageDraw.Draw(mask).polygon(shield(0.02), fill=255)
    img.paste(waves, (0, 0), Image.composite(waves.getchannel("A"), mask, mask))
    # a ship with a square sail
    d.polygon([p(0.32, 0.56), p(0.68, 0.56), p(0.62, 0.62), p(0.38, 0.62)], fill=gold)
    d.line([p(0.5, 0.56), p(0.5, 0.32)], fill=gold, width=int(0.012 * n))
    d.polygon([p(0.38, 0.35), p(0.62, 0.35), p(0.6, 0.52), p(0.4, 0.52)], fill=white)
    d.polygon([p(0.5, 0.30), p(0.56, 0.32), p(0.5, 0.34)], fill=(196, 40, 48, 255))
    # stars either side
    for cx, cy in ((0.27, 0.33), (0.73, 0.33)):
        pts = []
        for i in range(10):
            r = 0.045 if i % 2 == 0 else 0.018
            a = -math.pi / 2 + i * math.pi / 5
            pts.append(p(cx + r * math.cos(a), cy + r * math.sin(a)))
        d.polygon(pts, fill=gold)
    # mural crown on top
    stone = (196, 190, 178, 255)
    d.rectangle([p(0.3, 0.15), p(0.7, 0.225)], fill=stone, outline=(120, 112, 100, 255), width=int(0.006 * n))
    for k in range(5):
        x = 0.3 + k * 0.09
        d.rectangle([p(x, 0.10), p(x + 0.04, 0.15)], fill=stone, outline=(120, 112, 100, 255), width=int(0.006 * n))
    for k in range(4):
        d.rectangle([p(0.345 + k * 0.09, 0.17), p(0.365 + k * 0.09, 0.205)], fill=(80, 70, 64, 255))
    # scroll below the shield
    d.polygon(
        [p(0.12, 0.88), p(0.88, 0.88), p(0.92, 0.95), p(0.08, 0.95)], fill=white, outline=gold, width=int(0.006 * n)
    )
    d.polygon([p(0.04, 0.87), p(0.12, 0.88), p(0.08, 0.95), p(0.02, 0.93)], fill=(226, 224, 214, 255))
    d.polygon([p(0.96, 0.87), p(0.88, 0.88), p(0.92, 0.95), p(0.98, 0.93)], fill=(226, 224, 214, 255))
    for k in range(3):
        x0 = 0.3 + k * 0.15
        d.line([p(x0, 0.915), p(x0 + 0.1, 0.915)], fill=navy, width=int(0.012 * n))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def garden_gif(seed):
    """Pixel-art raised beds: a tiny palette GIF as an old site would have."""
    rng = random.Random(seed)
    w, h = 400, 260
    img = Image.new("RGB", (w, h), (150, 200, 235))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 150, w, h], fill=(110, 170, 80))
    d.rectangle([0, 120, w, 150], fill=(176, 136, 92))
    for x in range(0, w, 12):
        d.line([(x, 120), (x, 150)], fill=(140, 104, 70))
    d.ellipse([320, 20, 360, 60], fill=(250, 220, 80))
    for cx, cy in ((80, 40), (200, 70)):
        for dx, r in ((-18, 12), (0, 17), (18, 12)):
            d.ellipse([cx + dx - r, cy - r, cx + dx + r, cy + r], fill=(250, 250, 250))
    # a pupil with a watering can between the beds
    d.rectangle([128, 200, 134, 236], fill=(40, 50, 80))
    d.rectangle([136, 200, 142, 236], fill=(40, 50, 80))
    d.rectangle([126, 170, 144, 202], fill=(220, 60, 60))
    d.ellipse([127, 150, 143, 168], fill=(222, 184, 150))
    d.chord([127, 148, 143, 164], 180, 360, fill=(90, 60, 30))
    d.rectangle([142, 190, 156, 204], fill=(40, 130, 90))
    d.line([(156, 194), (166, 186)], fill=(40, 130, 90), width=3)
    for k, x0 in enumerate((20, 150, 280)):
        d.rectangle([x0, 170, x0 + 100, 230], fill=(140, 96, 60), outline=(96, 64, 40))
        d.rectangle([x0 + 4, 174, x0 + 96, 186], fill=(90, 66, 48))
        for j in range(6):
            px = x0 + 10 + j * 16
            height = 8 + k * 10 + rng.randint(0, 6)
            d.line([(px, 180), (px, 180 - height)], fill=(50, 120, 50), width=2)
            d.ellipse([px - 5, 176 - height, px + 5, 184 - height], fill=(80, 170, 70))
            if k == 2:
                d.ellipse([px - 3, 178 - height, px + 3, 184 - height], fill=(230, 70, 60))
    return img.convert("P", palette=Image.Palette.ADAPTIVE, colors=32)


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------


def save_jpeg(img, path):
    img.save(path, "JPEG", **JPEG_OPTIONS)


WP_SIZES = ((1024, 683), (768, 512), (300, 200))


def save_wp_sizes(img, path):
    """Save the sizes WordPress makes of an upload (NAME-1024x683.jpg and smaller).

    Only these are saved, as a mirror holds them: the full-size original was
    never linked from the pages, so wget did not fetch it.
    """
    stem = path.name.rsplit("-", 1)[0]
    for w, h in WP_SIZES:
        save_jpeg(img.resize((w, h), Image.Resampling.LANCZOS), path.with_name(f"{stem}-{w}x{h}.jpg"))


def save_rotated_with_gps(img, path):
    """Store the picture rotated, tagged Orientation 6, with GPS coordinates.

    Orientation 6 tells a viewer to turn the stored pixels 90 degrees clockwise,
    so the stored pixels are the upright picture turned counter-clockwise.
    """
    stored = img.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x010F] = "Sample Camera Co."  # Make
    exif[0x0110] = "SC-100"  # Model
    exif[0x0112] = 6  # Orientation
    exif[0x0132] = "2023:11:21 10:42:05"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[0x0000] = b"\x02\x03\x00\x00"  # GPSVersionID
    gps[0x0001] = "N"
    gps[0x0002] = (IFDRational(55), IFDRational(30), IFDRational(1250, 100))
    gps[0x0003] = "E"
    gps[0x0004] = (IFDRational(1), IFDRational(12), IFDRational(3000, 100))
    stored.save(path, "JPEG", exif=exif, **JPEG_OPTIONS)


def jobs():
    y22, y23, y24 = ND / "2022", ND / "2023", ND / "2024"
    bridge = y24 / "harbour-bridge-reopens"
    rope = y23 / "rope-works-housing-plan"
    garden = y24 / "school-garden-award"
    return [
        (y22 / "coast-road-closed-by-storm" / "storm-coast-road.jpg", lambda: storm_coast_road(101), save_jpeg),
        (y22 / "saturday-market-returns" / "market-stalls.jpg", lambda: market_stalls(102), save_jpeg),
        (y22 / "lanternhill-primary-new-term" / "lanternhill-school.jpg", lambda: school_building(103), save_jpeg),
        (y23 / "library-local-history-room" / "library-facade.jpg", lambda: library_facade(104), save_jpeg),
        (rope / "rope-works-site.jpg", lambda: rope_works_site(105), save_jpeg),
        (rope / "rope-works-plan.jpg", lambda: rope_works_plan(106), save_jpeg),
        (y23 / "rovers-win-county-shield" / "rovers-pitch.jpg", lambda: football_pitch(107), save_jpeg),
        (y23 / "town-hall-clock-restored" / "town-hall-clock.jpg", lambda: town_hall_clock(108), save_jpeg),
        (y23 / "estuary-seagrass-recovery" / "estuary-survey.jpg", lambda: estuary_survey(109), save_rotated_with_gps),
        (
            y24 / "new-town-crest" / "town-crest.png",
            lambda: town_crest(),
            lambda im, p: im.save(p, "PNG", optimize=True),
        ),
        (garden / "garden-beds.gif", lambda: garden_gif(110), lambda im, p: im.save(p, "GIF")),
        (garden / "school-garden.jpg", lambda: school_garden(111), save_jpeg),
        (bridge / "harbour-bridge.jpg", lambda: harbour_bridge(112), save_jpeg),
        (bridge / "bridge-at-dusk.jpg", lambda: harbour_bridge(113, dusk=True), save_jpeg),
        (bridge / "bridge-opening.jpg", lambda: bridge_opening(114), save_jpeg),
        (HL_UPLOADS / "2024/03/ferry-landing-1024x683.jpg", lambda: ferry_landing(120), save_wp_sizes),
        (HL_UPLOADS / "2024/03/ferry-crossing-1024x683.jpg", lambda: harbour_bridge(121), save_wp_sizes),
        (HL_UPLOADS / "2024/03/fish-market-1024x683.jpg", lambda: market_stalls(122), save_wp_sizes),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the target files only")
    args = parser.parse_args(argv)
    total = 0
    for path, draw, save in jobs():
        rel = path.relative_to(ROOT)
        if args.list:
            print(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        save(draw(), path)
        size = path.stat().st_size
        total += size
        print(f"{rel}  {size / 1024:.0f} KiB")
    if not args.list:
        print(f"total {total / 1024 / 1024:.2f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
