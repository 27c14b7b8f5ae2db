"""Front matter as Hugo, Jekyll and Pelican users write it, and bad values that cost only themselves."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import build_into, output_files

from generator.commands.cli import EXIT_OK, main
from generator.common.config import load
from generator.readers.scan import scan

TOML_ARTICLE = """+++
title = "Harbour Bridge Reopens"
date = 2024-11-02T09:30:00Z
authors = ["Dana Whitfield", "Sam Lee"]
tags = ["Transport"]
category = "Local"
summary = "The bridge is open again."
+++
The restored bridge reopened on *Saturday*.
"""

YAML_ARTICLE = """---
title: Harbour Bridge Reopens
date: 2024-11-02T09:30:00Z
author: [Dana Whitfield, Sam Lee]
tags:
  - Transport
categories: [Local, Roads]
description: The bridge is open again.
---
The restored bridge reopened on *Saturday*.
"""


def write(site: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def messages(site: Path) -> tuple[list, list[str]]:
    result = scan(load(site))
    return result.articles, [str(d) for d in result.diagnostics]


def test_yaml_and_toml_versions_of_an_article_build_identically(tmp_path):
    toml_site = write(tmp_path / "toml", {"content/news/bridge.md": TOML_ARTICLE})
    yaml_site = write(tmp_path / "yaml", {"content/news/bridge.md": YAML_ARTICLE})
    toml_report, yaml_report = build_into(toml_site), build_into(yaml_site)
    assert toml_report.diagnostics == yaml_report.diagnostics == []
    assert output_files(toml_site / "public") == output_files(yaml_site / "public")


def test_other_generators_key_names_are_understood(tmp_path):
    site = write(
        tmp_path,
        {
            "content/a.md": "---\ntitle: A\ndate: 2024-01-02\nauthor: Dana\nlastmod: 2024-02-01\n"
            "slug: first\naliases: [/old/a/]\ndraft: false\n---\nText.\n",
            "content/b.md": "---\ntitle: B\ndate: 2024-01-03\nstatus: draft\n---\nText.\n",
        },
    )
    articles, warnings = messages(site)
    assert warnings == []
    [a] = articles  # b is a draft (Pelican's status)
    assert (a.authors, a.slug, a.aliases) == (("Dana",), "first", ("/old/a/",))
    assert a.updated.date().isoformat() == "2024-02-01"


def test_an_impossible_date_costs_only_that_key_in_toml_and_yaml(tmp_path):
    site = write(
        tmp_path,
        {
            "content/t.md": '+++\ntitle = "T"\ndate = 2024-02-30\ntags = ["Kept"]\n+++\nText.\n',
            "content/y.md": "---\ntitle: Y\ndate: 2024-02-30\ntags: [Kept]\n---\nText.\n",
            "content/q.md": '---\ntitle: Q\nsummary: "unclosed\ntags: [Kept]\n---\nText.\n',
        },
    )
    articles, warnings = messages(site)
    assert sorted((a.title, a.tags, a.published) for a in articles) == [
        ("Q", ("Kept",), None), ("T", ("Kept",), None), ("Y", ("Kept",), None)
    ]  # fmt: skip
    assert len(warnings) == 3
    assert warnings[0].startswith("content/q.md:3: 'summary' is not valid YAML")
    assert warnings[1].startswith("content/t.md:3: 'date' is not valid TOML")
    assert "(at line" not in warnings[1]  # tomllib's own count of lines is not repeated
    assert warnings[2].startswith("content/y.md:3: 'date' is not a date or date-time")


def test_a_document_that_still_does_not_parse_skips_only_its_file(tmp_path):
    site = write(
        tmp_path,
        {
            "content/list.md": "---\n- a list\n- not keys\n---\nText.\n",
            "content/table.md": '+++\ntitle = "T"\n[broken\n+++\nText.\n',
            "content/ok.md": "---\ntitle: Ok\n---\n",
            "content/yaml.md": "---\ntitle: Y\n- item\n---\nText.\n",  # broken structure: no key is blamed
        },
    )
    articles, warnings = messages(site)
    assert [a.title for a in articles] == ["Ok"]
    assert warnings == [
        "content/list.md:2: not a table of keys, article skipped",
        "content/table.md:3: not valid TOML, article skipped: "
        "Expected ']' at the end of a table declaration at column 8",
        "content/yaml.md:3: not valid YAML, article skipped: expected <block end>, but found '-'",
    ]


def test_bad_values_in_sidecars_and_folder_defaults_name_their_own_file_and_line(tmp_path):
    site = write(
        tmp_path,
        {
            "content/paper/_defaults.toml": 'source = "Gazette"\ntags = 3\ncategory = "Local"\n',
            "content/paper/story.txt": "Market Hall Reopens\n\nThe hall reopened on Thursday after repairs.\n",
            "content/paper/story.toml": (
                'title = "Market Hall Reopens"\ncaptured = 2024-13-01\nsource_url = "ftp://x"\n'
            ),
        },
    )
    articles, warnings = messages(site)
    [story] = articles
    assert (story.source, story.category, story.title) == ("Gazette", "Local", "Market Hall Reopens")
    assert "content/paper/story.toml:2: 'captured' is not valid TOML" in " | ".join(warnings)
    assert any(w.startswith("content/paper/story.toml:3: 'source_url' must be an http(s) URL") for w in warnings)
    assert any(w.startswith("content/paper/_defaults.toml:2: 'tags' must be a list of strings") for w in warnings)


def test_readme_and_ignored_files_are_not_articles(tmp_path):
    site = write(
        tmp_path,
        {
            "site.toml": '[content]\nignore = ["README.md", "notes/*", "*.draft.md"]\n',
            "content/README.md": "# How this folder is organised\n",
            "content/notes/todo.md": '+++\ntitle = "Todo"\n+++\n',
            "content/wip.draft.md": '+++\ntitle = "Wip"\n+++\n',
            "content/real.md": '+++\ntitle = "Real"\n+++\n',
        },
    )
    articles, warnings = messages(site)
    assert [a.title for a in articles] == ["Real"] and warnings == []


def test_inspect_and_import_of_a_folder_skip_what_a_build_skips(tmp_path, capsys):
    files = {"site.toml": "", "content/README.md": "# Notes\n", "content/real.md": '+++\ntitle = "Real"\n+++\n'}
    site = write(tmp_path / "site", files)
    assert main(["inspect", "--json", "--site", str(site), str(site / "content")]) == EXIT_OK
    assert [json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()] == ["Real"]
    main(["import", str(site / "content"), "--to", str(tmp_path / "bundles"), "--site", str(site)])
    err = capsys.readouterr().err
    assert "content/real.md" in err and "README" not in err  # a native article is not imported; README not looked at


def test_readme_is_skipped_by_default(tmp_path):
    site = write(tmp_path, {"content/README.md": "# Notes\n", "content/real.md": '+++\ntitle = "Real"\n+++\n'})
    articles, _warnings = messages(site)
    assert [a.title for a in articles] == ["Real"]


def test_every_message_names_the_faulty_line_of_its_file(tmp_path):
    """Each warning is ``FILE:LINE: message`` and LINE is the line marked FAULT in FILE."""
    site = write(
        tmp_path,
        {
            "content/a/index.md": (
                '+++\ntitle = "A"\ndate = 2024-02-30  # FAULT\ntags = 3  # FAULT\n+++\n\n'
                "Text.\n\n![FAULT](missing.png)\n"
            ),
            "content/a/comments.toml": (
                '[[comments]]\nbody = "Hi"\n\n[[comments]]\nbody = "Yo"\ndate = 2024-13-01  # FAULT\nurl = 7  # FAULT\n'
            ),
            "content/b.md": (
                "---\ntitle: B\n\ndate: 2024-02-30  # FAULT\nsummary: [1, 2]  # FAULT\nkind: post  # FAULT\n---\n"
            ),
            "content/c.md": '+++\ntitle = "C"\nslug = "c"\naliases = ["x",  # FAULT\n+++\nText.\n',
            "content/paper/_defaults.toml": "\n\ncategory = 5  # FAULT\n",
            "content/paper/story.txt": "Market Hall Reopens\n\nThe hall reopened on Thursday after repairs.\n",
            "content/paper/story.toml": '\ncaptured = "soon"  # FAULT\ntitle = "Market Hall Reopens"\n',
        },
    )
    report = build_into(site)
    assert len(report.diagnostics) == 11, [str(d) for d in report.diagnostics]
    for diagnostic in report.diagnostics:
        assert str(diagnostic).startswith(f"{diagnostic.path}:{diagnostic.line}: ")
        faulty = (site / diagnostic.path).read_text(encoding="utf-8").split("\n")[diagnostic.line - 1]
        assert "FAULT" in faulty, str(diagnostic)
