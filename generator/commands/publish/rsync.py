"""``rsync://[user@]host[:port]/path`` or ``[user@]host:/path``: the real rsync over ssh.

The plan is rsync's own dry run (``--itemize-changes`` with checksums), so
what is shown is exactly what the real run then does. ssh brings the user's
own configuration, keys and agent; backissue never sees a credential.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.commands.publish import Advance, Manifest, Plan, PublishError, redact
from generator.common.config import PublishTarget

_LINE = re.compile(r"(\S+) +(\d+) (.*)")
_ESCAPE = re.compile(r"\\#([0-7]{3})")


class RsyncTarget:
    def __init__(self, options: PublishTarget, out_path: Path) -> None:
        if shutil.which("rsync") is None:
            raise PublishError("rsync is not installed here; install it (e.g. apt install rsync) to publish over ssh")
        self.destination, port = _destination(options.url)
        shell = options.ssh_command or os.environ.get("RSYNC_RSH", "")
        if port:
            shell = f"{shell or 'ssh'} -p {port}"
        self.shell = shell
        self.out_path = out_path
        self.description = redact(options.url)

    def _command(self, *extra: str) -> list[str]:
        command = [
            "rsync",
            "--recursive",
            "--checksum",
            "--delete-after",
            "--mkpath",
            "--8-bit-output",
            "--out-format=%i %l %n",
            *extra,
        ]
        if self.shell:
            command += ["--rsh", self.shell]
        return command + [f"{self.out_path}/", self.destination]

    def plan(self, local: Manifest) -> Plan:
        result = subprocess.run(self._command("--dry-run"), capture_output=True, text=True, errors="replace")
        if result.returncode != 0:
            raise PublishError(_failure(self.description, result.returncode, result.stderr))
        plan = Plan(sizes=dict(local))
        for change, _size, path in _changes(result.stdout.splitlines()):
            if change.startswith("*deleting"):
                plan.delete.append(path)
            elif change.endswith("+" * 9):
                plan.upload.append(path)
            elif change[0] in "<>":
                plan.update.append(path)
        moving = set(plan.transfers)
        plan.unchanged = sorted(path for path in local if path not in moving)
        return plan

    def apply(self, plan: Plan, local: Manifest, advance: Advance) -> None:
        """The real run; each file rsync reports as sent advances the progress."""
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(
                self._command(), stdout=subprocess.PIPE, stderr=errors, text=True, errors="replace"
            )
            try:
                for change, size, _path in _changes(process.stdout):
                    if change[0] in "<>":
                        advance(size)
                returncode = process.wait()
            except BaseException:
                process.kill()
                process.wait()
                raise
            if returncode != 0:
                errors.seek(0)
                raise PublishError(_failure(self.description, returncode, errors.read().decode("utf-8", "replace")))


def _destination(url: str) -> tuple[str, str]:
    """rsync's ``[user@]host:/path`` and the ssh port (empty: ssh's own default)."""
    if not url.startswith("rsync://"):
        return url, ""
    parts = urlsplit(url)
    if not parts.hostname or not parts.path.startswith("/"):
        raise PublishError(f"{redact(url)!r}: an rsync URL is rsync://[user@]host[:port]/path")
    user = f"{unquote(parts.username)}@" if parts.username else ""
    return f"{user}{parts.hostname}:{unquote(parts.path)}", str(parts.port or "")


def _changes(lines: Iterable[str]) -> Iterator[tuple[str, int, str]]:
    """``(change, size, path)`` for each file line of rsync's output (folders are left out)."""
    for line in lines:
        match = _LINE.fullmatch(line.rstrip("\n"))
        if match and not match[3].endswith("/"):
            change, size, path = match.groups()
            if change[1:2] == "f" or change.startswith("*deleting"):
                yield change, int(size), _ESCAPE.sub(lambda m: chr(int(m[1], 8)), path)


def _failure(description: str, code: int, stderr: str) -> str:
    what = "could not reach the host over ssh" if code == 255 else f"rsync failed (status {code})"
    detail = " ".join(stderr.strip().splitlines()[-3:])
    return redact(f"{description}: {what}: {detail}" if detail else f"{description}: {what}")
