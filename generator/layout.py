"""Units of generated Python and whether black would leave them as they are.

The formatter (`format.py`) works on units: a top-level statement, or one member of a large
class. A unit is *settled* when black would not change it: every line fits in the line length,
and every bracket split over several lines ends with a magic trailing comma (black keeps such a
bracket exploded, one element per line; without the comma it would join or re-split it). The
renderer lays its code out the way black does, so most units are settled and never reach black;
the rest are formatted by black, one unit at a time, through the cache. The tests check that
this gives exactly the bytes black gives for the whole file.

Only what the renderer emits needs to be understood here: strings are `"…"`, `'…'` or `\"\"\"…\"\"\"`
(docstrings), and nothing but a docstring spans lines inside a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from black.strings import fix_multiline_docstring, normalize_string_quotes

# One token of interest on a line outside a triple-quoted string.
_TOKEN = re.compile(r'"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#.*|[\'"]')
_TRIPLE_END = re.compile(r'\\.|"""')
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CONTINUATIONS = ("else", "elif", "except", "finally", "case")


@dataclass(frozen=True, slots=True)
class Unit:
    """Lines of one statement (or class member) and the blank lines before it."""

    text: str  # the unit's lines, each ending in a newline; no blank lines at either end
    before: str  # the blank lines that precede it
    depth: int  # 0 for a top-level statement, 1 for a member of a class
    settled: bool  # black would leave `text` as it is


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    indent: int
    in_string: bool  # starts inside a triple-quoted string
    code: str  # the code on the line: strings emptied, comments and indentation removed

    @property
    def code_end(self) -> str:
        return self.code[-1:]


def _scan(lines: list[str]) -> list[_Line] | None:
    """Per line: where it starts and its code; None for text this module does not understand
    (a string of another kind spanning lines, a backslash continuation)."""
    scanned = []
    in_string = False
    for line in lines:
        starts_in_string = in_string
        if in_string or '"' in line or "'" in line or "#" in line:
            pieces = []
            position = 0
            while True:
                if in_string:
                    for match in _TRIPLE_END.finditer(line, position):
                        if match.group() == '"""':
                            in_string = False
                            position = match.end()
                            break
                    else:
                        position = len(line)
                    if in_string:
                        break
                found = _TOKEN.search(line, position)
                pieces.append(line[position: found.start() if found else len(line)])
                if found is None:
                    break
                match = found
                token = match.group()
                if token == '"""':
                    in_string = True
                    pieces.append('""')
                    position = match.end()
                elif token in ('"', "'"):
                    return None  # an unterminated string, or one of another kind
                elif token.startswith("#"):
                    break
                else:
                    # a string black would write with other quotes or escapes: unsettled
                    normal = token[0] == '"' and "\\'" not in token or \
                        normalize_string_quotes(token) == token
                    pieces.append(token[0] * 2 if normal else "\0")
                    position = match.end()
            code = "".join(pieces).strip()
        else:
            code = line.strip()
        if code.endswith("\\") and not in_string:
            return None
        stripped = line.lstrip(" ")
        scanned.append(_Line(line, len(line) - len(stripped), starts_in_string, code))
    return scanned


def split_units(text: str, line_length: int, member_split_lines: int = 200) -> list[Unit]:
    """`text` (a whole module) as units; joining `before + text` of every unit gives it back.

    A class of more than `member_split_lines` lines is split into its header and one unit per
    method, so one long line in a large client class does not send the whole class to black."""
    lines = text.splitlines(keepends=True)
    scanned = _scan(lines)
    if scanned is None or not text.endswith("\n") or not text.strip():
        return [Unit(text, "", 0, False)]
    units: list[Unit] = []
    previous_end = 0
    for first, end in _ranges(_statement_starts(scanned, 0, 0, len(lines)), scanned, 0,
                              len(lines)):
        before = "".join(lines[previous_end:first])
        previous_end = end
        if (end - first > member_split_lines and scanned[first].text.startswith("class ")
                and scanned[first].code_end == ":"):
            methods = [i for i in _statement_starts(scanned, 4, first + 1, end)
                       if scanned[i].text.startswith(("def ", "async def ", "@"), 4)]
            if methods:
                inner_end = first
                for index, (start, stop) in enumerate(
                        _ranges(methods, scanned, first, end, keep_head=True)):
                    units.append(Unit("".join(lines[start:stop]),
                                      before if index == 0 else "".join(lines[inner_end:start]),
                                      0 if index == 0 else 1,
                                      _settled(scanned, start, stop, line_length)))
                    inner_end = stop
                continue
        units.append(Unit("".join(lines[first:end]), before, 0,
                          _settled(scanned, first, end, line_length)))
    if previous_end < len(lines):  # trailing blank lines
        units.append(Unit("", "".join(lines[previous_end:]), 0, True))
    return units


