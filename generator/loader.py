"""Stage 1: read a spec file (YAML or JSON) into plain Python data, keeping the source text.

Lines are not tracked during the load, which keeps it at C speed; a `Document` finds the line of a
JSON pointer afterwards, only when a diagnostic asks for one.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .diagnostics import Diagnostic, GenerationFailed, Severity, pointer_tokens
from .yamldata import load_yaml

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loader that keeps timestamps as the strings the spec wrote.

    PyYAML turns `2024-01-01` into `datetime.date`; in a spec that is example or default data
    which must reach the output exactly as written.
    """


_SpecLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str
)


@dataclass
class Document:
    """One loaded file: its path (as the user named it), source text and parsed data."""

    path: Path
    display_name: str
    text: str  # the OpenAPI text (for a Markdown page: its fenced block)
    data: Any
    is_json: bool = False
    line_offset: int = 0  # lines of the file before `text` (a Markdown page's prose)
    _yaml_root: Any = field(default=None, repr=False)
    # the line index the piecewise parse built, when it built one (`_block_lines`)
    _lines: "_BlockYamlLines | None" = field(default=None, repr=False)
    # the value of each piece of a piecewise parse, by identity, with the digest of its text
    # (`yamlchunks.parse_in_pieces`); the resolver caches the references it finds in each
    pieces: dict[int, tuple[Any, str]] = field(default_factory=dict, repr=False, compare=False)

    @functools.cached_property
    def resolved_path(self) -> Path:
        """The file's absolute, symlink-free path (computed once: resolving is a system call per
        path component, and the resolver and builder key every reference by it)."""
        return self.path.resolve()

    def line_of(self, pointer: str) -> int | None:
        """1-based line of the value at `pointer`, or of its nearest existing parent."""
        try:
            tokens = pointer_tokens(pointer)
        except ValueError:
            return None
        line = _json_line(self.text, tokens) if self.is_json else self._yaml_line(tokens)
        return None if line is None else line + self.line_offset

    def locate(self, pointer: str) -> tuple[str, int | None]:
        return self.display_name, self.line_of(pointer)

    def with_data(self, data: Any) -> "Document":
        """The same source with other data (an overlay's result); lines still come from the
        source text, so a pointer the overlay added resolves to its nearest existing parent."""
        return Document(self.path, self.display_name, self.text, data, self.is_json,
                        self.line_offset, _lines=self._lines)

    def _yaml_line(self, tokens: list[str]) -> int | None:
        sequences: list[tuple[int, int, int, int]] = []
        found = _scan_block_yaml(self._block_lines, tokens, sequences)
        if found is not None:
            return found
        if sequences:
            # the scan stopped at a block sequence: compose those lines alone, not the file
            lo, hi, index, line = sequences[0]
            try:
                node = yaml.compose("\n".join(self._block_lines.lines[lo:hi]),
                                    Loader=_BaseLoader)
            except yaml.YAMLError:  # e.g. an alias whose anchor is outside these lines
                node = None
            if node is not None:
                return _walk(node, tokens[index:], line, lo)
        return self._composed_line(tokens)

    @property
    def _block_lines(self) -> "_BlockYamlLines":
        if self._lines is None:
            self._lines = _BlockYamlLines(self.text)
        return self._lines

    def _composed_line(self, tokens: list[str]) -> int | None:
        if self._yaml_root is None:
            try:
                self._yaml_root = yaml.compose(self.text, Loader=_BaseLoader)
            except yaml.YAMLError:
                return None
        node = self._yaml_root
        if node is None:
            return None
        return _walk(node, tokens, node.start_mark.line + 1, 0)


def _walk(node: Any, tokens: list[str], line: int, offset: int) -> int:
    """The line of `tokens` below a composed node (whose text starts `offset` lines into the
    file), or of the nearest of them that exists; `line` is the node's own."""
    for token in tokens:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == token:
                    child = value_node
                    line = key_node.start_mark.line + 1 + offset
                    break
        elif isinstance(node, yaml.SequenceNode) and token.isdigit():
            index = int(token)
            if index < len(node.value):
                child = node.value[index]
                line = child.start_mark.line + 1 + offset
        if child is None:
            break
        node = child
    return int(line)


# Finding a line by composing the whole YAML file costs seconds on a large spec; most specs are
# plain block YAML, where the line of a pointer can be read off the text by indentation. The scan
# gives up (None: compose instead) on anything it does not fully understand: flow collections,
# anchors, aliases, tags, complex keys, escapes in quoted keys, tabs.
_YAML_KEY = re.compile(
    r"""(?:"([^"\\]*)"|'([^']*)'|([^\s#'"{}\[\]&*!|>?@`%,-][^#]*?|-[^\s#][^#]*?))[ ]*:(?:[ ]|$)""")
_UNSURE = re.compile(r"[&*!?%@`{\[]|-[ ]+[&*!?{\[]|-$")


