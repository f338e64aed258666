"""Black's layout of the few long statements the renderer writes, decided while rendering.

black formats about 3,000 lines a second; a large spec's client has over 100,000. So the
renderer writes its statements the way black would, and the formatter sends to black only the
units it cannot vouch for (`generator.layout`). This module lays out a statement made of nested
calls and displays (`f(a, g(b, c))`, `frozenset({"a", "b"})`) and `and` chains, following
black's right-hand split: a statement that fits stays on one line; otherwise the last bracket
opens a block whose body is one line when it fits (a call's arguments) and one element per line
with a trailing comma when it does not (a display's elements always, once split). When a piece
cannot be laid out by these rules (one element still too long), the result is the plain
one-line statement, which the formatter then leaves to black. The tests compare with black.
"""

from __future__ import annotations

from dataclasses import dataclass

LINE_LENGTH = 100


@dataclass(frozen=True, slots=True)
class Group:
    """`prefix` + `opener` + items joined by ", " + `closer`."""

    prefix: str
    opener: str
    items: tuple[Group | str, ...]
    closer: str
    display: bool = False  # a tuple/list/set/dict display: exploded one per line once split
    magic: bool = False  # written with a trailing comma: black keeps it exploded

    def flat(self) -> str:
        inner = ", ".join(i if isinstance(i, str) else i.flat() for i in self.items)
        if self.magic or self.display and self.opener == "(" and len(self.items) == 1:
            inner += ","  # a magic trailing comma, or a one-element tuple's
        return self.prefix + self.opener + inner + self.closer

    def has_magic(self) -> bool:
        return self.magic or any(isinstance(i, Group) and i.has_magic() for i in self.items)


def call(prefix: str, *items: Group | str) -> Group:
    return Group(prefix, "(", items, ")")


def display(prefix: str, opener: str, items: tuple[Group | str, ...], closer: str,
            magic: bool = False) -> Group:
    """A display; `magic` (a trailing comma) means nothing for a one-element tuple (black)."""
    return Group(prefix, opener, items, closer, display=True,
                 magic=magic and not (opener == "(" and len(items) == 1))


def statement(head: str, node: Group, indent: int) -> str:
    """`head + node` at `indent` spaces, laid out as black would; without the first line's
    indentation and without a final newline (the template supplies both)."""
    lines = _lay_out(Group(head + node.prefix, node.opener, node.items, node.closer,
                           node.display, node.magic), indent, "")
    if lines is None:
        return head + node.flat()
    return "\n".join(lines)[indent:]


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


def _lay_out(node: Group | str, indent: int, trailer: str) -> list[str] | None:
    pad = " " * indent
    if isinstance(node, str):
        line = pad + node + trailer
        return [line] if len(line) <= LINE_LENGTH else None
    if not node.has_magic():
        line = pad + node.flat() + trailer
        if len(line) <= LINE_LENGTH:
            return [line]
    head = pad + node.prefix + node.opener
    if len(head) > LINE_LENGTH or not node.items:
        return None
    inner = " " * (indent + 4)
    body: list[str] | None
    joined = ", ".join(i if isinstance(i, str) else i.flat() for i in node.items)
    if not node.display and not node.has_magic() and len(inner + joined) <= LINE_LENGTH:
        body = [inner + joined]
    elif len(node.items) == 1 and not node.display and not node.magic:
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
