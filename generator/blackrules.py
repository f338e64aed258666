"""black's rules for string literals and docstrings, for the code the generator writes.

black is pinned and formats whatever the layout cannot vouch for, but importing it takes 0.1 s:
more than rendering a provider's package. The renderer and the layout need only these two of its
rules, on the literals the generator writes, so they are written here and tested against black's
own functions (`tests/test_black_rules.py`); black is imported only when a unit must be
formatted.
"""

from __future__ import annotations

import re

# One character of a literal's body: an escape sequence (a backslash and the character after
# it), or a character on its own.
_BODY_CHARACTER = re.compile(r"\\.|[^\\]", re.DOTALL)


def normalized_quotes(literal: str) -> str:
    """A one-line string literal without prefix (`'…'` or `"…"`) in black's choice of quotes:
    double quotes, unless they need more backslashes than single quotes do; an escaped quote
    that needs no escaping loses its backslash. (black's `normalize_string_quotes`.)"""
    quote = literal[0]
    other = "'" if quote == '"' else '"'
    characters = _BODY_CHARACTER.findall(literal[1:-1])
    needless = "\\" + other
    body = [other if c == needless else c for c in characters]
    escaped_quote = "\\" + quote
    swapped = [quote if c == escaped_quote else needless if c == other else c for c in body]
    text, swapped_text = "".join(body), "".join(swapped)
    backslashes, swapped_backslashes = text.count("\\"), swapped_text.count("\\")
    if swapped_backslashes > backslashes or swapped_backslashes == backslashes and quote == '"':
        return quote + text + quote
    return other + swapped_text + other


_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def reindented_docstring(docstring: str, indent: str) -> str:
    """A multi-line docstring's text re-indented as black does it (PEP 257's trimming): the
    first line stripped; each later line without the indentation they share (leading tabs
    counting four columns) and without trailing whitespace, after `indent`, or empty when
    blank, except the last, which keeps `indent`. (black's `fix_multiline_docstring`.)"""
    lines = [_leading_tabs_expanded(line) for line in _LINE_BREAK.split(docstring)]
    margins = [len(line) - len(line.lstrip()) for line in lines[1:] if line.lstrip()]
    trimmed = [lines[0].strip()]
    if margins:
        margin = min(margins)
        last = len(lines) - 1
        for number, line in enumerate(lines[1:], start=1):
            text = line[margin:].rstrip()
            trimmed.append(indent + text if text or number == last else "")
    return "\n".join(trimmed)


def _leading_tabs_expanded(line: str) -> str:
    code = line.lstrip()
    if not code or code == line:
        return line
    return line[:len(line) - len(code)].expandtabs(4) + code
