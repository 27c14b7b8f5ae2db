"""``file:///path``: keep a local folder (a mounted share, a web server's root) equal to the build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.commands.publish import Advance, Manifest, Plan, PublishError, compare
from generator.commands.publish.manifest import file_sizes, md5_of
from generator.store.output import safe_join
from generator.store.targets import PUBLISH, TargetRefused, check_target, remember_target

TEMPORARY_SUFFIX = ".backissue-partial"


class LocalTarget:
    def __init__(self, url: str, site_path: Path, out_path: Path, overwrite: bool = False) -> None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise PublishError(f"{url!r}: a file URL needs an absolute path, as file:///srv/www/news")
        self.root = Path(unquote(parts.path))
        self.out_path = out_path
        self.site_path = site_path
        self.description = str(self.root)
        try:
            check_target(self.root, site_path, PUBLISH, overwrite, avoid=(out_path,))
        except TargetRefused as error:
            raise PublishError(str(error)) from error

    def plan(self, local: Manifest) -> Plan:
        remote = {
            relative: _md5_if(self.root / relative, local[relative]) if relative in local else None
            for relative in file_sizes(self.root)
        }
        return compare(local, remote, lambda relative: md5_of(self.out_path / relative))

    def apply(self, plan: Plan, local: Manifest, advance: Advance) -> None:
        """Each file is copied beside its place and renamed into it, so readers never see half a file."""
        made: set[Path] = set()
        for relative in plan.transfers:
            target = safe_join(self.root, relative)
            if target.parent not in made:
                _make_folder(self.root, target.parent)
                made.add(target.parent)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            partial = target.with_name(target.name + TEMPORARY_SUFFIX)
            shutil.copyfile(safe_join(self.out_path, relative), partial)
            os.replace(partial, target)
            advance(local[relative])
        for relative in plan.delete:
            stale = safe_join(self.root, relative)
            if stale.is_symlink() or stale.is_file():  # not when a folder took its place above
                stale.unlink()
        _remove_empty_folders(self.root)
        remember_target(self.site_path, self.root)


def _md5_if(path: Path, size: int) -> str | None:
    """The MD5 of a regular file of the expected size; None (so: replace it) otherwise."""
    try:
        if path.is_symlink() or path.stat().st_size != size:
            return None
        return md5_of(path)
    except OSError:
        return None


def _make_folder(root: Path, folder: Path) -> None:
    """*folder* below *root* as real folders: a link or file in the way is replaced, never followed out."""
    root.mkdir(parents=True, exist_ok=True)
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        current.mkdir(exist_ok=True)


def _remove_empty_folders(root: Path) -> None:
    for folder, _dirs, _names in os.walk(root, topdown=False):
        if folder != str(root) and not os.listdir(folder):
            os.rmdir(folder)
