"""Images: derivatives, metadata stripping, odd modes, hostile files, caching."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import article, build_into
from PIL import Image

from generator.store.svg import check_svg

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width=1600, height=1000, color=(30, 120, 200)) -> Image.Image:
    """A plain picture with white stripes, so resizing has edges to work on."""
    image = Image.new("RGB", (width, height), color)
    for x in range(0, width, max(1, width // 10)):
        image.paste((255, 255, 255), (x, 0, x + 3, height))
    return image


def site_with_images(write_site, images: dict[str, bytes], body: str, site_toml: str = "", name: str = "site") -> Path:
    site = write_site({"site.toml": site_toml, "content/a/index.md": article("A", body, date="2024-01-01")}, name)
    for file_name, data in images.items():
        (site / "content/a" / file_name).write_bytes(data)
    return site


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def media(out: Path, pattern: str) -> list[Path]:
    return sorted(p for p in (out / "media").iterdir() if re.search(pattern, p.name))


def test_widths_formats_and_capped_original(write_site, tmp_path):
    site = site_with_images(write_site, {"big.jpg": encoded(photo(3000, 2000), "JPEG")}, "![Big](big.jpg)")
    report = build_into(site, tmp_path / "out")
    assert report.diagnostics == []
    names = [p.name for p in media(tmp_path / "out", "^big-")]
    widths = sorted({int(re.search(r"-(\d+)\.", n).group(1)) for n in names})
    assert widths == [320, 640, 1280, 2560]  # never the 3000 px original: capped at 2 x 1280
    assert {n.rsplit(".", 1)[1] for n in names} == {"jpg", "webp"}
    with Image.open(media(tmp_path / "out", r"-640\.webp$")[0]) as derived:
        assert derived.format == "WEBP" and derived.size == (640, 427)
    page = (tmp_path / "out/2024/01/a/index.html").read_text()
    assert '<source type="image/webp" srcset="../../../media/big-' in page
    assert 'width="2560" height="1707"' in page


def test_small_images_are_never_upscaled(write_site, tmp_path):
    site = site_with_images(write_site, {"small.png": encoded(photo(200, 100), "PNG")}, "![Small](small.png)")
    build_into(site, tmp_path / "out")
    assert [p.name.rsplit("-", 1)[1] for p in media(tmp_path / "out", "^small-")] == ["200.jpg", "200.webp"]


def test_orientation_is_applied_and_gps_and_exif_are_stripped(write_site, tmp_path):
    image = photo(1200, 800)
    image.paste((255, 0, 0), (0, 0, 100, 100))  # a red corner marks the stored top-left
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored rotated: display turns it 90 degrees clockwise
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    site = site_with_images(write_site, {"gps.jpg": encoded(image, "JPEG", exif=exif.tobytes())}, "![x](gps.jpg)")
    build_into(site, tmp_path / "out")
    for path in media(tmp_path / "out", "^gps-"):
        with Image.open(path) as derived:
            assert derived.height > derived.width, path.name  # upright: portrait
            assert dict(derived.getexif()) == {}, path.name
            assert "exif" not in derived.info and "xmp" not in derived.info
            assert b"CameraMaker" not in path.read_bytes()
            red_corner = derived.convert("RGB").getpixel((derived.width - 3, 2))
            assert red_corner[0] > 200 and red_corner[1] < 80, path.name


def test_keep_metadata_keeps_exif_with_orientation_reset(write_site, tmp_path):
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "CameraMaker"
    data = encoded(photo(800, 600), "JPEG", exif=exif.tobytes())
    site = site_with_images(write_site, {"keep.jpg": data}, "![x](keep.jpg)", "[images]\nkeep_metadata = true\n")
    build_into(site, tmp_path / "out")
    with Image.open(media(tmp_path / "out", r"^keep-.*\.jpg$")[0]) as derived:
        assert derived.getexif()[0x010F] == "CameraMaker" and derived.getexif()[ORIENTATION] == 1


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("cmyk.jpg", lambda: encoded(Image.new("CMYK", (700, 500), (200, 30, 10, 5)), "JPEG")),
        ("palette.png", lambda: encoded(photo(700, 500).convert("P", palette=Image.Palette.ADAPTIVE), "PNG")),
        ("alpha.png", lambda: encoded(Image.new("RGBA", (700, 500), (255, 0, 0, 0)), "PNG")),
        ("grey16.png", lambda: encoded(Image.new("I;16", (700, 500), 40000), "PNG")),
        ("grey.jpg", lambda: encoded(Image.new("L", (700, 500), 90), "JPEG")),
    ],
)
def test_unusual_modes_come_out_right(write_site, tmp_path, name, make):
    site = site_with_images(write_site, {name: make()}, f"![x]({name})")
    report = build_into(site, tmp_path / "out")
    assert report.diagnostics == []
    stem = name.split(".")[0]
    jpeg = media(tmp_path / "out", rf"^{stem}-.*-640\.jpg$")[0]
    webp = media(tmp_path / "out", rf"^{stem}-.*-640\.webp$")[0]
    with Image.open(jpeg) as j, Image.open(webp) as w:
        assert j.mode in ("RGB", "L") and j.size == (640, 457)
        pixel = j.convert("RGB").getpixel((5, 5))
        if name == "alpha.png":
            assert pixel == (255, 255, 255)  # flattened on white
            assert w.mode == "RGBA" and w.getpixel((5, 5))[3] == 0  # alpha kept in WebP
        if name == "cmyk.jpg":
            assert pixel[0] < 120 and pixel[1] > 150  # cyan-ish, not inverted
        if name == "grey16.png":
            assert 140 < pixel[0] < 170  # 40000/65535 of full scale


def test_animated_gif_gets_still_thumbnails_and_keeps_the_original(write_site, tmp_path):
    frames = [Image.new("RGB", (400, 300), (i * 100, 50, 200 - i * 60)) for i in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    site = site_with_images(write_site, {"anim.gif": buffer.getvalue()}, "![Animated](anim.gif)")
    build_into(site, tmp_path / "out")
    [original] = media(tmp_path / "out", r"^anim-.*\.gif$")
    assert original.read_bytes() == buffer.getvalue()
    with Image.open(media(tmp_path / "out", r"^anim-.*-320\.webp$")[0]) as still:
        assert not getattr(still, "is_animated", False)
    assert "Original animation" in (tmp_path / "out/2024/01/a/index.html").read_text()


HOSTILE_SVG = {
    "script.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "handler.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="5" height="5"/></svg>',
    "foreign.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
    "external.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<image xlink:href="https://evil.example/t.png"/></svg>'
    ),
    "entities.svg": (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    ),
    "style.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>'
    ),
    "style-with-children.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style><g/>@import url(https://evil.example/x.css);</style></svg>'
    ),
    "stylesheet-pi.svg": (
        b'<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    ),
    "xhtml-img.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b'<img xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/t.png"/></svg>'
    ),
    "refresh.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><meta xmlns="http://www.w3.org/1999/xhtml" '
        b'http-equiv="refresh" content="0;url=https://evil.example/"/></svg>'
    ),
    "fill-url.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b'<rect width="5" height="5" fill="url(https://evil.example/p.svg#g)"/></svg>'
    ),
    "escaped-url.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:\\75 rl(https://evil.example/p.svg#g)}</style></svg>'
    ),
    "animated-href.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><g><set attributeName="href" to="https://evil.example/"/></g></svg>'
    ),
    "image-set.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b'<style>rect{fill:image-set("https://evil.example/x.png" 1x)}</style></svg>'
    ),
}


def test_broken_hostile_and_oversized_images_warn_and_the_build_finishes(write_site, tmp_path):
    good = encoded(photo(800, 500), "JPEG")
    images = {
        "corrupt.jpg": good[:200] + b"\x00garbage" * 50,
        "truncated.png": encoded(photo(800, 500), "PNG")[:300],
        "notanimage.jpg": b"<html>this is not an image</html>",
        "bomb.png": encoded(Image.new("1", (10_000, 10_000)), "PNG", optimize=True),
        "safe.svg": (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60">'
            b'<rect width="120" height="60" fill="#123"/></svg>'
        ),
        **HOSTILE_SVG,
    }
    body = "\n\n".join(f"![{name}]({name})" for name in images) + "\n\n![escape](../../../../etc/passwd)\n"
    site = site_with_images(write_site, images, body, "[images]\nmax_pixels = 50_000_000\n")
    report = build_into(site, tmp_path / "out")
    warnings = "\n".join(map(str, report.diagnostics))
    for name in images:
        if name != "safe.svg":
            assert f"image '{name}'" in warnings, name
    assert "decompression bomb" in warnings
    assert "outside the content folder" in warnings
    assert warnings.count("SVG refused") == len(HOSTILE_SVG)
    assert all(line.startswith("content/a/index.md:") for line in warnings.splitlines())
    page = (tmp_path / "out/2024/01/a/index.html").read_text()
    assert page.count("Image not in the archive") == len(images)  # every broken one, plus the escape, minus safe.svg
    [svg] = media(tmp_path / "out", r"\.svg$")
    assert svg.read_bytes() == images["safe.svg"]
    assert 'width="120" height="60"' in page


def test_each_source_is_processed_once_and_a_warm_build_processes_nothing(write_site, tmp_path):
    same = encoded(photo(1000, 700), "JPEG")
    files = {f"content/p{n}/index.md": article(f"P{n}", "![Photo](photo.jpg)", date="2024-02-01") for n in range(6)}
    site = write_site(files)
    for n in range(6):  # four copies of one photo (as mirrors save them), two distinct photos
        data = same if n < 4 else encoded(photo(1000, 700, color=(n * 30, 90, 10)), "JPEG")
        (site / f"content/p{n}/photo.jpg").write_bytes(data)
    first = build_into(site, tmp_path / "out")
    assert first.diagnostics == []
    assert first.images_processed == 3
    second = build_into(site, tmp_path / "out")
    assert second.images_processed == 0 and second.changed == 0


def test_identical_bytes_share_one_set_of_derivatives(write_site, tmp_path):
    data = encoded(photo(900, 600), "JPEG")
    site = site_with_images(write_site, {"one.jpg": data}, "![One](one.jpg)")
    (site / "content/b").mkdir()
    (site / "content/b/index.md").write_text(article("B", "![One again](../a/one.jpg)", date="2024-01-02"))
    report = build_into(site, tmp_path / "out")
    assert report.images_processed == 1
    b_page = (tmp_path / "out/2024/01/b/index.html").read_text()
    a_page = (tmp_path / "out/2024/01/a/index.html").read_text()
    assert re.findall(r"media/one-\w+-640\.jpg", a_page) == re.findall(r"media/one-\w+-640\.jpg", b_page)


def test_unreferenced_derivatives_are_pruned(write_site, tmp_path):
    site = site_with_images(write_site, {"gone.jpg": encoded(photo(700, 400), "JPEG")}, "![x](gone.jpg)")
    build_into(site, tmp_path / "out")
    assert media(tmp_path / "out", "^gone-")
    (site / "content/a/index.md").write_text(article("A", "No image now.", date="2024-01-01"))
    build_into(site, tmp_path / "out")
    assert not (tmp_path / "out/media").exists() or not media(tmp_path / "out", "^gone-")
    assert list((site / ".backissue/images/derived").iterdir()) == []


def test_first_figure_is_eager_later_ones_lazy(write_site, tmp_path):
    images = {f"{n}.jpg": encoded(photo(700, 400, color=(n * 40, 0, 0)), "JPEG") for n in range(3)}
    body = "Intro.\n\n" + "\n\n".join(f"![Photo {n}]({n}.jpg)" for n in range(3))
    site = site_with_images(write_site, images, body)
    build_into(site, tmp_path / "out")
    imgs = re.findall(r"<img [^>]*>", (tmp_path / "out/2024/01/a/index.html").read_text())
    assert "loading" not in imgs[0] and all('loading="lazy"' in tag for tag in imgs[1:])


@pytest.mark.parametrize(
    ("original", "source_width", "expected"),
    [
        ("capped", 3000, [320, 640, 1280, 2560]),
        ("capped", 1000, [320, 640, 1000]),
        ("full", 3000, [320, 640, 1280, 3000]),
        ("none", 3000, [320, 640, 1280]),
        ("none", 200, [200]),
    ],
)
def test_original_setting_decides_the_published_original(write_site, tmp_path, original, source_width, expected):
    data = encoded(photo(source_width, source_width // 2), "JPEG")
    site = site_with_images(
        write_site, {"p.jpg": data}, "![p](p.jpg)", f'[images]\nformats = ["jpeg"]\noriginal = "{original}"\n'
    )
    build_into(site, tmp_path / "out")
    widths = sorted(int(re.search(r"-(\d+)\.jpg$", p.name).group(1)) for p in media(tmp_path / "out", "^p-"))
    assert widths == expected


def test_avif_on_request_and_icc_profiles_converted_then_dropped(write_site, tmp_path):
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(photo(800, 500), "JPEG", icc_profile=icc)
    site = site_with_images(write_site, {"icc.jpg": data}, "![x](icc.jpg)", '[images]\nformats = ["avif", "jpeg"]\n')
    report = build_into(site, tmp_path / "out")
    assert report.diagnostics == []
    [avif] = media(tmp_path / "out", r"^icc-.*-640\.avif$")
    with Image.open(avif) as derived:
        assert derived.format == "AVIF" and derived.size == (640, 400)
    with Image.open(media(tmp_path / "out", r"^icc-.*-640\.jpg$")[0]) as derived:
        assert "icc_profile" not in derived.info
    assert '<source type="image/avif"' in (tmp_path / "out/2024/01/a/index.html").read_text()


def test_an_editors_drawing_with_metadata_and_internal_references_is_published_as_it_is():
    drawing = (
        b'<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" '
        b'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        b'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" width="40" height="20" inkscape:version="1.3">'
        b'<sodipodi:namedview id="v" pagecolor="#fff"/>'
        b'<metadata><rdf:RDF><rdf:Description rdf:about="https://a.example/"/>'
        b'</rdf:RDF></metadata><defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
        b'<style>.r{fill:url(#g)}</style><rect class="r" width="40" height="20" fill="url(#g)"/>'
        b'<use xlink:href="#g"/></svg>'
    )
    assert check_svg(drawing) == (None, (40, 20))
