"""TOML and YAML documents (front matter, sidecars, folder defaults, comments) read so a bad value costs only itself.

When the parser rejects a document at one ``key = value`` line (tomllib
refuses ``date = 2024-02-30`` outright), that line is set aside with a
warning and the rest is read again; only a document that still does not
parse is lost. Every position is turned into a line of the file here, once:
*first_line* is the file line the document's first line sits on.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from generator.model import Diagnostic

MAX_SET_ASIDE = 20  # lines; past that the document is broken, not one value
QUOTES = "\"'"
_KEY_LINE = re.compile(r"""^\s*(?P<key>[\w.-]+|"[^"]*"|'[^']*')\s*[=:](?!:)""")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$")


class ParseProblem(Exception):
    """A document the parser rejects; *line* is 1-based within the document, when known."""

    def __init__(self, message: str, line: int | None, at_end: bool = False) -> None:
        super().__init__(message)
        self.line = line
        self.at_end = at_end  # the parser ran out of text: *line* is the last one with text, a guess


def load_document(
    text: str, source: str, first_line: int, yaml_syntax: bool, skipped: str
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The table *text* holds, and warnings; None when it cannot be read even with bad lines set aside.

    *skipped* says what is lost then ("article skipped", "sidecar ignored").
    """
    parse = _parse_yaml if yaml_syntax else parse_toml
    language = "YAML" if yaml_syntax else "TOML"
    lines = text.split("\n")
    diagnostics: list[Diagnostic] = []
    guessed = False
    while True:
        try:
            data = parse("\n".join(lines))
        except ParseProblem as problem:
            line = problem.line
            key = _KEY_LINE.match(lines[line - 1]) if line and line <= len(lines) else None
            file_line = first_line + line - 1 if line else None
            if key is None or len(diagnostics) == MAX_SET_ASIDE or (guessed and problem.at_end):
                message = f"not valid {language}, {skipped}: {problem}"
                return None, [*diagnostics, Diagnostic(source, message, file_line)]
            message = f"'{key.group('key').strip(QUOTES)}' is not valid {language} ({problem}); ignored"
            diagnostics.append(Diagnostic(source, message, file_line))
            lines[line - 1] = ""
            guessed = guessed or problem.at_end  # an unfinished value at the end is set aside once, not line by line
            continue
        if not isinstance(data, dict):
            return None, [*diagnostics, Diagnostic(source, f"not a table of keys, {skipped}", first_line)]
        return data, diagnostics


def parse_toml(text: str) -> Any:
    """*text* as TOML; :class:`ParseProblem` with the line (of *text*) and a message without tomllib's position."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = getattr(error, "lineno", None) or (int(position["line"]) if position and position["line"] else None)
        at_end = bool(position) and not line
        if at_end:  # an unclosed list or string: its last line with text is where it usually starts
            line = text.rstrip().count("\n") + 1
        if position:
            message = message[: position.start()] + (f" at column {position['column']}" if line and not at_end else "")
        raise ParseProblem(message, line, at_end) from error


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, except that an impossible date stays a string (read_fields then drops the key)."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _parse_yaml(text: str) -> Any:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        # Where the unfinished value began (a quoted string, a [list]); a whole block's start would blame line 1.
        block = "block" in (error.context or "")
        mark = error.context_mark if error.context_mark and not block else error.problem_mark
        raise ParseProblem(str(error.problem or error), mark.line + 1 if mark else None) from error
    except (yaml.YAMLError, ValueError) as error:
        raise ParseProblem(str(error), None) from error
    return {} if data is None else _plain_keys(data)


def _plain_keys(data: Any) -> Any:
    """YAML allows any key; front matter keys are strings (``2024: x`` becomes ``"2024"``)."""
    if isinstance(data, dict):
        return {str(key): _plain_keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain_keys(item) for item in data]
    return data
