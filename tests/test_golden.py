"""The small sample sites build to exactly the committed golden output.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff. Encoded images are compared by name only (their names carry
digests of source and parameters), since encoder bytes vary between Pillow releases.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import TESTS_PATH, build_into, output_files


@pytest.mark.parametrize("name", ["minimal", "threads"])
def test_site_matches_golden_output(make_site, tmp_path, update_golden, name):
    golden_path = TESTS_PATH / "golden" / name
    out = tmp_path / "out"
    build_into(make_site(name), out)
    built = output_files(out)
    if update_golden:
        shutil.rmtree(golden_path, ignore_errors=True)
        shutil.copytree(out, golden_path)
    golden = output_files(golden_path)
    assert sorted(built) == sorted(golden)
    for relative, data in built.items():
        if not relative.startswith("media/"):
            assert data == golden[relative], f"{relative} differs from tests/golden/{name}/{relative}"
