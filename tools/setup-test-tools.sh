#!/usr/bin/env bash
# What the quality-gate tests need beyond Python, installed only when missing:
# Debian's chromium, Java (for the Nu validator), nginx, and sshd and rsync
# (publish tests); a system python3 and the Unix user backissue-worker, who runs
# the Dask scheduler and workers of the cluster tests (tests/foreign_cluster.py)
# and cannot read the sites they build; the npm packages pinned in
# package-lock.json (playwright-core, axe-core, vnu-jar, lighthouse).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v rsync >/dev/null || missing+=(rsync)
[ -x /usr/bin/python3 ] || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-test-tools: run as root to install: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! id backissue-worker >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-test-tools: run as root to add the user backissue-worker (the cluster tests skip without it)" >&2
  else
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      backissue-worker
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
