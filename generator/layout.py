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
from dataclasses import dataclass, field
from typing import NamedTuple

from .blackrules import normalized_quotes, reindented_docstring

# The renderer writes this before each top-level declaration it emits (a model, an enum, an
# endpoint, a client class) and the formatter cuts the file there, so that a declaration that has
# not changed is found whole in the cache. Spec text never reaches the output as a raw control
# character (`render.pysyntax` escapes them), so only the templates can write it.
UNIT_BREAK = "\x00"

# One token of interest on a line outside a triple-quoted string.
_TOKEN = re.compile(r'"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#.*|[\'"]')
_TRIPLE_END = re.compile(r'\\.|"""')
_DOUBLE_QUOTED = re.compile(r'"[^"\n]*"')
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = (")", "]", "}")
_CONTINUATIONS = ("else", "elif", "except", "finally", "case")


class Unit(NamedTuple):
    """Lines of one statement (or class member) and the blank lines before it."""

    text: str  # the unit's lines, each ending in a newline; no blank lines at either end
    before: str  # the blank lines that precede it
    depth: int  # 0 a top-level statement, 1 a member of a class, 2 a statement of a method
    settled: bool  # black would leave `text` as it is


class _Line(NamedTuple):
    text: str
    indent: int
    in_string: bool  # starts inside a triple-quoted string
    code: str  # the code on the line: strings emptied, comments and indentation removed
    # what `_settled` asks of `code` (a line's text repeats often in generated code, and each
    # distinct line is scanned once: `_scan`)
    commas: int  # `_top_level_commas(code)`
    inner_commas: int  # the same without the first character when it closes a bracket, and
    # without the last when it opens one (else `commas`)
    plain: bool  # no string black would write otherwise, no magic trailing comma
    trailing_spaces: bool
    doc_start: bool  # not in a string and starts with `"""` (maybe a docstring)
    blank: bool  # only white space
    # code, plain, without trailing spaces, commas or brackets left open or closed: outside
    # brackets, `_settled` asks of it only that it fits
    simple: bool

    @property
    def code_end(self) -> str:
        return self.code[-1:]


def _line(text: str, in_string: bool, code: str) -> _Line:
    stripped = text.lstrip(" ")
    shape = _bracket_shape(code)
    commas = _commas_of_shape(shape)
    if shape[:1] == ")":
        inner_commas = _commas_of_shape(shape[1:])
    elif shape[-1:] == "(":
        inner_commas = _commas_of_shape(shape[:-1])
    else:
        inner_commas = commas
    plain = "\0" not in code and _no_magic_commas(code)
    trailing_spaces = text.rstrip("\n") != text.rstrip()
    simple = (not in_string and plain and not trailing_spaces and commas == 0 and code != ""
              and shape[0] != ")" and shape[-1] != "(")
    return _Line(text, len(text) - len(stripped), in_string, code, commas, inner_commas, plain,
                 trailing_spaces, not in_string and stripped.startswith('"""'),
                 not text.strip(), simple)


# Scanned lines by text, for lines that start outside a string and inside one: (the line, whether
# the next starts inside a string), or None for a line `_scan` does not understand. Cleared when
# it grows large (one large package has some tens of thousands of distinct lines).
_SCANNED: tuple[dict[str, tuple[_Line, bool] | None], dict[str, tuple[_Line, bool] | None]] = \
    ({}, {})
_SCANNED_LIMIT = 200_000


def _scan(lines: list[str]) -> list[_Line] | None:
    """Per line: where it starts and its code; None for text this module does not understand
    (a string of another kind spanning lines, a backslash continuation)."""
    scanned: list[_Line] = []
    append = scanned.append
    in_string = False
    outside, inside = _SCANNED
    if len(outside) + len(inside) > _SCANNED_LIMIT:
        outside.clear()
        inside.clear()
    for line in lines:
        known = inside if in_string else outside
        try:
            entry = known[line]
        except KeyError:
            entry = known[line] = _scan_line(line, in_string)
        if entry is None:
            return None
        append(entry[0])
        in_string = entry[1]
    return scanned


