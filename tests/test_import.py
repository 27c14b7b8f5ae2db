"""``backissue import``: page bundles that build to the same site as the captures."""

from __future__ import annotations

import shutil

from conftest import REPO_PATH, TESTS_PATH, build_into, output_files
from test_text_layouts import WORDPRESS, WPDISCUZ

from generator.commands.cli import EXIT_OK, main

SAMPLES = TESTS_PATH / "fixtures" / "text-captures"


def test_imported_bundles_build_to_the_same_site_byte_for_byte(tmp_path, capsys):
    captures = tmp_path / "captures"
    shutil.copytree(SAMPLES, captures / "content", ignore=shutil.ignore_patterns("expected.json"))
    (captures / "content/other").mkdir()
    (captures / "content/other/pier.txt").write_text(WPDISCUZ)
    (captures / "content/other/hedges.txt").write_text(WORDPRESS)
    imported = tmp_path / "imported"
    (captures / "site.toml").touch()
    status = main(["import", str(captures / "content"), "--to", str(imported / "content"), "--site", str(captures)])
    assert status == EXIT_OK
    assert "Imported 6 captures" in capsys.readouterr().err
    names = sorted(p.name for p in (imported / "content").iterdir())
    assert len(names) == 6 and names[0] == "central-library-extends-winter-opening-hours-adds-sunday-reading-room"
    assert "storm-closes-coast-road-for-three-days-volunteers-clear-shingle" in names  # bundles named by headline
    first = build_into(captures, tmp_path / "from-captures")
    second = build_into(imported, tmp_path / "from-bundles")
    assert first.articles == second.articles == 6
    assert output_files(tmp_path / "from-captures") == output_files(tmp_path / "from-bundles")


def test_markdown_articles_are_not_imported(tmp_path, capsys):
    (tmp_path / "a.md").write_text('+++\ntitle = "A"\n+++\nText\n')
    assert main(["import", str(tmp_path / "a.md"), "--to", str(tmp_path / "out")]) == 1
    assert "already a native article" in capsys.readouterr().err


def test_saved_pages_and_web_archives_import_to_bundles_that_build_the_same_site(tmp_path, capsys):
    captures = tmp_path / "captures"
    for name in ("mirror", "warc"):
        shutil.copytree(REPO_PATH / "content" / name, captures / "content" / name)
    shutil.copy(REPO_PATH / "site.toml", captures / "site.toml")
    imported = tmp_path / "imported"
    (captures / "site.toml").touch()
    status = main(["import", str(captures / "content"), "--to", str(imported / "content"), "--site", str(captures)])
    assert status == EXIT_OK
    err = capsys.readouterr().err.replace("\n", "")
    assert "not an article: tag listing" in err and "not an article: category listing" in err
    assert "merged into" in err  # the ?replytocom= copy joins its article's bundle, as a build merges it
    shutil.copy(REPO_PATH / "site.toml", imported / "site.toml")
    bundles = sorted((imported / "content").iterdir())
    assert not [b.name for b in bundles if b.name.endswith("-2")]
    assert any(p.suffix == ".jpg" for bundle in bundles for p in bundle.iterdir())  # mirrored images copied in
    first = build_into(captures, tmp_path / "from-captures")
    second = build_into(imported, tmp_path / "from-bundles")
    assert first.articles == second.articles == len(bundles) >= 4 and not second.diagnostics
    assert second.merged_captures == 0
    assert output_files(tmp_path / "from-captures") == output_files(tmp_path / "from-bundles")


def test_folder_defaults_reach_the_bundle_with_an_absolute_site_and_a_relative_capture(tmp_path, monkeypatch):
    from test_inspect import _mirror_site

    site = _mirror_site(tmp_path / "site")
    monkeypatch.chdir(site)
    capture = "content/mirror/news.example/2024/pier.html"
    assert main(["import", capture, "--to", str(tmp_path / "bundles"), "--site", str(site)]) == EXIT_OK
    assert "captured = 2024-04-02 07:30:00+00:00" in (tmp_path / "bundles/pier/index.md").read_text()


def test_a_build_reads_folder_defaults_alike_with_a_relative_or_an_absolute_site(tmp_path, monkeypatch):
    from test_inspect import _mirror_site

    site = _mirror_site(tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--site", "site", "--out", "relative", "--quiet"]) == EXIT_OK
    assert main(["build", "--site", str(site), "--out", str(tmp_path / "absolute"), "--quiet", "--clean"]) == EXIT_OK
    assert output_files(tmp_path / "relative") == output_files(tmp_path / "absolute")
    assert "2024-04-02" in (tmp_path / "absolute/undated/pier/index.html").read_text()
