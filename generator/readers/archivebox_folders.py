"""How ArchiveBox lays out its data folder: what finding captures needs to know, without reading any."""

from __future__ import annotations

from pathlib import Path

INDEX = "index.json"
DATA_MARKERS = ("index.sqlite3", "ArchiveBox.conf")


def is_data_folder(folder: Path) -> bool:
    """An ArchiveBox data folder: its database (or configuration) beside ``archive/``."""
    return (folder / "archive").is_dir() and any((folder / marker).is_file() for marker in DATA_MARKERS)


def is_snapshot(folder: Path) -> bool:
    """A snapshot folder ``archive/<timestamp>/`` of an ArchiveBox data folder."""
    return folder.parent.name == "archive" and (folder / INDEX).is_file() and is_data_folder(folder.parent.parent)
