"""ArchiveBox collections: one article per snapshot from its best capture, failed snapshots listed as skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import generator.readers.archivebox as archivebox
from generator.commands.inspect import inspect_captures
from generator.common.config import load
from tests.conftest import TESTS_PATH, build_into
from tests.test_warc_reader import write_warc

SAMPLE = TESTS_PATH / "fixtures/archivebox"  # tools/make_sample_singlefile.py
FIRST = "archive/1713171600.0"
URL = "https://www.harbour-light.example/2024/04/net-store-cafe/"


def collection(write_site) -> Path:
    site = write_site({"site.toml": 'title = "T"\ntimezone = "UTC"\n'})
    shutil.copytree(SAMPLE, site / "content/saved")
    return site


def read(site: Path, snapshot: str = FIRST) -> dict:
    [report] = inspect_captures(site / "content/saved" / snapshot / "index.json", load(site))
    return report


def test_each_snapshot_is_one_article_with_archivebox_tags_and_time(write_site, tmp_path: Path) -> None:
    site = collection(write_site)
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and not report.diagnostics
    first = read(site)
    assert first["reader"] == "singlefile" and first["source"] == f"content/saved/{FIRST}/singlefile.html"
    assert first["tags"] == ["Mill Quay", "Business", "harbour", "cafes"] and first["source_url"] == URL
    assert first["captured"] == "2024-04-15T09:00:00Z"
    page = (tmp_path / "out/2024/04/net-store-cafe/index.html").read_text()
    assert 'srcset="' in page and "base64" not in page


def test_snapshot_whose_extractors_all_failed_is_skipped_with_the_reason(write_site) -> None:
    site = collection(write_site)
    report = read(site, "archive/1713175200.0")
    assert report["title"] is None and report["skipped"] == (
        "ArchiveBox snapshot https://www.harbour-light.example/2024/04/regatta-postponed/: "
        "nothing usable (singlefile failed: SingleFile timed out after 60 seconds)"
    )


def test_best_capture_present_is_chosen_singlefile_wget_warc_then_output_html(write_site) -> None:
    site = collection(write_site)
    snapshot = site / "content/saved" / FIRST
    (snapshot / "singlefile.html").unlink()
    dom = read(site)
    assert dom["reader"] == "html" and dom["source"].endswith("/output.html")
    assert dom["captured"] == "2024-04-15T09:00:00Z"  # from the snapshot's timestamp
    write_warc(snapshot / "warc/1713171600.warc.gz")
    index = json.loads((snapshot / "index.json").read_text())
    index["url"] = "https://www.paper.example/2024/03/bridge/"  # the WARC's second page
    (snapshot / "index.json").write_text(json.dumps(index))
    warc = read(site)
    assert warc["reader"] == "warc" and warc["title"] == "Bridge survey" and "harbour" in warc["tags"]
    mirror = snapshot / "www.harbour-light.example/2024/04/net-store-cafe/index.html"
    mirror.parent.mkdir(parents=True)
    shutil.copy(snapshot / "output.html", mirror)
    index["history"]["wget"] = [{"status": "succeeded", "output": mirror.relative_to(snapshot).as_posix()}]
    (snapshot / "index.json").write_text(json.dumps(index))
    wget = read(site)
    assert (
        wget["reader"] == "html" and wget["source"] == f"content/saved/{FIRST}/{index['history']['wget'][0]['output']}"
    )


def test_only_the_snapshots_are_read_not_the_collection_files(write_site, tmp_path: Path) -> None:
    site = collection(write_site)
    (site / "content/saved/index.html").write_text("<html><body><p>ArchiveBox's own listing</p></body></html>")
    (site / "content/saved/sources").mkdir()
    (site / "content/saved/sources/bookmarks.txt").write_text(URL + "\n")
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and not report.diagnostics
    assert [source for source, _ in report.not_articles] == ["content/saved/archive/1713175200.0/index.json"]


def test_a_changed_snapshot_is_the_only_one_read_again(write_site, tmp_path: Path, monkeypatch) -> None:
    site = collection(write_site)
    second = site / "content/saved/archive/1713180000.0"
    mirror = second / "www.harbour-light.example/2024/04/rope-store/index.html"
    mirror.parent.mkdir(parents=True)  # a snapshot with only a wget mirror, in folders below the snapshot's own
    shutil.copy(site / "content/saved" / FIRST / "output.html", mirror)
    index = json.loads((site / "content/saved" / FIRST / "index.json").read_text())
    history = {"wget": [{"status": "succeeded", "output": mirror.relative_to(second).as_posix()}]}
    (second / "index.json").write_text(json.dumps({**index, "url": URL.replace("net", "rope"), "history": history}))
    build_into(site, tmp_path / "out")
    reads: list[str] = []
    real = archivebox._read

    def counted(kind, capture, *rest):
        reads.append(kind)
        return real(kind, capture, *rest)

    monkeypatch.setattr(archivebox, "_read", counted)
    build_into(site, tmp_path / "out")
    assert reads == []
    mirror.write_text(mirror.read_text().replace("Rope Walk", "Rope Walk Lane"))
    build_into(site, tmp_path / "out")
    assert reads == ["wget"]


def test_a_snapshot_address_that_is_not_http_is_never_the_source_link(write_site) -> None:
    site = collection(write_site)
    snapshot = site / "content/saved" / FIRST
    (snapshot / "singlefile.html").unlink()
    output = snapshot / "output.html"
    kept = [line for line in output.read_text().splitlines() if "canonical" not in line and "og:url" not in line]
    output.write_text("\n".join(kept))
    index = json.loads((snapshot / "index.json").read_text())
    (snapshot / "index.json").write_text(json.dumps({**index, "url": "javascript:alert(1)"}))
    assert read(site)["source_url"] is None
    (snapshot / "index.json").write_text(json.dumps({**index, "url": URL}))
    assert read(site)["source_url"] == URL
