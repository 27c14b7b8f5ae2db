"""Site themes extend the built-in one and override single templates, blocks and files."""

from __future__ import annotations

import pytest
from conftest import article, build_into

from generator.common.config import ConfigError


def test_a_site_theme_overrides_one_template_and_one_block_and_inherits_the_rest(write_site, tmp_path):
    site = write_site(
        {
            "site.toml": 'theme = "paper"\n',
            "content/a.md": article("Storm Night", date="2024-03-01"),
            "themes/paper/theme.toml": 'extends = "default"\n',
            "themes/paper/templates/404.html": (
                '{% extends "base.html" %}{% block main %}<p>Lost at sea.</p>{% endblock %}'
            ),
            "themes/paper/templates/base.html": (
                '{% extends "default:base.html" %}{% block extra_head %}'
                '<meta name="theme" content="paper">{% endblock %}'
            ),
            "themes/paper/static/extra.css": "body { color: navy; }",
        }
    )
    report = build_into(site, tmp_path / "out")
    assert report.diagnostics == []
    not_found = (tmp_path / "out/404.html").read_text()
    assert "Lost at sea." in not_found and '<meta name="theme" content="paper">' in not_found
    page = (tmp_path / "out/2024/03/a/index.html").read_text()
    assert "Storm Night" in page and '<meta name="theme" content="paper">' in page
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "out/static").iterdir()) == [
        "extra",
        "favicon",
        "share",
        "style",
    ]


def test_unknown_theme_and_extension_loops_are_config_errors(write_site, tmp_path):
    missing = write_site({"site.toml": 'theme = "nope"\n'}, "missing")
    with pytest.raises(ConfigError, match="'theme' 'nope' not found"):
        build_into(missing, tmp_path / "out1")
    looped = write_site(
        {
            "site.toml": 'theme = "a"\n',
            "themes/a/theme.toml": 'extends = "b"\n',
            "themes/b/theme.toml": 'extends = "a"\n',
        },
        "loop",
    )
    with pytest.raises(ConfigError, match="loop"):
        build_into(looped, tmp_path / "out2")


def test_a_site_theme_called_default_still_reaches_the_built_in_templates(write_site, tmp_path):
    site = write_site(
        {
            "site.toml": 'title = "T"\ntheme = "default"\n',
            "themes/default/templates/article.html": (
                '{% extends "default:article.html" %}{% block main %}<p>Own theme</p>{{ super() }}{% endblock %}'
            ),
            "content/a.md": article("A", date="2024-01-02"),
        }
    )
    report = build_into(site)
    assert not report.diagnostics
    assert "<p>Own theme</p>" in (site / "public/2024/01/a/index.html").read_text()
