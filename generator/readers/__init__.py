"""The readers: each turns one kind of capture into articles.

:mod:`.base` holds what every reader shares (imported by readers, never importing them);
:mod:`.scan` finds the captures under ``content/`` and reads each with the reader for its suffix.

Imports :mod:`generator.model`, :mod:`generator.common` and :mod:`generator.store` (the build state
and the executor the scan uses, safe writes for the files a web archive holds).
"""
