"""``backissue init``: a new site from the skeleton that ships with backissue.

The skeleton (``generator/skeleton/``) builds with no warnings: a commented
``site.toml``, one Markdown article, one text capture with its sidecar, an
About page.
Nothing that exists is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from generator.store.targets import INIT, TargetRefused, check_target, enclosing_site


@dataclass
class InitReport:
    """Files written, and files left as they were because they existed."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def init_site(target: Path, force: bool = False) -> InitReport:
    """Write the skeleton into *target*; a non-empty folder needs *force*, and even then no file is replaced."""
    check_init_target(target, force)
    report = InitReport()
    for relative, source in _skeleton_files(resources.files("generator") / "skeleton", ""):
        path = target / relative
        if path.exists() or path.is_symlink():
            report.kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as out:  # "x": never replaces a file that appeared meanwhile
            out.write(source.read_bytes())
        report.written.append(path)
    return report


def check_init_target(target: Path, force: bool) -> None:
    """Refuse what every command refuses (the root, the home folder, a file, an enclosing site's inputs:
    :func:`~generator.targets.check_target`), and a non-empty folder without *force*."""
    check_target(target, enclosing_site(target), INIT)
    if target.is_dir() and any(target.iterdir()) and not force:
        raise TargetRefused(f"{target} is not empty; use --force to add the missing skeleton files (none is replaced)")


def _skeleton_files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    """Every file of the skeleton as (relative path, source), sorted."""
    files = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name == "__pycache__":
            continue
        relative = f"{prefix}{entry.name}"
        files += _skeleton_files(entry, relative + "/") if entry.is_dir() else [(relative, entry)]
    return files
