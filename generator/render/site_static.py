"""``static/`` at the site root: plain files (``CNAME``, ``favicon.ico``, ``.well-known/``) copied to the output root.

The same rules as ``content/`` hold: hidden files and folders are skipped
(except ``.well-known/``, which hosts and browsers look for), and a symlink
pointing out of ``static/`` is refused with a warning.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.model import Diagnostic

STATIC_FOLDER = "static"
_KEPT_HIDDEN = frozenset({".well-known"})


def site_static_files(site_path: Path) -> tuple[dict[str, Path], list[Diagnostic]]:
    """Output path → file, for every file under ``SITE/static/``, in sorted order; refused files as warnings."""
    root = site_path / STATIC_FOLDER
    resolved_root = root.resolve()
    files: dict[str, Path] = {}
    diagnostics = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if _shown(d))
        for name in sorted(n for n in filenames if _shown(n)):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() and not path.resolve().is_relative_to(resolved_root):
                message = "refused: symlink pointing outside the static folder"
                diagnostics.append(Diagnostic(f"{STATIC_FOLDER}/{relative}", message))
                continue
            files[relative] = path
    return files, diagnostics


def _shown(name: str) -> bool:
    return not name.startswith(".") or name in _KEPT_HIDDEN
