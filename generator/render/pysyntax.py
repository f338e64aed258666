"""The one escaping path: every spec-derived string reaches generated code through here.

Spec text is untrusted. It becomes a string literal (`string`), the inside of a docstring
(`docstring`), a comment (`comment`) or an identifier (`identifier`, checked, never escaped:
identifiers are made valid by `generator.naming`). Nothing spec-derived is pasted raw.
"""

from __future__ import annotations

import keyword
import math
import re
from typing import Any

from ..blackrules import normalized_quotes

# Literals are written the way black writes them (double quotes unless that needs more escapes,
# no `+` in an exponent), so the formatter finds most code already settled (see `layout`).
# (`blackrules`; black's own function for an exponent, imported only when a float has one.)


def string(value: str, *, as_code: bool = True) -> str:
    """A Python string literal whose value is exactly `value`: as black writes it in code, or
    (`as_code=False`, for prose: docstrings, the README) as `repr` writes it."""
    if not isinstance(value, str):
        raise TypeError(f"expected str, got {type(value).__name__}")
    text = _ascii_safe(repr(value))
    if not as_code:
        return text
    if text[0] == "'" and '"' not in text and "'" not in text[1:-1]:
        return '"' + text[1:-1] + '"'  # what black writes, without its general rules
    return normalized_quotes(text)


def _ascii_safe(literal: str) -> str:
    # repr() leaves printable non-ASCII as is; that is valid Python, but escaping keeps the
    # generated files plain ASCII and immune to bidi and homoglyph tricks.
    return literal.encode("ascii", "backslashreplace").decode("ascii")


def literal(value: Any, *, as_code: bool = True) -> str:
    """A Python expression for a JSON value (defaults, enum values, examples); see `string`."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({string(repr(value))})"
        text = repr(value)
        if "e" not in text or not as_code:
            return text
        from black.numerics import format_scientific_notation

        return str(format_scientific_notation(text))
    if isinstance(value, str):
        return string(value, as_code=as_code)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v, as_code=as_code) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{string(str(k), as_code=as_code)}: "
                               f"{literal(v, as_code=as_code)}" for k, v in value.items()) + "}"
    return string(str(value), as_code=as_code)


def docstring(text: str) -> str:
    """Text safe to place between triple double quotes, keeping its lines readable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    end = len(text)

    def escape(match: re.Match[str]) -> str:
        found = match.group()
        if found[0] == '"':
            # every third quote of a run is escaped (three would close the docstring), and so
            # is a quote that ends the text (it would stand beside the closing quotes)
            run = ''.join('\\"' if i % 3 == 2 else '"' for i in range(len(found)))
            if match.end() == end and not run.endswith('\\"'):
                run = run[:-1] + '\\"'
            return run
        if found == "\\":
            return "\\\\"
        if not found.isprintable() or not found.isascii() and _is_unsafe_unicode(found):
            # Shown as escape text, not the character: a docstring is documentation, and a
            # lone surrogate in a class docstring would stop the class from being created.
            return "\\" + _escape_char(found)
        return found

    return _DOCSTRING_SPECIAL.sub(escape, text)


# What `docstring` may have to escape: quotes, backslashes, anything but printable ASCII
_DOCSTRING_SPECIAL = re.compile(r'"+|\\|[^\x20-\x7e\n\t]')


def _is_unsafe_unicode(char: str) -> bool:
    import unicodedata

    return unicodedata.category(char) in ("Cf", "Zl", "Zp", "Co", "Cs", "Cn")


def _escape_char(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def comment(text: str) -> str:
    """One line of text safe after `# `."""
    flat = " ".join(text.split())
    if flat.isascii() and flat.isprintable():  # as is: the usual case, told in one pass
        return flat
    return "".join(c if c.isprintable() and (c.isascii() or not _is_unsafe_unicode(c))
                   else _escape_char(c) for c in flat)


def identifier(name: str) -> str:
    """Assert that a name from the IR is a plain identifier; it is emitted as is."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"not a valid identifier: {name!r}")
    return name


def markdown_text(text: str) -> str:
    """One line of spec text safe inside Markdown prose or a code span (no HTML, no fences)."""
    flat = comment(text)
    for char in "\\`*[]<>|":
        flat = flat.replace(char, "\\" + char)
    return flat
