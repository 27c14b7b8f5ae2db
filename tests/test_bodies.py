"""Article bodies kept in the build state: the scan keeps light articles, pages load their own bodies by key."""

from __future__ import annotations

import sqlite3

from conftest import article, build_into, output_files
from PIL import Image

from generator import build as build_module
from generator.common import config as config_module
from generator.readers import scan as scan_module
from generator.readers.scan import read_one, scan
from generator.render.renderer import PageBatch, page_images
from generator.store.bodies import load_bodies
from generator.store.cache import BuildState
from generator.store.executor import JobRunner, resolve
from generator.store.targets import STATE_FOLDER

COMMENTS = (
    '[[comments]]\nid = "c1"\nauthor = "Ada"\nbody = "First."\n'
    + '[[comments]]\nid = "c2"\nparent = "c1"\nbody = "Reply."\n'
)
FIGURE = "![A harbour at dawn](harbour.png)"


def archive(count: int) -> dict[str, str]:
    files = {}
    for number in range(count):
        body = f"Lead of story {number}.\n\n{FIGURE if number == 0 else 'Plain.'}\n\nThe end of story {number}."
        files[f"content/s{number:03d}/index.md"] = article(
            f"Story {number}", body, date=f"2024-01-{number % 28 + 1:02d}"
        )
        files[f"content/s{number:03d}/comments.toml"] = COMMENTS
    return files


def test_a_scan_with_a_build_state_keeps_light_articles_and_stores_their_bodies(write_site, tmp_path):
    site = write_site(archive(3))
    config = config_module.load(site)
    state = BuildState(site / STATE_FOLDER)
    try:
        scanned = scan(config, state)
        light = {a.source_path: a for a in scanned.articles}
        whole = read_one(site / "content/s000/index.md", scan_context(config)).article
        first = light["content/s000/index.md"]
        assert first.stored is not None and first.comments == () and first.comment_count == 2
        assert [b.kind for b in first.blocks] == ["figure"] and all(not b.html and not b.text for b in first.blocks)
        assert first.images == whole.images and first.lead_image == whole.lead_image
        body = load_bodies(state.bodies(), [first.stored.key])[first.stored.key]
        assert body == (whole.blocks, whole.comments)
    finally:
        state.close()


def scan_context(config):
    from generator.readers.scan import ContextFactory

    return ContextFactory(config).for_file(config.content_path / "s000" / "index.md")


def test_cluster_tasks_carry_their_pages_with_only_the_bodies_and_images_those_show(write_site, tmp_path, monkeypatch):
    site = write_site(archive(260))
    Image.new("RGB", (320, 200), "navy").save(site / "content/s000/harbour.png")
    batches: list[PageBatch] = []
    real = build_module.render_batch

    def spied(setup, batch):
        assert not resolve(setup).pages  # the site is not broadcast
        batches.append(batch)
        return real(setup, batch)

    monkeypatch.setattr(JobRunner, "local_pool", property(lambda runner: False))
    monkeypatch.setattr(build_module, "render_batch", spied)
    report = build_module.build(site, tmp_path / "cluster", jobs=1)
    monkeypatch.undo()
    assert not report.errors and len(batches) > 1
    for batch in batches:
        shown = {page.context["article"].stored.key for page in batch.pages if "article" in page.context}
        assert set(batch.bodies.data) == shown  # the bodies of its own article pages, no others
        assert set(batch.published) == set().union(*map(page_images, batch.pages))
    assert sum(len(batch.bodies.data) for batch in batches) == 260  # each body sent once
    assert sum(1 for batch in batches if batch.published) >= 1  # the harbour, with the pages that show it
    build_into(site, tmp_path / "local")
    assert output_files(tmp_path / "cluster") == output_files(tmp_path / "local")


def test_a_body_lost_from_the_state_has_its_capture_read_again(write_site, tmp_path, monkeypatch):
    real = scan_module.read_one
    site = write_site(archive(4))
    build_into(site, tmp_path / "out")
    state = BuildState(site / STATE_FOLDER)
    key = next(a for a in scan(config_module.load(site), state).articles if a.title == "Story 2").stored.key
    state.close()
    db = sqlite3.connect(site / STATE_FOLDER / "state.sqlite")
    with db:
        db.execute("DELETE FROM bodies WHERE key = ?", (key,))
    db.close()
    read = []
    monkeypatch.setattr(
        scan_module, "read_one", lambda path, context: read.append(path.parent.name) or real(path, context)
    )
    report = build_into(site, tmp_path / "elsewhere")
    assert read == ["s002"] and not report.errors
    assert output_files(tmp_path / "elsewhere") == output_files(tmp_path / "out")
