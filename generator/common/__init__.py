"""What every part of the pipeline shares: the site's configuration, parsing of TOML/YAML documents and
Markdown, URL and web-address rules, language tags and translations.

Imports only :mod:`generator.model` and other modules of this package.
"""
