"""The small sample sites build to exactly the committed golden output.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff. Pages, feeds and site files are compared byte for byte.
Theme files and images carry a digest of their content (or of the source and
settings) in their names, so they are compared by name, listed in
``NAMED_FILES`` — which also keeps encoder bytes, which vary between Pillow
releases, out of the comparison.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import TESTS_PATH, build_into, output_files

NAMED_FOLDERS = ("static/", "media/")
NAMED_FILES = "named-files.txt"


@pytest.mark.parametrize("name", ["minimal", "threads", "german"])
def test_site_matches_golden_output(make_site, tmp_path, update_golden, name):
    golden_path = TESTS_PATH / "golden" / name
    out = tmp_path / "out"
    build_into(make_site(name), out)
    built = output_files(out)
    compared = {path: data for path, data in built.items() if not path.startswith(NAMED_FOLDERS)}
    named = sorted(path for path in built if path.startswith(NAMED_FOLDERS))
    if update_golden:
        shutil.rmtree(golden_path, ignore_errors=True)
        golden_path.mkdir(parents=True)
        for relative, data in compared.items():
            (golden_path / relative).parent.mkdir(parents=True, exist_ok=True)
            (golden_path / relative).write_bytes(data)
        (golden_path / NAMED_FILES).write_text("\n".join(named) + "\n")
    golden = output_files(golden_path)
    assert golden.pop(NAMED_FILES).decode().split() == named
    assert sorted(compared) == sorted(golden)
    for relative, data in compared.items():
        assert data == golden[relative], f"{relative} differs from tests/golden/{name}/{relative}"