def _scan_line(line: str, in_string: bool) -> tuple[_Line, bool] | None:
    """One line of `_scan`: the line, and whether the next one starts inside a string."""
    starts_in_string = in_string
    if not in_string and "'" not in line and "#" not in line and "\\" not in line and \
            '"""' not in line and not line.count('"') % 2:
        # no string but `"…"` ones (maybe none), without escapes: each emptied
        code = _DOUBLE_QUOTED.sub('""', line).strip() if '"' in line else line.strip()
    elif in_string or '"' in line or "'" in line or "#" in line:
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
                    normalized_quotes(token) == token
                pieces.append(token[0] * 2 if normal else "\0")
                position = match.end()
        code = "".join(pieces).strip()
    else:
        code = line.strip()
    if code.endswith("\\") and not in_string:
        return None
    return _line(line, starts_in_string, code), in_string


def split_units(text: str, line_length: int, member_split_lines: int = 40) -> list[Unit]:
    """`text` (a whole module) as units; joining `before + text` of every unit gives it back.

    A class of more than `member_split_lines` lines is split into its header and one unit per
    statement of its body (a field, a method), so one long line in a large class does not send
    the whole class to black."""
    units = units_if_understood(text, line_length, member_split_lines)
    return [Unit(text, "", 0, False)] if units is None else units


def units_if_understood(text: str, line_length: int, member_split_lines: int = 40
                        ) -> list[Unit] | None:
    """The units of `text` (see `split_units`), or None for text this module does not
    understand, which only black can format, as a whole."""
    lines = text.splitlines(keepends=True)
    scanned = _scan(lines)
    if scanned is None:
        return None
    return _units_of_scanned(text, lines, scanned, line_length, member_split_lines)


def _units_of_scanned(text: str, lines: list[str], scanned: list[_Line], line_length: int,
                      member_split_lines: int) -> list[Unit] | None:
    if not text.endswith("\n") or not text.strip():
        return None
    units: list[Unit] = []
    previous_end = 0
    for first, end in _ranges(_statement_starts(scanned, 0, 0, len(lines)), scanned, 0,
                              len(lines)):
        before = "".join(lines[previous_end:first])
        previous_end = end
        header = next((i for i in range(first, end) if not scanned[i].text.startswith("@")),
                      first)
        settled: bool | None = None
        if (scanned[header].text.startswith("class ") and scanned[header].code_end == ":" and (
                end - first > member_split_lines
                or not (settled := _settled(scanned, first, end, line_length)))):
            # every statement of the body its own unit, the class line (and its decorators and
            # docstring) with the first: a large class, or one black would change (so that
            # black formats only the members it changes)
            methods = _statement_starts(scanned, 4, header + 1, end)[1:]
            if methods:
                inner_end = first
                for index, (start, stop) in enumerate(
                        _ranges(methods, scanned, first, end, keep_head=True)):
                    gap = before if index == 0 else "".join(lines[inner_end:start])
                    inner_end = stop
                    member_settled = _settled(scanned, start, stop, line_length)
                    if (index and (stop - start > member_split_lines or not member_settled)
                            and _is_method(scanned, start, stop)):
                        signature_end = next(
                            (i for i in range(start, stop) if scanned[i].indent == 4
                             and scanned[i].code_end == ":" and not scanned[i].in_string), stop)
                        body = _statement_starts(scanned, 8, signature_end + 1, stop)[1:]
                        if body:
                            # a long method, or one black would change: one unit per statement
                            # of its body
                            ranges = _ranges(body, scanned, start, stop, keep_head=True)
                            inner = start
                            for number, (low, high) in enumerate(ranges):
                                units.append(Unit(
                                    "".join(lines[low:high]),
                                    gap if number == 0 else "".join(lines[inner:low]),
                                    1 if number == 0 else 2,
                                    _settled(scanned, low, high, line_length)))
                                inner = high
                            continue
                    units.append(Unit("".join(lines[start:stop]), gap, 0 if index == 0 else 1,
                                      member_settled))
                continue
        if settled is None:
            settled = _settled(scanned, first, end, line_length)
        units.append(Unit("".join(lines[first:end]), before, 0, settled))
    if previous_end < len(lines):  # trailing blank lines
        units.append(Unit("", "".join(lines[previous_end:]), 0, True))
    return units


def _is_method(scanned: list[_Line], start: int, stop: int) -> bool:
    """Lines [start, stop) of a class body are a method (maybe decorated)."""
    line = next((i for i in range(start, stop) if not scanned[i].text.startswith("@", 4)), stop)
    return line < stop and scanned[line].text.startswith(("def ", "async def "), 4)


