"""site.toml: defaults, unknown keys with suggestions, wrong types and values."""

from __future__ import annotations

import pytest

from generator.commands.cli import EXIT_CONFIG, main
from generator.common.config import ConfigError, SiteConfig, load


def write_config(tmp_path, text: str):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_missing_file_gives_every_default(tmp_path):
    config = load(tmp_path)
    assert config == SiteConfig(site_path=tmp_path)
    assert config.images.widths == [320, 640, 1280]
    assert config.comments.order == "oldest"
    assert config.capture.learn_boilerplate is True


def test_every_documented_key_is_accepted(tmp_path):
    text = """
title = "T"
description = "D"
base_url = "https://example.org/news/"
language = "de"
timezone = "Europe/Berlin"
theme = "default"
per_page = 5
permalink = "{year}/{slug}/"
undated_permalink = "misc/{slug}/"
[taxonomies]
tags = "themen"
[images]
widths = [100]
formats = ["avif"]
quality = 70
max_pixels = 1000
keep_metadata = true
[comments]
order = "newest"
max_depth = 3
collapse_over = 10
[feeds]
atom = false
per_term = false
entries = 5
[capture]
boilerplate = ["/^Share/"]
image_markers = ["Enlarge"]
learn_boilerplate = false
[publish]
host_files = true
[publish.live]
url = "file:///srv/www"
[publish.pages]
url = "s3://bucket/news"
endpoint_url = "http://127.0.0.1:9000"
region = "auto"
"""
    config = load(write_config(tmp_path, text))
    assert config.per_page == 5
    assert config.taxonomies == {"tags": "themen"}
    assert config.images.formats == ["avif"]
    assert config.publish.host_files is True
    assert config.publish.targets["live"].url == "file:///srv/www"
    assert config.publish.targets["pages"].endpoint_url == "http://127.0.0.1:9000"
    assert config.tzinfo.key == "Europe/Berlin"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("per_pgae = 3", "unknown key 'per_pgae'; did you mean 'per_page'?"),
        ("[images]\nwidht = [1]", "unknown key 'images.widht' in table [images]; did you mean 'images.width"),
        ("[comment]\norder = 'oldest'", "did you mean 'comments'?"),
        ("per_page = '20'", "'per_page' must be a whole number, not '20'"),
        ("per_page = true", "'per_page' must be a whole number"),
        ("[images]\nwidths = [320, 'big']", "'images.widths' must be a whole number, not 'big'"),
        ("per_page = 0", "'per_page' must be at least 1"),
        ("timezone = 'Mars/Base'", "not a known time zone"),
        ("permalink = '{year}/{title}/'", "unknown field(s) ['title']"),
        ("permalink = '../{slug}/'", "must be a relative path"),
        ("[comments]\norder = 'random'", "'comments.order' must be"),
        ("[images]\nformats = ['bmp']", "unknown format(s) ['bmp']"),
        ("[taxonomies]\ntgas = 'tags'", "did you mean 'taxonomies.tags'?"),
        ("title = ", "invalid TOML"),
        (
            "[publish.live]\nurl = 'file:///x'\nendpoint = 'y'",
            "unknown key 'publish.live.endpoint' in table [publish.live]; did you mean 'publish.live.endpoint_url'?",
        ),
        ("[publish.live]\nregion = 'x'", "'publish.live' needs a 'url'"),
        ("[publish]\nhost_file = true", "did you mean 'publish.host_files'?"),
        (
            "[capture]\nboilerplate = ['/(unclosed/']",
            "'capture.boilerplate' rule '/(unclosed/' is not a valid regular expression",
        ),
        ("[cluster]\ntimeout = 0", "'cluster.timeout' must be at least 1 (seconds)"),
        ("[cluster]\ntimout = 60", "did you mean 'cluster.timeout'?"),
    ],
)
def test_bad_config_is_one_clear_message(tmp_path, text, expected):
    with pytest.raises(ConfigError) as caught:
        load(write_config(tmp_path, text))
    message = str(caught.value)
    assert "site.toml" in message
    assert expected in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title = 'x'\n\n[publish.local]\nurl = 'file:///x'\nper_pgae = 3\n",
            ":5: unknown key 'publish.local.per_pgae' in table [publish.local]; did you mean 'per_page'? "
            "It belongs at the top of the file, before any [table]",
        ),
        (
            "title = 'x'\ntimezone = 'Europe/Berln'\n",
            ":2: 'timezone' 'Europe/Berln' is not a known time zone; did you mean 'Europe/Berlin'?",
        ),
        (
            "\ntheme = 'fancy'\n",
            ":2: 'theme' 'fancy' not found in {themes} (there: fanciful, plain; built in: default); "
            "did you mean 'fanciful'?",
        ),
        ("title = 'x'\n[images]\nwidths = [320,\n", ":3: invalid TOML: Invalid value"),
        ("[images]\n\nquality = 'high'\n", ":3: 'images.quality' must be a whole number, not 'high'"),
    ],
)
def test_config_messages_name_the_line_and_suggest(tmp_path, text, expected):
    for name in ("fanciful", "plain"):
        (tmp_path / "themes" / name).mkdir(parents=True)
    with pytest.raises(ConfigError) as caught:
        load(write_config(tmp_path, text))
    assert str(caught.value) == str(tmp_path / "site.toml") + expected.format(themes=tmp_path / "themes")


def test_every_config_problem_is_marked_as_an_error(tmp_path, capsys):
    write_config(tmp_path, "per_page = 0\ntimezone = 'Nowhere/Town'\n")
    assert main(["build", "--site", str(tmp_path)]) == EXIT_CONFIG
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)


def test_cli_exits_2_on_config_error_and_names_the_key(tmp_path, capsys):
    write_config(tmp_path, "per_pgae = 3\n")
    (tmp_path / "content").mkdir()
    assert main(["build", "--site", str(tmp_path)]) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert "per_pgae" in err and "per_page" in err
    assert not (tmp_path / "public").exists()
