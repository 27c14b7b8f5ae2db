"""The built folder as publish sees it: only a folder a finished build recorded, file by file with sizes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from generator.commands.publish import Manifest, PublishError
from generator.store.cache import BUILT, BuildState
from generator.store.journal import journal_path


def built_manifest(cache_path: Path, out_path: Path) -> Manifest:
    """Path → size of every built file; refuses a folder no finished build made as it is now."""
    target = str(out_path.resolve())
    if journal_path(cache_path, out_path).exists():  # the build that finishes it also brings the records up to date
        raise PublishError(
            f"{out_path} holds an unfinished commit of an interrupted build (some files old, some new); "
            "run backissue build to finish it before publishing"
        )
    state = BuildState(cache_path)
    try:
        status, recorded = state.build_status(target), state.outputs(target)
    finally:
        state.close()
    if status is None or not recorded:
        raise PublishError(
            f"{out_path} has no record of a finished build (by this version of backissue); run backissue build"
        )
    if status != BUILT:
        why = "did not finish (interrupted?)" if status.startswith("building") else status
        raise PublishError(f"the last build into {out_path} {why}; fix it and build again before publishing")
    found = file_sizes(out_path)
    missing = sorted(set(recorded) - set(found))
    extra = sorted(set(found) - set(recorded))
    changed = sorted(path for path in set(found) & set(recorded) if found[path] != recorded[path].size)
    for problem, paths in (
        ("missing", missing),
        ("not made by the build", extra),
        ("changed since the build", changed),
    ):
        if paths:
            raise PublishError(
                f"{out_path} is not the complete build: {paths[0]} {problem} ({len(paths)} in all); build again"
            )
    return dict(sorted(found.items()))


def file_sizes(root: Path) -> dict[str, int]:
    """Relative path → size of every file below *root* (symbolic links included, never followed)."""
    found = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.lstat().st_size
    return found


def md5_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "md5").hexdigest()
