"""Where backissue may write: one check for every folder a command writes into or replaces.

``build --out``, ``publish file://``, ``import --to`` (and any later command that makes a folder) call
:func:`check_target` before they touch anything. The rules:

* the file system root, the home folder, the site folder and its inputs (``site.toml``, ``content/``,
  ``themes/``, ``static/`` and the build state) are never a target, nor lie inside one, nor hold one, whatever
  the flags; a rule may let a command write inside named inputs (``import`` writes bundles into ``content/``);
* an existing file is never a target;
* a command that replaces or deletes what is in its folder (``Rule.replaces``) only does so to a folder
  that is empty, missing, or recorded in :data:`RECORD` as made by backissue for this site; ``overwrite``
  (the command's own ``--overwrite`` flag) lifts only this last rule.

The record lives beside the build state but outside its database, so neither ``--clean`` nor a new
version of backissue forgets which folders it made.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from generator.store.output import write_atomically

STATE_FOLDER = ".backissue"
RECORD = "made-folders.json"
SITE_FILE = "site.toml"
SITE_INPUTS = (SITE_FILE, "content", "themes", "static", STATE_FOLDER)
PREVIEW_FOLDER = f"{STATE_FOLDER}/serve"  # serve's own output: the one folder inside the build state a build may write
_LEGACY_STATE = "state.sqlite"  # builds before the record existed: their output folders are in its runs table


class TargetRefused(Exception):
    """A folder a command may not write into, with the reason and what to do instead."""


@dataclass(frozen=True)
class Rule:
    """What a command does with its target folder."""

    flag: str  # the option that names the target, for messages: "--out", "--to"
    replaces: bool  # it deletes or replaces what is already there
    may_enter: tuple[str, ...] = ()  # site inputs it may write inside


OUTPUT = Rule("--out", replaces=True)
PUBLISH = Rule("file://", replaces=True)
IMPORT = Rule("--to", replaces=False, may_enter=("content",))
INIT = Rule("init", replaces=False)


def require_site(site_path: Path) -> None:
    """``--site`` must be an existing folder holding ``site.toml``; nothing is created here."""
    if not site_path.is_dir():
        raise TargetRefused(f"{site_path} is not a folder; a site is a folder with a {SITE_FILE} and a content/ folder")
    if not (site_path / SITE_FILE).is_file():
        raise TargetRefused(
            f"{site_path} has no {SITE_FILE}: it is not a backissue site (a site is a folder with a {SITE_FILE}, "
            f"which may be empty, and a content/ folder of captures)"
        )


def check_target(
    target: Path, site_path: Path | None, rule: Rule, overwrite: bool = False, avoid: tuple[Path, ...] = ()
) -> Path:
    """The resolved *target* when *rule* allows writing there for the site in *site_path*; else TargetRefused.

    *avoid* names further folders the target may neither be, hold nor lie in (publish: the built output).
    Without a site (``init`` outside any site) only the root, the home folder and files are refused.
    """
    try:
        resolved = target.expanduser().resolve()
        site = site_path.resolve() if site_path else None
    except (OSError, RuntimeError) as error:  # a symbolic link loop
        raise TargetRefused(f"refusing {rule.flag} {target}: it cannot be resolved ({error})") from error
    _refuse_protected(resolved, target, site, rule, avoid)
    if resolved.exists() and not resolved.is_dir():
        raise TargetRefused(f"refusing {rule.flag} {target}: it is a file, and backissue never replaces a file")
    if rule.replaces and not overwrite and not (site and _made_here(site, resolved)):
        held = _listing(resolved)
        if held:
            raise TargetRefused(
                f"refusing {rule.flag} {target}: it already holds {held}, and backissue has no record of making it; "
                f"choose another folder, empty this one, or pass --overwrite to let backissue replace everything in it"
            )
    return resolved


def remember_target(site_path: Path, target: Path) -> None:
    """Record that backissue made (or was allowed to replace) *target* for this site."""
    made = _record(site_path.resolve())
    resolved = str(target.resolve())
    if resolved not in made:
        record = site_path / STATE_FOLDER / RECORD
        write_atomically(record, json.dumps(sorted(made | {resolved}), indent=1).encode())


def enclosing_site(path: Path) -> Path | None:
    """The nearest folder above *path* that holds a ``site.toml``, if any."""
    return next((folder for folder in path.resolve().parents if (folder / SITE_FILE).is_file()), None)


def _refuse_protected(resolved: Path, target: Path, site: Path | None, rule: Rule, avoid: tuple[Path, ...]) -> None:
    home = Path.home().resolve()
    if resolved == Path(resolved.anchor):
        raise TargetRefused(f"refusing {rule.flag} {target}: it is the file system root")
    if resolved == home or resolved in home.parents:
        raise TargetRefused(f"refusing {rule.flag} {target}: it is or holds the home folder")
    if site is None:
        return
    if resolved == site or resolved in site.parents:
        raise TargetRefused(f"refusing {rule.flag} {target}: it is or holds the site folder {site}")
    if resolved == site / PREVIEW_FOLDER:
        return
    for name in SITE_INPUTS:
        protected = (site / name).resolve()
        if name in rule.may_enter and (resolved == protected or protected in resolved.parents):
            continue
        if resolved == protected or protected in resolved.parents:
            raise TargetRefused(f"refusing {rule.flag} {target}: it is or lies inside the site's {name}")
    for folder in avoid:
        folder = folder.resolve()
        if resolved == folder or folder in resolved.parents or resolved in folder.parents:
            raise TargetRefused(f"refusing {rule.flag} {target}: it overlaps {folder}")


def _made_here(site: Path, resolved: Path) -> bool:
    return str(resolved) in _record(site) or str(resolved) in _legacy_outputs(site)


def _record(site: Path) -> set[str]:
    try:
        made = json.loads((site / STATE_FOLDER / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {entry for entry in made if isinstance(entry, str)} if isinstance(made, list) else set()


def _legacy_outputs(site: Path) -> set[str]:
    """Output folders the build state of an older backissue recorded, read without changing the state."""
    path = site / STATE_FOLDER / _LEGACY_STATE
    if not path.is_file():
        return set()
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return {row[0] for row in db.execute("SELECT target FROM runs")}
    except sqlite3.Error:
        return set()


def _listing(folder: Path) -> str:
    """A short account of what is in *folder* ("" when it is empty or missing), for the refusal message."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return ""
    if not names:
        return ""
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3:,} more" if len(names) > 3 else "")
    return f"{len(names):,} entr{'y' if len(names) == 1 else 'ies'} ({shown})"
