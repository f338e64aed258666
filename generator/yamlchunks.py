"""Parse a large block-YAML spec in pieces through the cache, so that after an edit only the
pieces that changed are parsed again.

The C loader takes about a second on a 3 MB spec (GitHub's); the same values, stored with
`marshal`, load in 20 ms. A spec is cut at the entries of its large mappings (each path, each
schema, …): a piece is one mapping entry, its key line and every line below it, and is cached
under the hash of its text. The cut is made only where the text is plain block YAML, read by
indentation (`loader._BlockYamlLines`): every entry line a plain `key:` at its mapping's
column, no line of the piece left of it, no anchors anywhere (an alias would reach into another
piece). A piece that is not in the cache is parsed alone and must be a mapping of exactly one
key; anything else, and every cache failure, sends the whole text to the full parse. The result
is the value the full parse gives (tests/test_speed_paths.py compares them on the corpus).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, Callable, NamedTuple

from .cache import pack_path, read_pack, write_now_or_later, write_pack

# Below this size the full parse takes a few milliseconds: not worth a cache file.
PIECEWISE_MIN_CHARS = 200_000
# An entry longer than this many lines is cut into its own entries, down to `_MAX_DEPTH`.
_SPLIT_LINES = 200
_MAX_DEPTH = 3
_PACK_FORMAT = f"clientgen yaml pieces 1, python {sys.version_info[:3]}"


def has_anchor(text: str) -> bool:
    """Whether `text` may hold an anchor: an `&` followed by a name where a node may start
    (after `key:`, `- `, a flow indicator or `?`, or first on its line, spaces and tabs
    between). What a regular expression said, but one tries every position of the text (55 ms
    on GitHub's spec); the text is searched for `&` only (0.2 ms: 24 of them there)."""
    find = text.find
    at = find("&")
    while at >= 0:
        if at + 1 < len(text) and text[at + 1] not in " \t\n":
            before = at - 1
            while before >= 0 and text[before] in " \t":
                before -= 1
            if before < 0 or text[before] in "\n:-[{,?":
                return True
        at = find("&", at + 1)
    return False


class _Piece(NamedTuple):
    start: int  # the entry's key line
    end: int  # the line after its last line
    children: tuple["_Piece", ...] | None  # the entries of its value, when it is cut further


def parse_in_pieces(text: str, path: Path, parse_whole: Callable[[str], Any],
                    parse_piece: Callable[[str], Any], block_lines: Callable[[], Any],
                    save_later: list[Callable[[], None]] | None = None,
                    piece_values: dict[int, tuple[Any, str]] | None = None) -> Any:
    """`parse_whole(text)`, from cached pieces where the text allows it. `parse_piece` parses
    one piece and raises on any problem (the caller then gets `parse_whole`'s located error);
    `block_lines()` gives the text's `loader._BlockYamlLines`. With `save_later`, the write of
    the pieces' cache is added there for the caller to run (the pipeline: on its other core).
    `piece_values` receives the value of each piece (a mapping entry's), by identity, with the
    digest of the piece's text: a later stage can cache what it finds in a piece under it."""
    pack = pack_path("yaml", str(path.resolve()))
    if pack is None or len(text) < PIECEWISE_MIN_CHARS or has_anchor(text):
        return parse_whole(text)
    lines = block_lines()
    pieces = _root_pieces(lines)
    if pieces is None:
        return parse_whole(text)
    keys = _Keys(lines.lines, read_pack(pack, _PACK_FORMAT), piece_values)
    data = None
    if keys.cached:  # an earlier version of this file was parsed: only its changes are parsed
        try:
            data = _assemble(pieces, keys, parse_piece)
        except _NotPiecewise:
            keys.found.clear()
    if data is None:
        data = parse_whole(text)
        keys.missed = _record(pieces, data, keys)
    if keys.missed:
        found = keys.found

        def write() -> None:
            write_pack(pack, _PACK_FORMAT, found)

        write_now_or_later(write, save_later)
    return data


class _NotPiecewise(Exception):
    """A piece that does not parse alone as one mapping entry."""


class _Keys:
    """Cache entries by the hash of a piece's text (its value, as a mapping of one key) or of a
    cut entry's key line (its key); `found` collects what this text needs."""

    def __init__(self, lines: list[str], cached: dict[str, Any],
                 values: dict[int, tuple[Any, str]] | None = None) -> None:
        self.lines = lines
        self.cached = cached
        self.found: dict[str, Any] = {}
        self.missed = False
        self.values = values  # see `parse_in_pieces`'s `piece_values`

    def note_value(self, value: Any, digest: str) -> None:
        if self.values is not None and isinstance(value, (dict, list)):
            self.values[id(value)] = (value, digest)

    def text(self, piece: _Piece) -> str:
        if piece.children is None:
            return "\n".join(self.lines[piece.start:piece.end]) + "\n"
        return "key\n" + self.lines[piece.start]

    @staticmethod
    def digest(text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _root_pieces(lines: Any) -> list[_Piece] | None:
    text, columns = lines.lines, lines.columns
    lo = lines.next_significant(0, len(text))
    if lo is not None and text[lo].rstrip() == "---":
        lo = lines.next_significant(lo + 1, len(text))
    if lo is None or columns[lo] != 0 or text[lo].startswith(("---", "%", "...")):
        return None
    return _pieces(lines, lo, len(text), 0, 1)


def _pieces(lines: Any, lo: int, hi: int, col: int, depth: int) -> list[_Piece] | None:
    from .loader import _UNSURE, _YAML_KEY

    text, columns = lines.lines, lines.columns
    entries = lines.entries(lo, hi, col)
    if not entries:
        return None
    # the items of a block sequence written at its key's column belong to that key's entry
    keyed = [i for i in entries if not (text[i].startswith(("- ", "-\n"), col)
                                        or text[i][col:] == "-")]
    if not keyed or keyed[0] != entries[0]:
        return None
    pieces = []
    for number, start in enumerate(keyed):
        end = keyed[number + 1] if number + 1 < len(keyed) else hi
        line = text[start]
        if line.startswith("-", col) or _UNSURE.match(line, col):
            return None
        key = _YAML_KEY.match(line, col)
        if key is None:
            return None
        children = None
        value = line[key.end():].strip()
        if end - start > _SPLIT_LINES and depth < _MAX_DEPTH and (not value
                                                                   or value.startswith("#")):
            first = lines.next_significant(start + 1, end)
            if first is not None and columns[first] > col and not text[first].startswith(
                    "-", columns[first]):
                inner = _pieces(lines, first, end, columns[first], depth + 1)
                children = tuple(inner) if inner else None
        pieces.append(_Piece(start, end, children))
    return pieces


def _assemble(pieces: list[_Piece], keys: _Keys, parse_piece: Callable[[str], Any]
              ) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for piece in pieces:
        text = keys.text(piece)
        digest = keys.digest(text)
        if digest in keys.cached:
            entry = keys.cached[digest]
        else:
            keys.missed = True
            if piece.children is None:
                entry = _parse_entry(text, parse_piece)
            else:
                entry = next(iter(_parse_entry(text[len("key\n"):], parse_piece)))
        keys.found[digest] = entry
        if piece.children is None:
            ((key, value),) = entry.items()
            mapping[key] = value
            keys.note_value(value, digest)
        else:
            mapping[entry] = _assemble(list(piece.children), keys, parse_piece)
    return mapping


def _parse_entry(text: str, parse_piece: Callable[[str], Any]) -> dict[Any, Any]:
    try:
        value = parse_piece(text)
    except Exception:  # noqa: BLE001 - any failure: the full parse reports it, located
        raise _NotPiecewise from None
    if not isinstance(value, dict) or len(value) != 1:
        raise _NotPiecewise
    return value


def _record(pieces: list[_Piece], data: Any, keys: _Keys) -> bool:
    """Cache entries for `pieces` from the full parse's `data`, matched by position (a mapping
    with repeated keys has fewer entries than pieces: nothing is recorded)."""
    if not isinstance(data, dict) or len(data) != len(pieces):
        return False
    for piece, (key, value) in zip(pieces, data.items()):
        if piece.children is None:
            digest = keys.digest(keys.text(piece))
            keys.found[digest] = {key: value}
            keys.note_value(value, digest)
        else:
            keys.found[keys.digest(keys.text(piece))] = key
            if not _record(list(piece.children), value, keys):
                return False
    return True
