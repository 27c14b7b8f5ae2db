"""backissue: static sites from mirrored news archives."""

__version__ = "0.1.0"
