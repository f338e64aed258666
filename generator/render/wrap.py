"""Black's layout of the few long statements the renderer writes, decided while rendering.

black formats about 3,000 lines a second; a large spec's client has over 100,000. So the
renderer writes its statements the way black would, and the formatter sends to black only the
units it cannot vouch for (`generator.layout`). This module lays out a statement made of nested
calls and displays (`f(a, g(b, c))`, `frozenset({"a", "b"})`) and `and` chains, following
black's right-hand split: a statement that fits stays on one line; otherwise the last bracket
opens a block whose body is one line when it fits (a call's arguments) and one element per line
with a trailing comma when it does not (a display's elements always, once split, but a lone
element of a list, set or dict); a bracket written with a trailing comma (a union decoder's
candidates) is always exploded. Annotated declarations (`declaration`) follow black's choice
between the value's bracket, parentheses around the value and parentheses around the
annotation. When a piece cannot be laid out by these rules (one element still too long), the
result is the plain one-line statement, which the formatter then leaves to black. The tests
compare with black (`tests/test_layout.py`, and whole files in `tests/test_speed_paths.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

LINE_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Group:
    """`prefix` + `opener` + items joined by ", " + `closer`."""

    prefix: str
    opener: str
    items: tuple[Group | Chain | str, ...]
    closer: str
    display: bool = False  # a tuple/list/set/dict display: exploded one per line once split
    magic: bool = False  # written with a trailing comma: black keeps it exploded

    def flat(self) -> str:
        inner = ", ".join(one_line(i) for i in self.items)
        if self.magic or self.display and self.opener == "(" and len(self.items) == 1:
            inner += ","  # a magic trailing comma, or a one-element tuple's
        return self.prefix + self.opener + inner + self.closer

    def has_magic(self) -> bool:
        return self.magic or any(not isinstance(i, str) and i.has_magic() for i in self.items)


@dataclass(frozen=True, slots=True)
class Chain:
    """`parts[0] ops[0] parts[1] ops[1] …`: operands joined by operators of one priority (`+`,
    a conditional's `if`/`else`, a comprehension's `for`); black splits it before each operator,
    one operand per line, when it is the body of a bracket and does not fit."""

    parts: tuple[Group | Chain | str, ...]
    ops: tuple[str, ...]

    def flat(self) -> str:
        pieces = [one_line(self.parts[0])]
        for op, part in zip(self.ops, self.parts[1:]):
            pieces.append(f"{op} {one_line(part)}")
        return " ".join(pieces)

    def has_magic(self) -> bool:
        return any(not isinstance(p, str) and p.has_magic() for p in self.parts)


def one_line(node: Group | Chain | str) -> str:
    """The text of `node` on one line."""
    return node if isinstance(node, str) else node.flat()


def with_prefix(prefix: str, node: Group) -> Group:
    """`node` with `prefix` written before its own prefix (`name=`, `return `, `else `)."""
    return replace(node, prefix=prefix + node.prefix)


def call(prefix: str, *items: Group | Chain | str) -> Group:
    return Group(prefix, "(", items, ")")


def parenthesized(prefix: str, inner: Group | Chain | str) -> Group:
    """`prefix(inner)`: parentheses around one expression (or a call with one argument)."""
    return Group(prefix, "(", (inner,), ")")


def display(prefix: str, opener: str, items: tuple[Group | Chain | str, ...], closer: str,
            magic: bool = False) -> Group:
    """A display; `magic` (a trailing comma) means nothing for a one-element tuple (black)."""
    return Group(prefix, opener, items, closer, display=True,
                 magic=magic and not (opener == "(" and len(items) == 1))


def statement(head: str, node: Group, indent: int, trailer: str = "") -> str:
    """`head + node + trailer` (a class header's `:`) at `indent` spaces, laid out as black
    would; without the first line's indentation and without a final newline (the template
    supplies both)."""
    lines = _lay_out(with_prefix(head, node), indent, trailer)
    if lines is None:
        return head + node.flat() + trailer
    return "\n".join(lines)[indent:]


def assignment(target: str, value: Group | Chain | str, indent: int) -> str:
    """`target = value` at `indent` spaces, as black lays it out when it does not fit: split at
    the value's own last bracket (a call, a list), or inside the parentheses black adds around a
    conditional or a lone name; without the first line's indentation. The plain text when no
    layout applies (the formatter then leaves the statement to black)."""
    flat = f"{target} = {one_line(value)}"
    if indent + len(flat) <= LINE_LENGTH:
        return flat
    if isinstance(value, Group):
        head_fits = indent + len(f"{target} = {value.prefix}{value.opener}") <= LINE_LENGTH
        if value.has_magic():
            # a bracket that must explode: black splits at the value's own last bracket when
            # the line up to it fits, else (the target being annotated or subscripted) inside
            # the parentheses it adds (`linegen._prefer_split_rhs_oop_over_rhs`)
            if head_fits:
                return statement(f"{target} = ", value, indent)
            if ": " in target or "[" in target:
                return _in_parentheses(target, value, indent) or flat
            return flat
        if one_line(value).count("(") + one_line(value).count("[") > 2 and not (
                head_fits and _call_of_call(value)):
            return flat  # brackets inside brackets: black's choices there are not modelled
        if head_fits:
            return statement(f"{target} = ", value, indent)
        return _in_parentheses(target, value, indent) or flat  # the head does not fit
    if isinstance(value, Chain) and value.ops == ("if", "else") or \
            isinstance(value, str) and (value.replace(".", "").replace("_", "").isalnum()
                                        or _STRING.fullmatch(value)):
        return _in_parentheses(target, value, indent) or flat
    return flat


def _call_of_call(node: Group) -> bool:
    """`f(g(a, b))` (`list(map(f, data["x"]))`): black splits at the outer call's bracket and
    lays out the inner call as its body, as `_lay_out` does."""
    inner = node.items[0] if len(node.items) == 1 else None
    return (node.opener == "(" and not node.display and not node.magic
            and isinstance(inner, Group) and inner.opener == "(" and not inner.display
            and not inner.magic and all(isinstance(i, str) for i in inner.items))


# A dict display's entry black cannot split (a string key, a dotted name): it stays as long as
# it is on its own line.
_UNSPLITTABLE = re.compile(r'"(?:[^"\\\n]|\\.)*": [\w.]+')
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')  # one string literal, as `pysyntax.string` writes it


def declaration(name: str, annotation: Group | Chain | str, value: Group | str | None,
                indent: int) -> str:
    """`name: annotation` or `name: annotation = value` (a class attribute) at `indent` spaces,
    laid out as black would; without the first line's indentation. The plain text when no
    layout applies (the formatter then leaves the statement to black).

    black puts invisible parentheses around the annotation and the value. With a value: when
    `name: annotation = (` fits, the split is at the value's own last bracket if the line up to
    it fits, else inside parentheses around the value (even a string that does not fit in
    them); when it does not fit, the parentheses around an annotation with `|` are the ones
    made visible (`name: (` … `) = value`). Without a value: an annotation with `|`, or a lone
    name, goes inside parentheses; a subscript (`list[…]`) is split at its bracket."""
    typed = f"{name}: {one_line(annotation)}"
    flat = typed + (f" = {one_line(value)}" if value is not None else "")
    if indent + len(flat) <= LINE_LENGTH:
        return flat
    if value is not None:
        if indent + len(f"{typed} = (") <= LINE_LENGTH:
            if isinstance(value, Group) and not value.display:
                if indent + len(f"{typed} = {value.prefix}{value.opener}") <= LINE_LENGTH:
                    return statement(f"{typed} = ", value, indent)
                return _in_parentheses(typed, value, indent) or flat
            if isinstance(value, str) and (_STRING.fullmatch(value) or value == "None"):
                return "\n".join([f"{typed} = (", " " * (indent + 4) + value, " " * indent + ")"])
            return flat
        tail = f") = {one_line(value)}"
        if not isinstance(annotation, Chain) or indent + len(tail) > LINE_LENGTH:
            return flat
        return _annotation_in_parentheses(name, annotation, indent, tail) or flat
    if isinstance(annotation, Chain) or isinstance(annotation, str) and \
            annotation.replace(".", "").replace("_", "").isalnum():
        return _annotation_in_parentheses(name, annotation, indent, ")") or flat
    if isinstance(annotation, Group) and annotation.opener == "[" and not annotation.display:
        return statement(f"{name}: ", annotation, indent)
    return flat


def _annotation_in_parentheses(name: str, annotation: Chain | str, indent: int,
                               tail: str) -> str | None:
    body = _lay_out(annotation, indent + 4, "")
    if body is None or indent + len(name) + 3 > LINE_LENGTH:
        return None
    return "\n".join([f"{name}: (", *body, " " * indent + tail])


def _in_parentheses(target: str, value: Group | Chain | str, indent: int) -> str | None:
    """`target = (` value `)`, the parentheses black adds to split the right of an assignment;
    None when the value does not fit inside them either."""
    body = _lay_out(value, indent + 4, "")
    if body is None or indent + len(target) + 4 > LINE_LENGTH:
        return None
    return "\n".join([f"{target} = (", *body, " " * indent + ")"])


def element(node: Group | Chain | str, indent: int) -> str:
    """`node` as one element of an exploded bracket at `indent` spaces (a line that ends with a
    comma), laid out as black would; without the first line's indentation and without the final
    comma (the template supplies both). The plain text when no layout applies."""
    lines = _lay_out(node, indent, ",")
    if lines is None:
        return one_line(node)
    return "\n".join(lines)[indent:-1]


def and_chain(head: str, operands: list[str], indent: int) -> str:
    """`head` followed by `a and b and …` (a `return`), as black lays it out."""
    flat = head + " and ".join(operands)
    if indent + len(flat) <= LINE_LENGTH or len(operands) < 2:
        return flat
    inner = " " * (indent + 4)
    body = " and ".join(operands)
    if indent + 4 + len(body) <= LINE_LENGTH:
        lines = [inner + body]
    else:
        lines = [inner + operands[0]] + [inner + "and " + o for o in operands[1:]]
        if any(len(line) > LINE_LENGTH for line in lines):
            return flat
    return head + "(\n" + "\n".join(lines) + "\n" + " " * indent + ")"


def _lay_out(node: Group | Chain | str, indent: int, trailer: str) -> list[str] | None:
    pad = " " * indent
    if isinstance(node, str):
        line = pad + node + trailer
        return [line] if len(line) <= LINE_LENGTH or _UNSPLITTABLE.fullmatch(node) else None
    if not node.has_magic():
        line = pad + node.flat() + trailer
        if len(line) <= LINE_LENGTH:
            return [line]
    if isinstance(node, Chain):
        return _split_chain(node, indent, trailer)
    head = pad + node.prefix + node.opener
    if len(head) > LINE_LENGTH or not node.items:
        return None
    inner = " " * (indent + 4)
    body: list[str] | None
    joined = ", ".join(one_line(i) for i in node.items)
    if not node.display and not node.has_magic() and len(inner + joined) <= LINE_LENGTH:
        body = [inner + joined]
    elif len(node.items) == 1 and not node.magic and not (node.display and node.opener == "("):
        # one argument, or a list's, set's or dict's one element: black splits the body
        # further without adding a comma (a one-element tuple keeps its own)
        body = _lay_out(node.items[0], indent + 4, "")
    else:
        body = []
        for item in node.items:
            lines = _lay_out(item, indent + 4, ",")
            if lines is None:
                return None
            body.extend(lines)
    if body is None:
        return None
    return [head, *body, pad + node.closer + trailer]


def _split_chain(chain: Chain, indent: int, trailer: str) -> list[str] | None:
    """One operand per line, each after its operator; an operand that is itself too long is
    split at its own last bracket (black's right-hand split), the trailer on the last line."""
    lines: list[str] = []
    count = len(chain.parts)
    for index, part in enumerate(chain.parts):
        op = chain.ops[index - 1] + " " if index else ""
        end = trailer if index == count - 1 else ""
        if isinstance(part, str):
            piece = _lay_out(op + part, indent, end)
        elif isinstance(part, Group):
            piece = _lay_out(with_prefix(op, part), indent, end)
        else:
            return None  # a chain inside a chain has other priorities: left to black
        if piece is None:
            return None
        lines.extend(piece)
    return lines
