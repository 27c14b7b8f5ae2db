"""``git+URL#branch``: the build as the whole content of a branch (GitHub, GitLab or Codeberg Pages).

A bare repository under ``.backissue/publish/`` fetches the branch; the plan
is the difference between its tree and the built files (plus ``.nojekyll``,
and ``CNAME`` when configured). Applying writes the new blobs, makes one
commit on top of the branch and pushes it; git moves only the new objects,
and the push changes the branch in one step, so an interrupted publish
leaves it as it was. Nothing is committed when nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

from generator.commands.publish import Advance, Manifest, Plan, PublishError, compare, redact
from generator.common.config import PublishTarget
from generator.store.targets import STATE_FOLDER

DEFAULT_BRANCH = "gh-pages"
HASH_BATCH = 200  # files per `git hash-object` call: progress moves, process starts stay few
_IDENTITY = {name: value for role in ("AUTHOR", "COMMITTER") for name, value in
             ((f"GIT_{role}_NAME", "backissue"), (f"GIT_{role}_EMAIL", "backissue@localhost"))}  # fmt: skip


class GitTarget:
    def __init__(self, options: PublishTarget, site_path: Path, out_path: Path) -> None:
        self.remote, _, branch = options.url.removeprefix("git+").partition("#")
        self.branch = branch or DEFAULT_BRANCH
        plain_branch = re.fullmatch(r"[\w.-]+(/[\w.-]+)*", self.branch) and ".." not in self.branch
        if not self.remote or self.remote.startswith("-") or not plain_branch:
            raise PublishError(
                f"{redact(options.url)!r}: a git target is git+URL#branch (e.g. git+ssh://host/repo.git#gh-pages)"
            )
        key = hashlib.sha256(f"{self.remote}#{self.branch}".encode()).hexdigest()[:16]
        self.repo = site_path / STATE_FOLDER / "publish" / f"{key}.git"
        self.out_path = out_path
        self.extras = {".nojekyll": b""} | ({"CNAME": options.cname.strip().encode() + b"\n"} if options.cname else {})
        self.env = dict(os.environ, **({"GIT_SSH_COMMAND": options.ssh_command} if options.ssh_command else {}))
        self.description = f"{redact(self.remote)} (branch {self.branch})"
        self.parent: str | None = None
        self.blobs: dict[str, str] = {}  # every file of the branch to be → git's blob id

    def _git(self, *args: str, data: bytes | None = None, env: dict[str, str] | None = None) -> str:
        command = ["git", f"--git-dir={self.repo}", *args]
        try:
            result = subprocess.run(command, input=data, capture_output=True, env=env or self.env)
        except FileNotFoundError as error:
            raise PublishError(f"{self.description}: git is not installed ({error.strerror})") from error
        if result.returncode != 0:
            detail = " ".join(result.stderr.decode("utf-8", "replace").strip().splitlines()[-3:])
            raise PublishError(redact(f"{self.description}: git {args[0]} failed: {detail}"))
        return result.stdout.decode("utf-8", "surrogateescape")

    def plan(self, local: Manifest) -> Plan:
        if not self.repo.is_dir():
            self.repo.parent.mkdir(parents=True, exist_ok=True)
            self._git("init", "--quiet", "--bare")
        remote: dict[str, str | None] = {}
        if self._git("ls-remote", "--heads", self.remote, f"refs/heads/{self.branch}").strip():
            self._git(
                "fetch",
                "--quiet",
                "--no-tags",
                "--no-write-fetch-head",
                self.remote,
                f"+refs/heads/{self.branch}:refs/backissue/published",
            )
            self.parent = self._git("rev-parse", "refs/backissue/published^{commit}").strip()
            for line in self._git("ls-tree", "-r", "-z", "refs/backissue/published").split("\0"):
                if line:
                    meta, path = line.split("\t", 1)
                    remote[path] = meta.split()[2]
        self.blobs = {path: _blob_id((self.out_path / path).read_bytes()) for path in local}
        self.blobs |= {path: _blob_id(data) for path, data in self.extras.items()}
        branch = local | {path: len(data) for path, data in self.extras.items()}
        return compare(branch, remote, self.blobs.__getitem__)

    def apply(self, plan: Plan, local: Manifest, advance: Advance) -> None:
        built = [path for path in plan.transfers if path in local]
        for start in range(0, len(built), HASH_BATCH):
            batch = built[start : start + HASH_BATCH]
            paths = "".join(f"{self.out_path / path}\n" for path in batch).encode("utf-8", "surrogateescape")
            self._git("hash-object", "-w", "--no-filters", "--stdin-paths", data=paths)
            advance(plan.size(batch))
        for data in self.extras.values():
            self._git("hash-object", "-w", "--no-filters", "--stdin", data=data)
        commit = self._commit(plan)
        self._git("push", "--quiet", self.remote, f"{commit}:refs/heads/{self.branch}")
        self._git("update-ref", "refs/backissue/published", commit)

    def _commit(self, plan: Plan) -> str:
        index = self.repo / "backissue-index"
        index.unlink(missing_ok=True)
        env = dict(self.env, GIT_INDEX_FILE=str(index))
        listing = "".join(f"100644 {blob}\t{path}\0" for path, blob in sorted(self.blobs.items()))
        self._git(
            "update-index", "--add", "-z", "--index-info", data=listing.encode("utf-8", "surrogateescape"), env=env
        )
        tree = self._git("write-tree", env=env).strip()
        index.unlink()
        message = f"Publish: {len(plan.upload)} added, {len(plan.update)} updated, {len(plan.delete)} deleted"
        parent = ["-p", self.parent] if self.parent else []
        return self._git("commit-tree", tree, *parent, "-m", message, env=self._identity(env)).strip()

    def _identity(self, env: dict[str, str]) -> dict[str, str]:
        """The user's own git identity when there is one, else backissue's."""
        known = subprocess.run(["git", f"--git-dir={self.repo}", "config", "user.email"], capture_output=True, env=env)
        return env if known.returncode == 0 else env | _IDENTITY


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
