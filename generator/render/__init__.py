"""From the planned site to files: templates and themes, feeds, the sitemap, hosting files, citations and the
search index.

Imports everything before it in the pipeline (:mod:`generator.model`, :mod:`generator.common`,
:mod:`generator.store`, :mod:`generator.readers`, :mod:`generator.site`), never :mod:`generator.build`.
"""
