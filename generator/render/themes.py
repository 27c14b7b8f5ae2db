"""Find a theme and the chain of themes it extends, ending at the built-in default."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator.common.config import ConfigError

THEME_FILE = "theme.toml"
SHARE_IMAGE = "share.png"  # a theme's share card for articles without images, when the site names none


def builtin_theme_path() -> Path:
    """The default theme: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parents[1]  # the generator package
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise ConfigError("the built-in default theme is missing; reinstall backissue")


@dataclass(frozen=True)
class Theme:
    """A theme chain, most specific first."""

    paths: tuple[Path, ...]

    @property
    def template_paths(self) -> list[Path]:
        return [path / "templates" for path in self.paths if (path / "templates").is_dir()]

    @property
    def named_template_paths(self) -> dict[str, Path]:
        """Theme name → its own templates, so ``"default:base.html"`` reaches a parent's file.

        Where two themes share a name (a site theme called ``default``), the
        name means the one further down the chain: a template that extends
        ``"default:article.html"`` must never reach itself.
        """
        return {path.parent.name: path for path in self.template_paths}  # later, less specific, wins

    def static_files(self) -> dict[str, Path]:
        """Static file name → file, the most specific theme winning."""
        files: dict[str, Path] = {}
        for theme_path in reversed(self.paths):
            static = theme_path / "static"
            for path in sorted(static.rglob("*")) if static.is_dir() else []:
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(static).as_posix()] = path
        return files


def load_theme(site_path: Path, name: str) -> Theme:
    """The chain for theme *name*: ``themes/NAME`` of the site, its parents, then the built-in default."""
    builtin = builtin_theme_path()
    chain: list[Path] = []
    current: str | None = name
    while current is not None:
        path = site_path / "themes" / current
        if not path.is_dir():
            if current == "default":
                break
            raise ConfigError(f"{site_path / 'site.toml'}: theme {current!r} not found in {site_path / 'themes'}")
        if path.resolve() in [p.resolve() for p in chain]:
            raise ConfigError(f"{path / THEME_FILE}: themes extend each other in a loop")
        chain.append(path)
        current = _parent_name(path)
    if builtin.resolve() not in [p.resolve() for p in chain]:
        chain.append(builtin)
    return Theme(tuple(chain))


def _parent_name(theme_path: Path) -> str | None:
    theme_file = theme_path / THEME_FILE
    if not theme_file.is_file():
        return None
    try:
        data = tomllib.loads(theme_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{theme_file}: cannot read theme settings: {error}") from error
    parent = data.get("extends")
    if parent is not None and not isinstance(parent, str):
        raise ConfigError(f"{theme_file}: 'extends' must be a theme name")
    return parent