def _statement_starts(scanned: list[_Line], indent: int, start: int, stop: int) -> list[int]:
    starts: list[int] = []
    decorated = False
    for i in range(start, stop):
        line = scanned[i]
        if line.in_string or line.indent != indent or not line.text.strip():
            continue
        word = line.text[indent:]
        if word[0] in ")]}" or word.startswith(_CONTINUATIONS) and word.split()[0].rstrip(":") \
                in _CONTINUATIONS:
            continue
        if word.startswith('"') and starts:  # an attribute docstring belongs to its statement
            continue
        if not decorated:
            starts.append(i)
        decorated = word.startswith("@")
    return starts


def _ranges(starts: list[int], scanned: list[_Line], first_line: int, total: int,
            keep_head: bool = False) -> list[tuple[int, int]]:
    """(first, end) line ranges of the statements, without the blank lines that follow each.
    Lines before the first start (a header comment; with `keep_head`, a class's own lines before
    its first method) belong to the first range."""
    if keep_head:
        starts = [first_line, *starts]
    ranges = []
    for index, first in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else total
        if index == 0:
            first = first_line
        while end > first + 1 and not scanned[end - 1].text.strip():
            end -= 1
        ranges.append((first, end))
    return ranges


_BRACKET_DEPTH = str.maketrans({"(": "(", "[": "(", "{": "(", ")": ")", "]": ")", "}": ")"})


@dataclass(slots=True)
class _Frame:
    """A bracket left open at the end of a line."""

    line: int  # the line that opened it
    indent: int
    kind: str = ""  # "exploded" (one element per line, each with its comma) or "joined"
    body: int = 0  # body lines so far


def _settled(scanned: list[_Line], first: int, last: int, line_length: int) -> bool:
    """Whether black leaves lines [first, last) as they are (see the module docstring).

    Code lines fit, and a bracket left open at the end of a line is either exploded (one element
    per line, each ending in a comma) or holds one joined body line, or a chain of `and`
    operands one per line, that would not fit joined to its opening and closing lines; its
    closing bracket starts a line at the opening line's indentation."""
    frames: list[_Frame] = []
    for i in range(first, last):
        line = scanned[i]
        code = line.code
        if line.in_string or not code:
            continue
        if len(line.text) - 1 > line_length and code != '""':
            return False  # too long (a string alone on its line black never splits)
        if line.text.rstrip("\n") != line.text.rstrip() or "\0" in code:
            return False
        commas = _top_level_commas(code)
        if code[0] in ")]}":
            rest = _top_level_commas(code[1:])
            if rest < 0 or not frames or frames[-1].indent != line.indent or code[-1] in "([{":
                return False
            frame = frames.pop()
            if frame.kind == "exploded":
                if scanned[_previous_code(scanned, i)].code_end != ",":
                    return False
            elif frame.kind == "joined":
                opener = scanned[frame.line]
                body = " ".join(scanned[j].code for j in range(frame.line + 1, i)
                                if scanned[j].code)
                head = opener.text.rstrip()
                if head.endswith(" ("):  # parentheses black adds only to split a line
                    joined = len(head) - 1 + len(body)
                else:
                    joined = len(head) + len(body) + len(code)
                if joined <= line_length:
                    return False
            else:
                return False
            if frames and not (code.endswith(",") and rest == 1):
                return False
            if not frames and rest:
                return False
            if frames:
                _element(frames[-1], ",")
            continue
        if commas < 0 and code[-1] in "([{" and _top_level_commas(code[:-1]) >= 0:
            if frames and _element(frames[-1], code) is False:
                return False
            frames.append(_Frame(i, line.indent))
            continue
        if commas < 0:
            return False
        if frames:
            if _element(frames[-1], code) is False:
                return False
        elif commas and code.endswith(","):
            return False  # a bare tuple with a trailing comma: leave it to black
    return not frames