class _BlockYamlLines:
    """The lines of a YAML text with what the scan asks of them again and again, computed once
    per document: a spec with a hundred diagnostics would otherwise rescan its whole text (on
    OpenAI's spec: 13 s) for each."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        # the column of each significant line (not blank, not a comment); -1 for the others
        self.columns = [
            -1 if not stripped or stripped[0] == "#" else len(line) - len(stripped)
            for line in self.lines
            for stripped in (line.lstrip(" "),)
        ]
        self._entries: dict[tuple[int, int, int], list[int] | None] = {}

    def entries(self, lo: int, hi: int, col: int) -> list[int] | None:
        """The significant lines of [lo, hi) at column `col` (line `lo` counts as at `col`:
        it may be the first entry of a sequence item), or None when a line is left of it."""
        key = (lo, hi, col)
        if key not in self._entries:
            found: list[int] | None = [lo] if self.columns[lo] >= 0 else []
            columns = self.columns
            for i in range(lo + 1, hi):
                at = columns[i]
                if at == col:
                    found.append(i)  # type: ignore[union-attr]
                elif 0 <= at < col:
                    found = None
                    break
            self._entries[key] = found
        return self._entries[key]

    def next_significant(self, start: int, stop: int) -> int | None:
        columns = self.columns
        return next((i for i in range(start, stop) if columns[i] >= 0), None)


def _scan_block_yaml(lines: _BlockYamlLines, tokens: list[str],
                     sequences: list[tuple[int, int, int, int]] | None = None) -> int | None:
    """1-based line of the value at `tokens` in block-style YAML, or of its nearest existing
    parent, as `Document._composed_line` finds it; None when the text is not plain enough.
    When the scan stops at a block sequence, (its first line, the line after it, the index of
    the token below it, the line found so far) is added to `sequences`."""
    text, columns = lines.lines, lines.columns
    n = len(text)
    lo = lines.next_significant(0, n)
    if lo is not None and text[lo].rstrip() == "---":  # a document start marker, alone
        lo = lines.next_significant(lo + 1, n)
    if lo is None or text[lo].startswith(("---", "%")):
        return None
    hi, col = n, columns[lo]  # the current node: lines [lo, hi), its entries at column `col`
    line = lo + 1
    for index, token in enumerate(tokens):
        if _UNSURE.match(text[lo], col):
            return None
        entries = lines.entries(lo, hi, col)
        if entries is None:
            return None
        if text[lo].startswith("-", col):  # a block sequence: left to the composer
            if sequences is not None:
                sequences.append((lo, hi, index, line))
            return None
        found = -1
        for i in entries:
            if text[i].startswith(("- ", "-\n"), col) or text[i][col:] == "-":
                continue  # an item of the sequence under the previous key, at its indentation
            match = _YAML_KEY.match(text[i], col)
            if match is None:
                return None
            key = next(g for g in match.groups() if g is not None)
            if key.rstrip() == token:
                found, value = i, text[i][match.end():]
                break
        if found < 0:
            break
        line = found + 1
        end = next((j for j in entries if j > found), hi)
        if end < hi and (text[end].startswith(("- ", "-\n"), col) or text[end][col:] == "-"):
            # a block sequence at its key's indentation: left to the composer
            if index == len(tokens) - 1:
                return line
            if sequences is not None:
                after = next((j for j in entries if j > end and not (
                    text[j].startswith(("- ", "-\n"), col) or text[j][col:] == "-")), hi)
                sequences.append((end, after, index + 1, line))
            return None
        value = value.strip()
        if value and not value.startswith("#"):
            if value[0] in "&*!{[":
                return None
            break  # a scalar: the tokens that remain find nothing below it
        if index == len(tokens) - 1:
            break
        following = lines.next_significant(found + 1, end)
        if following is None or columns[following] <= col:
            return None if following is not None else line
        lo, hi, col = following, end, columns[following]
    return line


def load_document(path: Path, display_name: str | None = None,
                  save_later: list[Callable[[], None]] | None = None) -> Document:
    """Load a YAML or JSON spec; raise `GenerationFailed` with a located error on bad input.
    `save_later`: see `yamlchunks.parse_in_pieces`."""
    name = display_name or str(path)

    def fail(message: str, line: int | None = None) -> GenerationFailed:
        return GenerationFailed([Diagnostic(Severity.ERROR, name, "", message, line)])

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("file not found") from None
    except IsADirectoryError:
        raise fail("is a directory, not a spec file") from None
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail("file is not valid UTF-8", line) from None

    suffix = path.suffix.lower()
    offset = 0
    is_json = suffix == ".json"
    if suffix in (".md", ".markdown"):
        text, offset, is_json = _fenced_spec(text, fail)

    def fail_in_block(message: str, line: int | None = None) -> GenerationFailed:
        return fail(message, None if line is None else line + offset)

    lines: list[_BlockYamlLines] = []

    def block_lines() -> _BlockYamlLines:
        """The text's line index, built once for the piecewise parse and the diagnostics' line
        numbers (25 ms on GitHub's spec)."""
        if not lines:
            lines.append(_BlockYamlLines(text))
        return lines[0]

    pieces: dict[int, tuple[Any, str]] = {}
    if is_json:
        data = _parse(text, True, fail_in_block)
    else:
        from .yamlchunks import parse_in_pieces

        data = parse_in_pieces(text, path, lambda whole: _parse(whole, False, fail_in_block),
                               _parse_piece, block_lines, save_later, pieces)
    if not isinstance(data, dict):
        raise fail("a spec must be a mapping at the top level (an OpenAPI document)", 1 + offset)
    return Document(path, name, text, data, is_json, offset, _lines=lines[0] if lines else None,
                    pieces=pieces)


_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*\n", re.MULTILINE)


def _fenced_spec(markdown: str, fail: Any) -> tuple[str, int, bool]:
    """The fenced YAML or JSON block of a documentation page that holds an OpenAPI document:
    (its text exactly as published, the lines before it, whether it is JSON)."""
    position = 0
    while True:
        opening = _FENCE.search(markdown, position)
        if opening is None:
            raise fail("no fenced ```yaml or ```json block with an OpenAPI document in this page")
        fence = opening.group("fence")
        closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        end = closing.search(markdown, opening.end())
        block_end = end.start() if end is not None else len(markdown)
        block = markdown[opening.end():block_end]
        language = opening.group("lang").lower()
        if language in ("yaml", "yml", "json", "") and re.search(
                r"^\s*[\"']?(openapi|swagger)[\"']?\s*:", block, re.MULTILINE):
            offset = markdown.count("\n", 0, opening.end())
            is_json = language == "json" or block.lstrip().startswith("{")
            return block, offset, is_json
        position = end.end() if end is not None else len(markdown)


def _parse(text: str, is_json: bool, fail: Any) -> Any:
    # JSON first for JSON files: the C YAML loader rejects some valid JSON escapes
    # (surrogate pairs) and `json` is much faster on large documents.
    if is_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise fail(f"invalid JSON: {exc.msg}", exc.lineno) from None
        except RecursionError:
            raise fail("document is nested too deeply") from None
        except ValueError as exc:  # e.g. an integer longer than Python converts
            raise fail(f"invalid JSON value: {_value_problem(exc)}") from None
    try:
        data = load_yaml(text, _SpecLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unterminated construct: where it began
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "syntax error"
        context = f" ({exc.context})" if exc.context else ""
        raise fail(f"invalid YAML: {problem}{context}", line) from None
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise fail("document is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise fail(f"invalid YAML value: {_value_problem(exc)}") from None
    if "*" in text:  # only a document with aliases can share subtrees
        _refuse_alias_bombs(data, fail)
    return data


def _parse_piece(text: str) -> Any:
    return load_yaml(text, _SpecLoader)


def _value_problem(exc: ValueError) -> str:
    if "integer string conversion" in str(exc):
        return "an integer has more digits than can be converted (4,300)"
    return str(exc)


# A YAML alias repeats a subtree without copying it: the loaded data shares the subtree, but
# every stage that walks the document meets each repetition. A document whose aliases
# multiply it past this many values (a "billion laughs" bomb) is refused.
MAX_EXPANDED_VALUES = 5_000_000


def _refuse_alias_bombs(data: Any, fail: Any) -> None:
    """Count the values the document would have with every alias expanded, in time linear in
    the values it really has (each shared subtree is measured once)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        value, children_done = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        children = list(value.values()) if isinstance(value, dict) else value
        if not children_done:
            if id(value) in sizes:
                continue
            sizes[id(value)] = 0  # in progress: a cycle through aliases counts once
            stack.append((value, True))
            stack.extend((child, False) for child in children
                         if isinstance(child, (dict, list)) and id(child) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(c), 0) if isinstance(c, (dict, list)) else 1
                        for c in children)
        if total > MAX_EXPANDED_VALUES:
            raise fail(f"refused: YAML aliases expand this document past "
                       f"{MAX_EXPANDED_VALUES:,} values (an alias bomb?)")
        sizes[id(value)] = total


_WHITESPACE = " \t\r\n"
_decoder = json.JSONDecoder()


def _json_line(text: str, tokens: list[str]) -> int | None:
    """Walk the JSON text along `tokens`; the line where the deepest match starts."""
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]

    def skip_ws(i: int) -> int:
        while i < len(text) and text[i] in _WHITESPACE:
            i += 1
        return i

    try:
        index = skip_ws(0)
        for token in tokens:
            opener = text[index]
            found = -1
            if opener == "{":
                i = skip_ws(index + 1)
                while i < len(text) and text[i] != "}":
                    key, i = scanstring(text, i + 1)
                    i = skip_ws(skip_ws(i) + 1)  # past ':'
                    if key == token:
                        found = i
                        break
                    _, i = _decoder.raw_decode(text, i)
                    i = skip_ws(i)
                    if text[i] == ",":
                        i = skip_ws(i + 1)
            elif opener == "[" and token.isdigit():
                wanted = int(token)
                i = skip_ws(index + 1)
                position = 0
                while i < len(text) and text[i] != "]":
                    if position == wanted:
                        found = i
                        break
                    _, i = _decoder.raw_decode(text, i)
                    i = skip_ws(i)
                    if text[i] == ",":
                        i = skip_ws(i + 1)
                    position += 1
            if found < 0:
                break
            index = found
    except (ValueError, IndexError):
        pass
    return text.count("\n", 0, index) + 1
