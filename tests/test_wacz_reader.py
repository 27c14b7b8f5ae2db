"""The WACZ reader: a package's archives read in place, its page list and digests honoured, damage a warning."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from generator.commands.inspect import inspect_captures
from generator.common.config import load
from tests.conftest import REPO_PATH, build_into
from tests.test_warc_reader import HOST, article_page, jpeg, response, write_warc

SAMPLE = REPO_PATH / "content/warc/harbour-light-2024-04.wacz"
SAMPLE_WARC = REPO_PATH / "content/warc/harbour-light-2024-04.warc.gz"


def write_wacz(path: Path, warc: bytes, pages: list[dict] | None = None, tamper: bool = False) -> None:
    """A package laid out as py-wacz writes one: index, archive (stored), page list, datapackage.json."""
    members = {"archive/data.warc.gz": warc}
    if pages is not None:
        header = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
        members["pages/pages.jsonl"] = "".join(json.dumps(line) + "\n" for line in [header, *pages]).encode()
    resources = [
        {
            "name": Path(name).name,
            "path": name,
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
        for name, data in members.items()
    ]
    if tamper:
        resources[0]["hash"] = "sha256:" + "0" * 64
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as package:
        for name, data in members.items():
            package.writestr(name, data, zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED)
        package.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": resources}))


def warc_bytes(tmp_path: Path) -> bytes:
    write_warc(tmp_path / "made/paper.warc.gz")
    return (tmp_path / "made/paper.warc.gz").read_bytes()


def test_sample_package_made_by_py_wacz_reads_its_pages(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    shutil.copy(SAMPLE, site / "content/crawl.wacz")
    reports = inspect_captures(site / "content/crawl.wacz", load(site))
    assert [r["source"] for r in reports] == [
        f"content/crawl.wacz#https://www.harbour-light.example/2024/04/{slug}/"
        for slug in ("lifeboat-named", "net-store-cafe")
    ]
    assert all(r["reader"] == "warc" and r["captured"] == "2024-04-15T09:00:00Z" and not r["warnings"] for r in reports)
    assert reports[1]["title"] == "Old net store on Rope Walk reopens as a cafe" and len(reports[0]["comments"]) == 2
    figure = next(block for block in reports[0]["blocks"] if block["type"] == "figure")
    assert figure["caption"].startswith("The Nessa Trewin on her mooring")


def test_package_images_are_published_with_srcset_and_its_pages_merge_with_the_warc(write_site, tmp_path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    shutil.copy(SAMPLE, site / "content/crawl.wacz")
    shutil.copy(SAMPLE_WARC, site / "content/crawl.warc.gz")
    report = build_into(site, tmp_path / "out")
    assert report.articles == 2 and report.merged_captures == 2 and not report.diagnostics
    page = (tmp_path / "out/2024/04/lifeboat-named/index.html").read_text()
    assert 'srcset="' in page and "lifeboat-naming-640x427" in page


def test_page_list_decides_pages_and_gives_titles_and_capture_times(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\ntimezone = "UTC"\n'})
    listed = [{"url": f"{HOST}/2024/03/quay/", "title": "Quay", "ts": "2024-04-02T08:30:00Z"}]
    write_wacz(site / "content/pkg.wacz", warc_bytes(tmp_path), listed)
    reports = inspect_captures(site / "content/pkg.wacz", load(site))
    quay = next(r for r in reports if r["title"])
    assert quay["source"] == f"content/pkg.wacz#{HOST}/2024/03/quay/" and quay["captured"] == "2024-04-02T08:30:00Z"
    assert [r["title"] for r in reports if r["title"]] == ["Quay reopens"]  # the page's own title wins
    assert f"a resource of the package, not one of its pages ({HOST}/2024/03/bridge/)" in [
        r["skipped"] for r in reports
    ]


def test_digest_mismatch_is_a_warning_and_pages_are_still_read(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    write_wacz(site / "content/pkg.wacz", warc_bytes(tmp_path), tamper=True)
    report = build_into(site, tmp_path / "out")
    assert report.articles == 2
    [warning] = report.diagnostics
    assert (
        warning.path == "content/pkg.wacz" and "archive/data.warc.gz does not match datapackage.json" in warning.message
    )


def test_truncated_package_gives_the_pages_before_the_damage(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    whole = tmp_path / "whole.wacz"
    write_wacz(whole, warc_bytes(tmp_path), [{"url": f"{HOST}/2024/03/quay/"}, {"url": f"{HOST}/2024/03/bridge/"}])
    with zipfile.ZipFile(whole) as package:
        member = package.getinfo("archive/data.warc.gz")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    (site / "content/cut.wacz").write_bytes(whole.read_bytes()[: start + member.file_size * 2 // 3])
    report = build_into(site, tmp_path / "out")
    assert report.articles == 2  # the damage comes after both pages' records
    messages = [d.message for d in report.diagnostics if d.path == "content/cut.wacz"]
    assert any(m.startswith("package damaged") for m in messages)
    assert any("member archive/data.warc.gz damaged or truncated" in m for m in messages)


def test_member_that_is_not_a_web_archive_is_a_warning(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    write_wacz(site / "content/pkg.wacz", b"not a web archive at all\n" * 20)
    report = build_into(site, tmp_path / "out")
    assert report.articles == 0 and any(d.path == "content/pkg.wacz" for d in report.diagnostics)


# The peak resident size of a fresh process (not ru_maxrss, which Linux carries over from the forking parent)
MEASURE = """
import sys
from pathlib import Path
from generator.common.config import load
from generator.readers.scan import ContextFactory, read_one
site = Path(sys.argv[1])
result = read_one(site / "content/big.wacz", ContextFactory(load(site)).for_file(site / "content/big.wacz"))
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))  # kB, this process
print(len([r for r in (result, *result.more) if r.article]), int(peak) // 1024)
"""


@pytest.mark.slow
def test_reading_a_300_mb_package_keeps_memory_flat(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    picture = jpeg()
    with zipfile.ZipFile(site / "content/big.wacz", "w") as package, package.open("archive/big.warc", "w") as member:
        writer = WARCWriter(member, gzip=False)
        for n in range(300):  # 300 pages, each with a 1 MB image (incompressible filler after a real JPEG)
            url = f"{HOST}/2024/03/story-{n}/"
            response(writer, url, article_page(f"Story {n}", f"/img/{n}.jpg").encode(), "text/html")
            filler = hashlib.shake_256(str(n).encode()).digest(1 << 20)
            response(writer, f"{HOST}/img/{n}.jpg", picture + filler, "image/jpeg")
    assert (site / "content/big.wacz").stat().st_size > 300_000_000
    out = subprocess.run([sys.executable, "-c", MEASURE, str(site)], capture_output=True, text=True, check=True)
    articles, peak_mib = map(int, out.stdout.split())
    assert articles == 300 and peak_mib < 200, f"peak {peak_mib} MiB"


def test_only_a_changed_package_is_read_again(write_site, tmp_path: Path, monkeypatch) -> None:
    import generator.readers.wacz as wacz

    site = write_site({"site.toml": 'title = "T"\n'})
    data = warc_bytes(tmp_path)
    write_wacz(site / "content/one.wacz", data)
    write_wacz(site / "content/two.wacz", data, [{"url": f"{HOST}/2024/03/quay/"}])
    build_into(site, tmp_path / "out")
    reads: list[str] = []
    real = wacz._read_package

    def counted(package, archive):
        reads.append(archive.source)
        return real(package, archive)

    monkeypatch.setattr(wacz, "_read_package", counted)
    build_into(site, tmp_path / "out")
    assert reads == []
    write_wacz(site / "content/two.wacz", data, [{"url": f"{HOST}/2024/03/bridge/"}])
    build_into(site, tmp_path / "out")
    assert reads == ["content/two.wacz"]


def test_cut_or_flipped_packages_never_stop_a_read(write_site, tmp_path: Path) -> None:
    from generator.readers.scan import ContextFactory, read_one

    site = write_site({"site.toml": 'title = "T"\n'})
    whole = tmp_path / "whole.wacz"
    write_wacz(whole, warc_bytes(tmp_path), [{"url": f"{HOST}/2024/03/quay/"}])
    data = whole.read_bytes()
    target = site / "content/bad.wacz"
    context = ContextFactory(load(site)).for_file(target)
    for n in range(1, 40):
        at = len(data) * n // 40
        for variant in (data[:at], data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]):
            target.write_bytes(variant)
            result = read_one(target, context)  # must not raise
            assert result.diagnostics or result.article is not None