def _statement_starts(scanned: list[_Line], indent: int, start: int, stop: int) -> list[int]:
    starts: list[int] = []
    decorated = False
    for i, line in enumerate(scanned[start:stop], start):
        if line.indent != indent or line.in_string or line.blank:
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


def _bracket_shape(code: str) -> str:
    """`code` with every opening bracket `(` and every closing one `)` (str.replace is much
    faster than str.translate with a table)."""
    return code.replace("[", "(").replace("{", "(").replace("]", ")").replace("}", ")")


@dataclass(slots=True)
class _Frame:
    """A bracket left open at the end of a line, and the elements of its body so far."""

    line: int  # the line that opened it
    indent: int
    elements: int = 0  # elements ended by their comma
    current: list[int] = field(default_factory=list)  # lines of the element being read
    commas: bool = False  # the body is one joined line of several arguments
    nested: bool = False  # opened inside another bracket


# Operators black splits a bracket's body before, one operand per line: a chain's lines after
# the first start with one of these, all of one kind (`if`/`else` a conditional, `for`/`if` a
# comprehension), and no line holds another operator of that priority or a higher one.
_CHAIN_KINDS = (("+ ",), ("| ",), ("and ",), ("if ", "else "), ("for ", "if "))
_HIGHER = {("+ ",): (" + ", " if ", " else ", " for ", " and ", " or "),
           ("| ",): (" | ", " if ", " else ", " for ", " and ", " or ", " in ", " is ", " == ",
                     " != ", " < ", " > ", " <= ", " >= "),
           ("and ",): (" and ", " or ", " if ", " else ", " for "),
           ("if ", "else "): (" if ", " else ", " for "),
           ("for ", "if "): (" for ",)}


def _settled(scanned: list[_Line], first: int, last: int, line_length: int) -> bool:
    """Whether black leaves lines [first, last) as they are (see the module docstring).

    Code lines fit, and a bracket left open at the end of a line is exploded (its elements one
    per line, each ending in a comma) or holds one joined element that would not fit joined to
    its opening and closing lines. An element may be a chain split before its operators
    (`_CHAIN_KINDS`) that would not fit on one line. A closing bracket starts a line at the
    opening line's indentation."""
    frames: list[_Frame] = []
    fits = line_length + 1  # with its newline
    for i, line in enumerate(scanned[first:last], first):
        if line.simple and not frames and len(line.text) <= fits:
            continue
        code = line.code
        if line.in_string or not code:
            continue
        if len(line.text) - 1 > line_length and code != '""' and not (
                frames and _UNSPLITTABLE.fullmatch(code)):
            return False  # too long (a string alone on its line black never splits)
        if not line.plain or line.trailing_spaces and not (
                i + 1 < len(scanned) and scanned[i + 1].in_string):
            return False  # trailing spaces, unless inside a string that goes on
        commas = line.commas
        if code[0] in ")]}":
            rest = line.inner_commas
            if rest < 0 or not frames or frames[-1].indent != line.indent or code[-1] in "([{":
                return False
            closed = frames.pop()
            if closed.commas and (code not in _JOINED_CLOSERS or len(closed.current) != 1):
                return False
            if not _closed_well(scanned, closed, i, line_length):
                return False
            if not frames:
                if rest:
                    return False
            elif code.endswith(",") and rest == 1:
                if not _end_element(frames[-1], scanned, line_length):
                    return False
            elif rest or len(code) != 1:
                return False
            continue
        if frames and line.indent != frames[-1].indent + 4:
            return False
        if commas < 0 and code[-1] in "([{" and line.inner_commas >= 0:
            if frames:
                if line.inner_commas:
                    return False  # `a, f(`: black splits such a body at its commas
                frames[-1].current.append(i)
            frames.append(_Frame(i, line.indent, nested=bool(frames)))
            continue
        if commas < 0:
            return False
        if frames:
            frames[-1].current.append(i)
            if code.endswith(","):
                if commas != 1 or not _end_element(frames[-1], scanned, line_length):
                    return False
            elif commas:
                # several arguments joined on one line: only in a call's parentheses (black
                # explodes a display's), as the one line of the body
                frame = frames[-1]
                if frame.elements or len(frame.current) > 1 or \
                        not _CALL_OPENER.fullmatch(scanned[frame.line].code):
                    return False
                frame.commas = True
        elif commas and code.endswith(","):
            return False  # a bare tuple with a trailing comma: leave it to black
    return not frames