def _element(frame: _Frame, code: str) -> bool | None:
    """Account for one body line of `frame`; False when it breaks the frame's shape."""
    frame.body += 1
    if code.endswith(","):
        if frame.kind == "joined" or _top_level_commas(code) != 1:
            return False
        frame.kind = "exploded"
        return None
    if frame.kind == "exploded":
        return False if code[-1] not in "([{" else None
    if frame.body > 1 and not code.startswith("and "):
        return False
    frame.kind = "joined"
    return None


def _top_level_commas(code: str) -> int:
    """Commas outside brackets in `code`; -1 when its brackets do not balance."""
    depth = commas = 0
    for char in code.translate(_BRACKET_DEPTH):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return -1
        elif char == "," and depth == 0:
            commas += 1
    return commas if depth == 0 else -1


def _previous_code(scanned: list[_Line], i: int) -> int:
    i -= 1
    while i > 0 and not scanned[i].code:
        i -= 1
    return i


def normalize_docstrings(text: str, line_length: int) -> str:
    """`text` with every docstring (the first statement of the module, a class or a function,
    written `\"\"\"…\"\"\"`) the way black writes it: black re-indents, strips and pads docstrings,
    and may move the closing quotes; this is black's own procedure, for the renderer's strings."""
    lines = text.splitlines(keepends=True)
    scanned = _scan(lines)
    if scanned is None:
        return text
    out: list[str] = []
    previous: _Line | None = None  # the last line of code before this one
    i = 0
    while i < len(lines):
        line = scanned[i]
        stripped = line.text[line.indent:]
        if (not line.in_string and stripped.startswith('"""') and (
                previous is None or previous.code_end == ":" and previous.indent < line.indent)):
            end = i
            while end + 1 < len(lines) and scanned[end + 1].in_string:
                end += 1
            literal = "".join(lines[i:end + 1])
            body_end = literal.rstrip().rfind('"""')
            if literal.rstrip().endswith('"""') and body_end > line.indent + 2:
                value = literal[line.indent:literal.rstrip().rfind('"""') + 3]
                fixed = _black_docstring(value, " " * line.indent, line_length)
                out.append(" " * line.indent + fixed + literal[line.indent + len(value):])
                previous = scanned[end]
                i = end + 1
                continue
        out.append(lines[i])
        if line.text.strip() and not line.in_string:
            previous = line
        i += 1
    return "".join(out)


def _black_docstring(value: str, indent: str, line_length: int) -> str:
    """black's handling of a docstring literal `value` (`linegen.LineGenerator.visit_STRING`)."""
    if re.search(r"\\\s*\n", value):
        return value
    docstring = value[3:-3]
    started_empty = not docstring
    if "\n" in value:
        docstring = fix_multiline_docstring(docstring, indent)
    else:
        docstring = docstring.strip()
    trailing_backslash = False
    if docstring:
        if docstring[0] == '"':
            docstring = " " + docstring
        if docstring[-1] == '"':
            docstring += " "
        if docstring[-1] == "\\":
            if (len(docstring) - len(docstring.rstrip("\\"))) % 2:
                docstring += " "
                trailing_backslash = True
    elif not started_empty:
        docstring = " "
    lines = docstring.splitlines()
    last_line_length = len(lines[-1]) if docstring and not docstring.endswith("\n") else 0
    if (len(lines) > 1 and last_line_length + 3 > line_length
            and len(indent) + 3 <= line_length and not trailing_backslash):
        if value[-4] == "\n":
            return '"""' + docstring + '"""'
        # black pads a docstring ending in a quote with a space, which it does not leave at
        # the end of a line when the closing quotes go on a line of their own
        return '"""' + docstring.rstrip(" ") + "\n" + indent + '"""'
    return '"""' + docstring + '"""'
