"""Where the images a web archive holds are kept, per archive, in the build state."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.store.targets import STATE_FOLDER

ARCHIVE_FOLDER = Path(STATE_FOLDER) / "warc"  # images kept from web archives, per archive digest


def prune_archive_folders(site_path: Path, keep: set[str]) -> None:
    """Remove the images kept for web archives that are no longer in ``content/`` (or have changed)."""
    folder = site_path / ARCHIVE_FOLDER
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_dir() and not entry.is_symlink() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