# A bracket whose body may be one joined line of several arguments: a call's parentheses, opened
# at the end of a call of a (dotted) name that is a statement, the value of a simple or
# annotated assignment, a keyword argument, a returned value, a lambda's body, an operand of a
# split chain (`else f(`), or a class's bases. black splits such a line at that last bracket
# (nothing before it is a delimiter, and the line up to it fits) and keeps the body joined when
# it fits; a display's body it explodes, one element per line.
_CALL_OPENER = re.compile(
    r"(?:return |class |lambda \w+: |(?:else|and|or|\+|\|) |[\w.]+(?:: [\w.\[\], |]+)? = "
    r"|\w+=)?[\w.]+\(")
# A line black cannot split (no bracket, no delimiter but its final comma): an element of an
# exploded bracket that stays as long as it is.
_UNSPLITTABLE = re.compile(r'(?:"": )?[\w.]+,?|"",?')
_JOINED_CLOSERS = (")", "),", "):")
_OPERAND_PARENTHESES = ("if (", "else (", "and (", "or (")
_MAGIC_COMMA = re.compile(r",\s*[)\]}]")


def _no_magic_commas(code: str) -> bool:
    """No bracket on the line ends in a comma, but a one-element tuple's: black explodes a
    bracket with a trailing comma (a magic trailing comma)."""
    for match in _MAGIC_COMMA.finditer(code):
        close = match.end() - 1
        if code[close] != ")" or match.group() != ",)":
            return False
        depth = 0
        for index in range(close - 1, -1, -1):
            char = code[index]
            if char in ")]}":
                depth += 1
            elif char in "([{":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0 and index != close - 1:
                return False  # more than one element
        else:
            return False
        if code[index] != "(" or index and (code[index - 1].isalnum() or code[index - 1] in "_)]"):
            return False  # a call's arguments, not a tuple
    return True


def _end_element(frame: _Frame, scanned: list[_Line], line_length: int) -> bool:
    """An element of an exploded bracket ended with its comma: one line, or a chain that does
    not fit on one."""
    lines, frame.current = frame.current, []
    frame.elements += 1
    return len(lines) == 1 or _chain_needed(scanned, lines, line_length)


def _closed_well(scanned: list[_Line], frame: _Frame, close: int, line_length: int) -> bool:
    if frame.current:  # an element without a comma: the joined body of a bracket
        if frame.elements:
            return False
        lines = frame.current
        if len(lines) > 1 and not _chain_needed(scanned, lines, line_length):
            return False
        opener = scanned[frame.line]
        body = " ".join(scanned[j].text.strip() for j in range(frame.line + 1, close)
                        if scanned[j].code)  # the text: `code` has its strings emptied
        head = opener.text.rstrip()
        if head.endswith(" (") and not (frame.nested and opener.code in _OPERAND_PARENTHESES):
            # parentheses black adds only to split a line (not a chain's operand's own, inside
            # a bracket, where black adds none)
            joined = len(head) - 1 + len(body) + len(scanned[close].text.strip()) - 1
        else:
            joined = len(head) + len(body) + len(scanned[close].code)
        return joined > line_length
    return frame.elements > 0


def _chain_op(code: str) -> str | None:
    return next((op for kind in _CHAIN_KINDS for op in kind if code.startswith(op)), None)


def _chain_needed(scanned: list[_Line], lines: list[int], line_length: int) -> bool:
    """Lines (of one bracket body, at one indentation) are one chain: operands after operators
    of one kind, no other operator of that priority or a higher one at the top level of a line;
    and it would not fit joined on one line (taken as so when an operand holds a bracket split
    of its own: that bracket was split because its line did not fit)."""
    codes = [scanned[j].code for j in lines]
    if codes[-1].endswith(","):
        codes[-1] = codes[-1][:-1]
    ops = [_chain_op(code) for code in codes[1:]]
    if _chain_op(codes[0]) is not None or None in ops:
        return False
    kind = next(k for k in _CHAIN_KINDS if ops[0] in k)
    if ops[0] != kind[0] or any(op not in kind for op in ops):
        return False
    if kind == ("if ", "else ") and ops != ["if ", "else "]:
        return False
    for code in codes:
        op = _chain_op(code)
        rest = code[len(op):] if op else code
        if any(_top_level_has(rest, word) for word in _HIGHER[kind]):
            return False
    if any(code[-1] in "([{" for code in codes):
        return True
    text = " ".join(scanned[j].text.strip() for j in lines)
    return scanned[lines[0]].indent + len(text) > line_length


