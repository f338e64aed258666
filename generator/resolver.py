"""Stage 2: find every `$ref`, load the files they name, and check that each one resolves.

Only local refs and relative files inside the spec's own folder are followed; remote URLs,
`file://`, absolute paths and anything that escapes the folder (`..`, symlinks) are refused.
Values that are data rather than schema (`example`, `default`, `enum`, `const`, extensions)
are never searched, so an example containing a `$ref` key is not mistaken for a reference.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import unquote, urlsplit

from .cache import pack_path, read_pack, write_now_or_later, write_pack
from .diagnostics import GenerationFailed, Reporter, pointer_join, pointer_tokens
from .freshness import generator_fingerprint
from .loader import Document, load_document

# Keys whose values are data, not part of the document's structure.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Keys whose value is a map from user-chosen names to objects: its keys are never keywords.
_NAME_MAP_KEYS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
        "schemas", "responses", "parameters", "requestBodies", "headers", "securitySchemes",
        "links", "callbacks", "pathItems", "paths", "webhooks", "content", "encoding",
        "variables",
    }
)


@dataclass(frozen=True, slots=True)
class Located:
    """A value in some document, with where it is."""

    value: Any
    document: Document
    pointer: str

    @property
    def source(self) -> str:
        return f"{self.document.display_name}#{self.pointer}"

    def child(self, *tokens: str | int) -> "Located":
        value = self.value
        for token in tokens:
            value = value[token]
        return Located(value, self.document, pointer_join(self.pointer, *tokens))


class ResolvedSpec:
    """The root document, the files it refers to, and the target of every `$ref` in them."""

    def __init__(self, root: Document) -> None:
        self.root = root
        self.root_dir = root.resolved_path.parent
        self.documents: dict[Path, Document] = {root.resolved_path: root}
        self._targets: dict[tuple[Path, str], Located] = {}
        # while not None, every value reached through a reference is added here (the IR memo
        # records what each unit of the build reads: `build.memo`)
        self.reads: list[Located] | None = None
        # likewise the targets of references whose content the reader does not look into, only
        # what kind of schema they are (see `resolve_extra_ref`'s `shape_only`)
        self.shape_reads: list[Located] | None = None

    def note_read(self, located: Located) -> None:
        """`located` is read (see `reads`)."""
        if self.reads is not None:
            self.reads.append(located)

    def document_named(self, display_name: str) -> Document | None:
        for document in self.documents.values():
            if document.display_name == display_name:
                return document
        return None

    def target(self, ref: str, document: Document) -> Located:
        """The value a `$ref` found in `document` points to (checked by `resolve_refs`)."""
        return self._targets[(document.resolved_path, ref)]

    def chain(self, located: Located) -> list[Located]:
        """`located` and every value `follow` passes through to its result (the last)."""
        reads, self.reads = self.reads, []
        try:
            self.follow(located)
            return [located, *self.reads]
        finally:
            if reads is not None:
                reads.extend(self.reads)
            self.reads = reads

    def follow(self, located: Located) -> Located:
        """Follow `$ref`s until a value that is not a reference (for non-schema objects)."""
        seen: set[tuple[Path, str]] = set()
        while isinstance(located.value, dict) and isinstance(located.value.get("$ref"), str):
            key = (located.document.resolved_path, located.value["$ref"])
            if key in seen:
                break  # reported by resolve_refs as a cycle
            seen.add(key)
            located = self._targets.get(key, located)
            if self.reads is not None:
                self.reads.append(located)
        return located


def resolve_refs(root: Document, reporter: Reporter,
                 save_later: list[Callable[[], None]] | None = None) -> ResolvedSpec:
    """Every `$ref` of the spec resolved (errors reported, located). A document parsed in
    pieces has the references of each piece cached under the piece's digest (`_PieceRefs`),
    so only its changed pieces are walked; with `save_later`, the cache's write is added there
    for the caller to run (as `load_document`'s)."""
    spec = ResolvedSpec(root)
    reporter.add_source(root)
    piece_refs = _PieceRefs(root, save_later)
    pending = [root]
    while pending:
        document = pending.pop()
        found = (_find_refs(document.data, document.pieces, piece_refs.cached)
                 if document is root and piece_refs.cached is not None
                 else _find_refs(document.data))
        for ref, pointer in found:
            key = (document.resolved_path, ref)
            if key in spec._targets:
                continue
            target = _resolve_one(spec, document, ref, pointer, reporter, pending)
            if target is not None:
                spec._targets[key] = target
    piece_refs.save()
    _report_ref_cycles(spec, reporter)
    reporter.raise_if_errors()
    return spec


# What the cached references of a piece depend on, beside its text: the rules of the walk.
_PIECE_REFS_FORMAT = "clientgen piece refs 1"


class _PieceRefs:
    """The references found in each piece of a document parsed in pieces, by the digest of the
    piece's text and whether the walk reached it as a map of names (`_find_refs`). Walking
    GitHub's spec took 65 ms of a regeneration; its pieces' references load in a few."""

    def __init__(self, document: Document, save_later: list[Callable[[], None]] | None) -> None:
        self._document = document
        self._pack = pack_path("refs", str(document.resolved_path)) if document.pieces else None
        self._save_later = save_later
        self.cached: dict[str, Any] | None = None
        self._loaded: dict[str, Any] = {}
        if self._pack is not None:
            self._format = _PIECE_REFS_FORMAT + "\n" + generator_fingerprint()
            self._loaded = read_pack(self._pack, self._format)
            self.cached = dict(self._loaded)

    def save(self) -> None:
        """Keep the references of this document's pieces (those of pieces it no longer has
        are dropped)."""
        if self._pack is None or self.cached is None:
            return
        live = {digest for _, digest in self._document.pieces.values()}
        kept = {key: refs for key, refs in self.cached.items() if key.split(" ")[0] in live}
        if kept.keys() == self._loaded.keys():
            return
        pack, format = self._pack, self._format

        def write() -> None:
            write_pack(pack, format, kept)

        write_now_or_later(write, self._save_later)


def _resolve_one(
    spec: ResolvedSpec,
    document: Document,
    ref: str,
    pointer: str,
    reporter: Reporter,
    pending: list[Document],
) -> Located | None:
    where = pointer_join(pointer, "$ref")
    file_part, _, fragment = ref.partition("#")

    def refuse(message: str) -> None:
        reporter.error(document.display_name, where, f"$ref {ref!r}: {message}")

    target_document = document
    if file_part:
        scheme = urlsplit(file_part).scheme
        if scheme and len(scheme) > 1:  # one letter is a Windows drive, refused below
            refuse(f"{scheme}:// references are not followed; only files inside the spec's "
                   "folder are")
            return None
        relative = unquote(file_part)
        if relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
            refuse("absolute paths are not followed; only files inside the spec's folder are")
            return None
        path = (document.resolved_path.parent / relative).resolve()
        if not path.is_relative_to(spec.root_dir):
            refuse("points outside the spec's folder; only files inside it are followed")
            return None
        if path not in spec.documents:
            display = os.path.normpath(Path(document.display_name).parent / relative)
            try:
                loaded = load_document(path, display)
            except GenerationFailed as failed:
                for diagnostic in failed.diagnostics:
                    refuse(f"cannot load {relative}: {diagnostic.message}")
                return None
            spec.documents[path] = loaded
            reporter.add_source(loaded)
            pending.append(loaded)
        target_document = spec.documents[path]

    fragment = unquote(fragment)
    if fragment and not fragment.startswith("/"):
        refuse("anchor references (#name) are not supported; use a JSON pointer")
        return None
    try:
        value = value_at(target_document.data, fragment)
    except (KeyError, IndexError, TypeError, ValueError):
        refuse("does not resolve (no such location in "
               f"{'this document' if target_document is document else file_part})")
        return None
    return Located(value, target_document, fragment)


def value_at(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer in `data`, as a `$ref` finds it; LookupError, TypeError or
    ValueError when there is none."""
    value = data
    for token in pointer_tokens(pointer):
        value = _step(value, token)
    return value


def _step(value: Any, token: str) -> Any:
    if isinstance(value, dict):
        if token in value:
            return value[token]
        if token.lstrip("-").isdigit() and int(token) in value:  # YAML's unquoted 200:
            return value[int(token)]
        raise KeyError(token)
    if isinstance(value, list):
        return value[int(token)]
    raise TypeError(token)


def _find_refs(data: Any, pieces: Mapping[int, tuple[Any, str]] | None = None,
               cached: dict[str, Any] | None = None, names: bool = False
               ) -> list[tuple[str, str]]:
    """Every (`$ref` string, pointer of the object holding it) in a document, in document
    order (of the objects' ends).

    Shared subtrees (YAML aliases) are visited once, so alias-heavy documents stay linear. The
    walk keeps each container's path as a link to its parent's, and spells a pointer only for
    the objects that hold a `$ref`. A container that is a piece's value (`pieces`, by identity)
    is not walked when `cached` holds its references (relative to it): they are taken from
    there, and put there when it did not. `names`: `data` is a map of names (`_NAME_MAP_KEYS`).
    """
    # (ref, path link or its pointer already spelled, pointer below it)
    found: list[tuple[str, Any, str]] = []
    visited: set[int] = set()
    stack: list[tuple[Any, Any, bool]] = [(data, None, names)]  # (value, path link, names)
    while stack:
        value, link, names = stack.pop()
        if pieces and cached is not None:
            piece = pieces.get(id(value))
            if piece is not None and piece[0] is value:
                key = piece[1] + (" names" if names else "")
                inside: Any = cached.get(key)
                if not _is_refs(inside):
                    inside = cached[key] = [list(entry) for entry in _find_refs(value, None, None,
                                                                                  names)]
                prefix = _pointer(link)  # once for the piece's references
                found.extend((ref, prefix, below) for ref, below in reversed(inside))
                continue
        if isinstance(value, dict):
            if id(value) in visited:
                continue
            visited.add(id(value))
            ref = value.get("$ref")
            if isinstance(ref, str) and not names:
                found.append((ref, link, ""))
            for key, child in value.items():
                if not isinstance(child, (dict, list)):
                    continue
                key = str(key)
                if not names and (key in _DATA_KEYS or key.startswith("x-") or key == "$ref"):
                    continue
                stack.append((child, (link, key), not names and key in _NAME_MAP_KEYS))
        elif isinstance(value, list):
            if id(value) in visited:
                continue
            visited.add(id(value))
            for index, child in enumerate(value):
                if isinstance(child, (dict, list)):
                    stack.append((child, (link, index), False))
    found.reverse()
    return [(ref, (link if type(link) is str else _pointer(link)) + below)
            for ref, link, below in found]


def _is_refs(value: Any) -> bool:
    """Whether a cached value is a list of [`$ref`, pointer] (else it is found anew)."""
    return isinstance(value, list) and all(
        isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
        and isinstance(entry[1], str) for entry in value)


def _pointer(link: Any) -> str:
    """The JSON pointer of a path link (`_find_refs`): (parent link, key), None at the root."""
    tokens = []
    while link is not None:
        link, token = link
        tokens.append(token)
    tokens.reverse()
    return pointer_join("", *tokens)


def _report_ref_cycles(spec: ResolvedSpec, reporter: Reporter) -> None:
    """A `$ref` whose chain of `$ref`s comes back to itself never reaches a value; each cycle
    is one problem, reported once. A warning: the schema converter types such a schema as any
    JSON value, and any other object in the loop (a parameter, a response) is reported where it
    is used."""
    reported: set[frozenset[tuple[Path, str]]] = set()
    for (path, ref), target in list(spec._targets.items()):
        seen = {(path, ref)}
        current = target
        while isinstance(current.value, dict) and isinstance(current.value.get("$ref"), str):
            key = (current.document.resolved_path, current.value["$ref"])
            if key in seen:
                if frozenset(seen) in reported:
                    break
                reported.add(frozenset(seen))
                reporter.warning(current.document.display_name, current.pointer,
                                 f"$ref {ref!r} is part of a cycle of references that never "
                                 "reaches a value; typed as any JSON value")
                break
            seen.add(key)
            nxt = spec._targets.get(key)
            if nxt is None:
                break
            current = nxt


def resolve_extra_ref(
    spec: ResolvedSpec, ref: str, document: Document, pointer: str, reporter: Reporter,
    shape_only: bool = False,
) -> Located | None:
    """Resolve a reference that is not a `$ref` key (a discriminator mapping value), under the
    same rules as every other reference. `shape_only`: the caller reads the target's keywords
    but not its properties or description (`build.memo.shape`), unless it builds it (then it
    notes the whole read itself, `ResolvedSpec.note_read`)."""
    key = (document.resolved_path, ref)
    if key not in spec._targets:
        pending: list[Document] = []
        target = _resolve_one(spec, document, ref, pointer, reporter, pending)
        if target is None:
            return None
        for loaded in pending:
            for nested_ref, nested_pointer in _find_refs(loaded.data):
                nested_key = (loaded.resolved_path, nested_ref)
                if nested_key not in spec._targets:
                    nested = _resolve_one(spec, loaded, nested_ref, nested_pointer, reporter,
                                          pending)
                    if nested is not None:
                        spec._targets[nested_key] = nested
        spec._targets[key] = target
    found = spec._targets[key]
    if shape_only:
        if spec.shape_reads is not None:
            spec.shape_reads.append(found)
    elif spec.reads is not None:
        spec.reads.append(found)
    return found
