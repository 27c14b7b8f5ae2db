"""The command line and what it runs besides a build: ``serve``, ``publish``, ``check``, ``inspect``,
``import`` and ``init``.

May import any part of backissue; :mod:`.publish` imports nothing from :mod:`generator.build`, so a site can
be published by a process that never builds.
"""