def _top_level_has(code: str, word: str) -> bool:
    if word not in code:
        return False
    depth = 0
    for index, char in enumerate(_bracket_shape(code)):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == word[0] and code.startswith(word, index):
            return True
    return False


def _top_level_commas(code: str) -> int:
    """Commas outside brackets in `code`; -1 when its brackets do not balance."""
    return _commas_of_shape(_bracket_shape(code))


def _commas_of_shape(shape: str) -> int:
    """`_top_level_commas` of code whose brackets are all `(` and `)` (`_bracket_shape`).

    Brackets (all of one kind, as far as balance goes) balance when deleting innermost pairs,
    `(` then no bracket then `)`, again and again leaves none; the commas left are the ones
    outside brackets."""
    if "(" not in shape and ")" not in shape:
        return shape.count(",")
    while True:
        shape, pairs = _INNERMOST.subn("", shape)
        if not pairs:
            break
    return -1 if "(" in shape or ")" in shape else shape.count(",")


_INNERMOST = re.compile(r"\([^()]*\)")


def normalize_docstrings(text: str, line_length: int) -> str:
    """`text` with every docstring (the first statement of the module, a class or a function,
    written `\"\"\"…\"\"\"`) the way black writes it: black re-indents, strips and pads docstrings,
    and may move the closing quotes; this is black's own procedure, for the renderer's strings."""
    return normalized_units(text, line_length)[0]


def normalized_units(text: str, line_length: int, member_split_lines: int = 40
                     ) -> tuple[str, list[Unit] | None]:
    """`normalize_docstrings(text)` and its units (`units_if_understood`), scanning the text
    once when the docstrings were already black's (the renderer writes most of them so)."""
    lines = text.splitlines(keepends=True)
    scanned = _scan(lines)
    if scanned is None:
        return text, None
    normalized = _normalize_scanned(lines, scanned, line_length)
    if normalized is None:
        return text, _units_of_scanned(text, lines, scanned, line_length, member_split_lines)
    return normalized, units_if_understood(normalized, line_length, member_split_lines)


def _normalize_scanned(lines: list[str], scanned: list[_Line], line_length: int) -> str | None:
    """The lines with black's docstrings, or None when that changes nothing.

    A docstring is a `\"\"\"` string that starts a line and is the first line of code, or follows
    a line of code ending in `:` indented less (blank lines and lines inside strings in
    between are not code, but the last line of a docstring is)."""
    changes: list[tuple[int, int, str]] = []  # (first line, line after, new text)
    ends: set[int] = set()  # the last lines of the docstrings found so far
    for i in [i for i, line in enumerate(scanned) if line.doc_start]:
        line = scanned[i]
        before = i - 1
        while before >= 0 and before not in ends and (
                scanned[before].in_string or not scanned[before].text.strip()):
            before -= 1
        previous = scanned[before] if before >= 0 else None
        if previous is not None and not (
                previous.code_end == ":" and previous.indent < line.indent):
            continue
        end = i
        while end + 1 < len(lines) and scanned[end + 1].in_string:
            end += 1
        literal = "".join(lines[i:end + 1])
        body_end = literal.rstrip().rfind('"""')
        if literal.rstrip().endswith('"""') and body_end > line.indent + 2:
            value = literal[line.indent:body_end + 3]
            fixed = _black_docstring(value, " " * line.indent, line_length)
            if fixed != value:
                changes.append((i, end + 1, " " * line.indent + fixed
                                + literal[line.indent + len(value):]))
            ends.add(end)
    if not changes:
        return None
    out: list[str] = []
    copied = 0
    for first, after, text in changes:
        out.extend(lines[copied:first])
        out.append(text)
        copied = after
    out.extend(lines[copied:])
    return "".join(out)


def _black_docstring(value: str, indent: str, line_length: int) -> str:
    """black's handling of a docstring literal `value` (`linegen.LineGenerator.visit_STRING`)."""
    if re.search(r"\\\s*\n", value):
        return value
    docstring = value[3:-3]
    started_empty = not docstring
    if "\n" in value:
        docstring = reindented_docstring(docstring, indent)
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
