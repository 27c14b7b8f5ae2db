"""``backissue publish``: the built folder to a static host, changed files only, safely.

Every target works the same way. The local manifest (each built file's path
and size, read only from a folder a finished build recorded) and what the
remote has give a :class:`Plan`, comparing digests only where the remote has
the file and the target keeps digests (rsync compares for itself); the plan is shown, checked against the
deletion cap, and only then applied. Targets differ in how they learn what
the remote has and how they apply a plan, one module per kind of URL:
``local`` (file://), ``rsync`` (over ssh), ``git`` (a Pages branch), ``s3``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from generator.common.config import PublishTarget, SiteConfig
from generator.store.lock import LOCK_WAIT_SECONDS, build_lock
from generator.store.targets import STATE_FOLDER

DEFAULT_MAX_DELETES = 256  # as hugo deploy
Advance = Callable[[int], None]  # called with the bytes of each file moved


class PublishError(Exception):
    """Publishing cannot go on; the message says why and what to do (exit status 1)."""


Manifest = dict[str, int]  # built file → size


@dataclass
class Plan:
    """What publishing will do: paths to upload (new), update (changed), delete (stale), and those unchanged."""

    upload: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)

    def size(self, paths: Iterable[str]) -> int:
        return sum(self.sizes.get(path, 0) for path in paths)

    @property
    def transfers(self) -> list[str]:
        return self.upload + self.update

    @property
    def empty(self) -> bool:
        return not (self.upload or self.update or self.delete)


def compare(local: Manifest, remote: dict[str, str | None], digest: Callable[[str], str]) -> Plan:
    """The plan from the remote's digests and the local *digest* of each path the remote has too.

    A remote digest of None (unknown) means the file is replaced.
    """
    plan = Plan(sizes=dict(local))
    for path in sorted(local):
        if path not in remote:
            plan.upload.append(path)
        elif remote[path] != digest(path):
            plan.update.append(path)
        else:
            plan.unchanged.append(path)
    plan.delete = sorted(set(remote) - set(local))
    return plan


class Target(Protocol):
    """One place a site is published to."""

    description: str

    def plan(self, local: Manifest) -> Plan: ...

    def apply(self, plan: Plan, local: Manifest, advance: Advance) -> None: ...


def target_options(config: SiteConfig, spec: str | None) -> PublishTarget:
    """The ``[publish.NAME]`` table *spec* names, or a URL as a target without options."""
    targets = config.publish.targets
    if spec is None:
        if len(targets) == 1:
            return next(iter(targets.values()))
        known = ", ".join(sorted(targets)) or "none in site.toml"
        raise PublishError(f"say where to publish: a [publish.NAME] name ({known}) or a URL")
    if spec in targets:
        return targets[spec]
    if re.match(r"[a-z0-9+]+://|git\+|[^/:]+:", spec):
        return PublishTarget(url=spec)
    if "/" in spec or spec.startswith((".", "~")):  # a folder path: the same as its file:// URL
        return PublishTarget(url=Path(spec).expanduser().resolve().as_uri())
    known = ", ".join(sorted(targets)) or "none"
    hint = f"a folder here: ./{spec}"
    raise PublishError(f"no target {spec!r}: not a [publish.NAME] in site.toml ({known}) nor a URL ({hint})")


def open_target(options: PublishTarget, site_path: Path, out_path: Path, overwrite: bool = False) -> Target:
    """The target for a URL, chosen by its scheme (modules are imported only when used)."""
    url = options.url
    if url.startswith("-"):
        raise PublishError(f"{redact(url)!r} is not a URL")  # it would reach rsync or git as an option
    if url.startswith("file://"):
        from generator.commands.publish.local import LocalTarget

        return LocalTarget(url, site_path, out_path, overwrite)
    if url.startswith("git+"):
        from generator.commands.publish.git import GitTarget

        return GitTarget(options, site_path, out_path)
    if url.startswith("s3://"):
        from generator.commands.publish.s3 import S3Target

        return S3Target(options, out_path)
    if url.startswith("rsync://") or re.match(r"([^@/:]+@)?[^/:@]+:", url):
        from generator.commands.publish.rsync import RsyncTarget

        return RsyncTarget(options, out_path)
    raise PublishError(
        f"cannot publish to {redact(url)!r}: use file://, rsync://, user@host:/path, git+URL#branch or s3://"
    )


def check_deletes(plan: Plan, max_deletes: int, force: bool) -> None:
    if len(plan.delete) > max_deletes and not force:
        raise PublishError(
            f"refusing to delete {len(plan.delete):,} files from the remote (more than --max-deletes {max_deletes}); "
            "check the plan with --dry-run, then use --force or a higher --max-deletes"
        )


def redact(text: str) -> str:
    """*text* with any password in a URL (``scheme://user:secret@host``) blanked out."""
    return re.sub(r"(://[^/@:\s]*):[^/@\s]*@", r"\1:***@", text)


class Reporter(Protocol):
    """How the command line shows a publish: notices, the plan, and a progress bar by bytes."""

    def notice(self, message: str) -> None: ...

    def plan(self, target: Target, plan: Plan) -> None: ...

    def transfer(self, total_bytes: int) -> AbstractContextManager[Advance]: ...


def publish(
    site_path: Path,
    out_path: Path,
    options: PublishTarget,
    reporter: Reporter,
    dry_run: bool = False,
    max_deletes: int = DEFAULT_MAX_DELETES,
    force: bool = False,
    overwrite: bool = False,
) -> Plan:
    """Plan, show, check the cap, then apply; returns the plan (applied unless *dry_run*).

    Holds the build lock throughout, so no build swaps the folder while it is
    being read. *overwrite* lets a folder target replace a folder backissue has no record of making.
    """
    from generator.commands.publish.manifest import built_manifest

    with build_lock(site_path / STATE_FOLDER, LOCK_WAIT_SECONDS, reporter.notice):
        local = built_manifest(site_path / STATE_FOLDER, out_path)
        target = open_target(options, site_path, out_path, overwrite)
        plan = target.plan(local)
        reporter.plan(target, plan)
        if dry_run or plan.empty:
            return plan
        check_deletes(plan, max_deletes, force)
        with reporter.transfer(plan.size(plan.transfers)) as advance:
            target.apply(plan, local, advance)
        return plan
