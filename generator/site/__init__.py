"""From articles to a site: duplicate captures merged, comments threaded, terms and date archives filed,
every page planned with the URLs it lives at.

Imports :mod:`generator.model`, :mod:`generator.common`, :mod:`generator.store` and :mod:`generator.readers`.
"""
