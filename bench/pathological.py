"""Wall seconds to read each pathological input of the fuzz suite (one megabyte by default).

    .venv/bin/python bench/pathological.py [--scale 2]

The test only checks that twice an input costs at most 2.5 times as much
(tests/test_fuzz.py); this prints the absolute figures, which depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_fuzz import HEADS, PATHOLOGICAL, pathological, read  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=2.0, help="size relative to the test's full size (about 0.5 MB)")
    args = parser.parse_args()
    print(f"{'input':<18} {'reader':<6} {'MB':>5} {'seconds':>8}")
    for name in sorted(PATHOLOGICAL):
        for suffix in sorted(HEADS):
            data = pathological(name, suffix, args.scale)
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                read(Path(folder), "big" + suffix, data)
                elapsed = time.perf_counter() - started
            print(f"{name:<18} {suffix:<6} {len(data) / 1e6:>5.2f} {elapsed:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
