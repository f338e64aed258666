"""IR units from an earlier run: a regeneration rebuilds only the units whose inputs changed.

A unit is one top-level piece of `build_api`'s work: converting one component schema
(`SchemaConverter.convert_components`; the components it builds on the way are part of it) or
building one operation (`OperationBuilder.build_all`). Everything else (security schemes, the
up-front claims of component names, base URL, …) runs every time.

While a unit is built, the `Journal` records
- what it reads of the spec, as *entries*: `/components/<kind>/<name>`, `/paths/<path>`, else the
  first token of a pointer (`/security`), or a whole document (its own entry, every `$ref` it
  follows, discriminator mappings, `allOf` parents, the root `security`), and, when it reads the
  content of a declaration another unit built (pagination, a parameter's style, a
  discriminator's implicit value), every entry that unit read;
- of a schema that a reference leads to and another unit builds, only its *shape*
  (`shape`: its keywords, not its properties or description);
- its effects on the builders' shared state, in order: names claimed in the declaration and
  method namespaces, writes to the builders' dictionaries (declarations, named schemas,
  polymorphic references, operationIds, …), and its reporter calls.

A unit is replayed (its effects applied again, its reporter calls made again through the real
reporter, so that repeats are dropped and lines found as in a cold run) when every entry it read
has the same digest as then and the builders' state is the same as it was then: every earlier
unit was replayed, or was built anew with the same effects on that state (its declarations,
operation and diagnostics may differ). What units read outside entries (the family, strictness,
documents, security schemes, the up-front claims and `allOf` subtypes) must be the same as in
the earlier run, else no unit is replayed. Once a unit's effects differ, or the units come in
another order, every later unit is built anew (and recorded, for the next run).

An entry's digest is blake2b over `marshal.dumps(value, 2)` (version 2 writes no
back-references, so equal values give equal bytes, whatever the parse shared). A value marshal
cannot write (a YAML timestamp) turns the memo off for the run.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import io
import marshal
import operator
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from .. import cache, freshness, ir
from ..digests import KnownDigests
from ..diagnostics import Reporter, Severity, pointer_join, pointer_tokens
from ..naming import Namespace
from ..resolver import Located, ResolvedSpec, value_at

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

UnitKey = tuple[str, ...]
Entry = tuple[str, str]  # (document's resolved path, pointer of the entry)
Effect = tuple[Any, ...]  # (tag, *arguments); see `Journal._apply`

_MISSING_DIGEST = b"-"
_MEMO_VERSION = "clientgen ir 1"
# An entry whose pointer starts with this (no JSON pointer does) is the `shape` of the schema at
# the rest of it.
SHAPE = "shape:"


def shape(schema: Any) -> Any:
    """What a unit that refers to a schema built elsewhere reads of it (`resolve_extra_ref`'s
    `shape_only`): its keywords (kind, enum, variants, discriminator, readOnly, …), not its
    properties (only that it has some) nor its description. So a property added to a schema
    that hundreds of others refer to rebuilds that schema (and those that merge it through
    `allOf`), not the units that only refer to it."""
    if not isinstance(schema, dict):
        return schema
    return {key: True if key == "properties" else value
            for key, value in schema.items() if key != "description"}


class Diverged(Exception):
    """A replayed unit's effects do not fit the state (which the memo's rules say cannot
    happen): `build_api` then builds everything anew rather than trust the memo."""


@dataclass(frozen=True, slots=True)
class Unit:
    """What building a unit did: its key, the entries it read, its effects and its result."""

    key: UnitKey
    entries: tuple[Entry, ...]
    effects: tuple[Effect, ...]
    result: Any


def journaled(journal: Journal | None, tag: str) -> dict[Any, Any]:
    """A builder's dictionary that units share: a plain one without a journal."""
    return {} if journal is None else JournaledDict(journal, tag)


def run_unit(journal: Journal | None, key: UnitKey, reads: Iterable[Located],
             build: Callable[[], T]) -> T:
    """`build()`, through the journal when there is one (see `Journal.run`)."""
    return build() if journal is None else journal.run(key, reads, build)


class JournaledDict(dict[K, V]):
    """A builder's dictionary whose writes (and `pop`s) the journal records while a unit is
    built; reads are a plain dict's."""

    def __init__(self, journal: Journal, tag: str) -> None:
        super().__init__()
        self._journal = journal
        self._tag = tag
        journal.containers[tag] = self

    def __setitem__(self, key: K, value: V) -> None:
        log = self._journal.log
        if log is not None:
            log.append((self._tag, key, value))
        dict.__setitem__(self, key, value)

    def pop(self, key: K, default: Any = None) -> Any:
        log = self._journal.log
        if log is not None:
            log.append((self._tag + "-", key))
        return dict.pop(self, key, default)


class JournaledNamespace(Namespace):
    """A namespace whose claims the journal records while a unit is built."""

    def __init__(self, journal: Journal, tag: str,
                 reserved: frozenset[str] | set[str] = frozenset()) -> None:
        super().__init__(reserved)
        self._journal = journal
        self._tag = tag
        journal.containers[tag] = self

    def claim(self, name: str) -> str:
        unique = super().claim(name)
        log = self._journal.log
        if log is not None:
            log.append((self._tag, name, unique))
        return unique


class _RecordingReporter(Reporter):
    """Passes every report to the real reporter, noting it while a unit is built (the severity
    as reported: the real reporter applies --strict)."""

    def __init__(self, inner: Reporter, journal: Journal) -> None:
        super().__init__(inner.strict)
        self._inner = inner
        self._journal = journal

    def report(self, severity: Severity, file: str, pointer: str, message: str) -> None:
        log = self._journal.log
        if log is not None:
            log.append(("r", severity, file, pointer, message))
        self._inner.report(severity, file, pointer, message)

    def add_source(self, source: Any) -> None:
        self._inner.add_source(source)


class Journal:
    """Runs the units of one `build_api`, replaying those of the earlier run (`previous`, from
    `load`) that nothing they depend on changed, and recording the others."""

    def __init__(self, spec: ResolvedSpec, reporter: Reporter, context: tuple[Any, ...],
                 previous: dict[str, Any] | None, digests: KnownDigests | None = None) -> None:
        """`digests` receives the digest of every node a replayed unit brings back (the run
        that built the node computed it; see `node_digests`)."""
        self._spec = spec
        self._real_reporter = reporter
        self.reporter: Reporter = _RecordingReporter(reporter, self)
        self._context = context  # facts units read beside entries (the family, documents, …)
        self._previous = previous
        self.containers: dict[str, Any] = {}
        self.log: list[Effect] | None = None
        self.units: list[Unit] = []
        self.reused = 0
        self.storable = True  # false when a value has no digest or the build loaded a file
        self._facts: tuple[Any, ...] | None = None
        self._old_units: Sequence[Unit] = ()
        self._old_digests: dict[Entry, bytes] = {}
        self._old_node_digests: Sequence[Any] = ()
        self.base: tuple[str, Sequence[Unit]] | None = None  # the loaded base pack (`load`)
        self.node_digests_known = digests if digests is not None else KnownDigests()
        self._on_track = False
        self._digests: dict[Entry, bytes] = {}
        self._entry_of: dict[tuple[Path, str], Entry] = {}
        self._producer: dict[str, int] = {}  # declaration name -> index of the unit that built it
        self._reads_declarations: set[Entry] = set()
        self._documents = len(spec.documents)
        self._documents_by_name: dict[str, Any] = {}

    # ------------------------------------------------------------------ hooks of the builders

    def namespace(self, tag: str, reserved: frozenset[str] | set[str] = frozenset()
                  ) -> Namespace:
        """A namespace that units share (the declarations', the client's methods)."""
        return JournaledNamespace(self, tag, reserved)

    def begin(self, upfront: tuple[Any, ...]) -> None:
        """Before the first unit: the facts of the up-front pass (component names claimed,
        subtypes). With the context, they must be the earlier run's for any unit to replay."""
        self._facts = (self._context, upfront)
        previous = self._previous
        if previous is not None and previous.get("facts") == self._facts:
            self._old_units = previous["units"]
            self._old_digests = previous["digests"]
            node_digests = previous.get("node_digests")
            if isinstance(node_digests, list) and len(node_digests) == len(self._old_units):
                self._old_node_digests = node_digests
            base_id, base_units = previous.get("base_id"), previous.get("base_units")
            if isinstance(base_id, str) and isinstance(base_units, list):
                self.base = (base_id, base_units)
            self._on_track = True

    def run(self, key: UnitKey, reads: Iterable[Located], build: Callable[[], T]) -> T:
        """`build()`'s result, or the result an earlier run recorded for the unit `key` (its
        effects applied again). `reads` are values the unit reads beside its own."""
        if self._facts is None:
            self.begin(())
        index = len(self.units)
        old: Unit | None = None
        if self._on_track and index < len(self._old_units):
            old = self._old_units[index]
            if old.key != key:
                old = None
        if old is None:
            self._on_track = False
        elif all(self._digest(entry) == self._old_digests.get(entry) for entry in old.entries):
            for effect in old.effects:
                self._apply(effect)
            self._finish(old)
            self._carry_node_digests(index, old)
            self.reused += 1
            return old.result  # type: ignore[no-any-return]
        log: list[Effect] = []
        read: list[Located] = list(reads)
        shapes: list[Located] = []
        self._reads_declarations = set()
        self.log, self._spec.reads, self._spec.shape_reads = log, read, shapes
        try:
            result = build()
        finally:
            self.log, self._spec.reads, self._spec.shape_reads = None, None, None
        entries = {self._entry(located.document.resolved_path, located.pointer)
                   for located in read}
        entries.update((str(located.document.resolved_path), SHAPE + located.pointer)
                       for located in shapes)
        entries |= self._reads_declarations
        unit = Unit(key, tuple(sorted(entries)), tuple(log), result)
        if old is None or _structure(unit.effects) != _structure(old.effects):
            self._on_track = False
        self._finish(unit)
        return result

    def read_declaration(self, name: str) -> None:
        """The unit being built reads the content of declaration `name`: it depends on what the
        unit that built it read."""
        if self.log is None:
            return
        producer = self._producer.get(name)
        if producer is not None:
            self._reads_declarations.update(self.units[producer].entries)

    def node_digests(self) -> list[tuple[str | None, tuple[tuple[int, str], ...]]]:
        """Per unit, the digests of the nodes it made: its result's (an operation) and those of
        its declarations, by position in its effects. A replayed unit's come from the earlier
        run; the others are computed (or known: the views of this run computed most)."""
        found: list[tuple[str | None, tuple[tuple[int, str], ...]]] = []
        known = self.node_digests_known
        for index, unit in enumerate(self.units):
            if index < len(self._old_node_digests) and index < len(self._old_units) \
                    and unit is self._old_units[index]:
                found.append(self._old_node_digests[index])
                continue
            result = known.digest(unit.result) if isinstance(unit.result, ir.Operation) else None
            found.append((result, tuple(
                (position, known.digest(effect[2])) for position, effect in enumerate(unit.effects)
                if effect[0] == "declarations" and isinstance(effect[2], _DECLARATIONS))))
        return found

    # ------------------------------------------------------------------------------ internals

    def _carry_node_digests(self, index: int, unit: Unit) -> None:
        """The digests the earlier run stored for the nodes of `unit`, replayed as the object
        it stored (a pack that does not fit them is ignored: the views digest the nodes)."""
        if index >= len(self._old_node_digests):
            return
        known = self.node_digests_known
        try:
            result, declarations = self._old_node_digests[index]
            if isinstance(result, str) and isinstance(unit.result, ir.Operation):
                known.add(unit.result, result)
            for position, digest in declarations:
                effect = unit.effects[position]
                if isinstance(digest, str) and effect[0] == "declarations" \
                        and isinstance(effect[2], _DECLARATIONS):
                    known.add(effect[2], digest)
        except (TypeError, ValueError, IndexError):
            return

    def _finish(self, unit: Unit) -> None:
        index = len(self.units)
        self.units.append(unit)
        for effect in unit.effects:
            if effect[0] == "declarations":
                self._producer[effect[1]] = index

    def _apply(self, effect: Effect) -> None:
        tag = effect[0]
        if tag == "r":
            self._real_reporter.report(*effect[1:])
            return
        if tag.endswith("-"):
            dict.pop(self.containers[tag[:-1]], effect[1], None)
            return
        container = self.containers[tag]
        if isinstance(container, Namespace):
            if container.claim(effect[1]) != effect[2]:  # the state is the earlier run's
                raise Diverged(f"IR memo: {effect!r} claimed another name on replay")
        else:
            dict.__setitem__(container, effect[1], effect[2])

    def _entry(self, path: Path, pointer: str) -> Entry:
        found = self._entry_of.get((path, pointer))
        if found is None:
            tokens = pointer_tokens(pointer)
            length = 3 if tokens[:1] == ["components"] else 2 if tokens[:1] == ["paths"] else 1
            found = (str(path), pointer_join("", *tokens[:length]))
            self._entry_of[(path, pointer)] = found
        return found

    def _digest(self, entry: Entry) -> bytes:
        digest = self._digests.get(entry)
        if digest is None:
            digest = self._digests[entry] = self._compute_digest(entry)
        return digest

    def _compute_digest(self, entry: Entry) -> bytes:
        pointer, shape_only = entry[1], entry[1].startswith(SHAPE)
        if shape_only:
            pointer = pointer[len(SHAPE):]
        if not self._documents_by_name:
            self._documents_by_name = {str(path): document
                                       for path, document in self._spec.documents.items()}
        document = self._documents_by_name.get(entry[0])
        if document is None:
            return _MISSING_DIGEST
        try:
            value = value_at(document.data, pointer)
        except (KeyError, IndexError, TypeError, ValueError):
            return _MISSING_DIGEST
        if shape_only:
            value = shape(value)
        try:
            data = marshal.dumps(value, 2)
        except (ValueError, RecursionError):
            self.storable = False
            return b"?" + entry[0].encode() + entry[1].encode()  # never equal to a stored one
        return hashlib.blake2b(data, digest_size=16).digest()

    # ------------------------------------------------------------------------------ storage

    def changed(self) -> bool:
        """Whether this run's units differ from the earlier run's (the pack needs writing)."""
        return self.reused != len(self.units) or len(self.units) != len(self._old_units)

    def memo(self) -> dict[str, Any] | None:
        """What the next run needs, or None when this run cannot be reused."""
        if not self.storable or self._facts is None or len(self._spec.documents) != self._documents:
            return None
        digests = {entry: self._digest(entry) for unit in self.units for entry in unit.entries}
        if not self.storable:
            return None
        return {"facts": self._facts, "units": self.units, "digests": digests}


_DECLARATIONS = (ir.Model, ir.Enum, ir.Alias)


def _structure(effects: Sequence[Effect]) -> list[Effect]:
    """A unit's effects on the state later units read: not the content of its declarations,
    nor its reports."""
    return [(effect[0], effect[1]) if effect[0] == "declarations" else effect
            for effect in effects if effect[0] != "r"]


# ---------------------------------------------------------------------------------- the pack


def pack_name(package: str) -> Path | None:
    return cache.pack_path("ir", package)


def _format() -> str:
    return _MEMO_VERSION + "\n" + freshness.generator_fingerprint()


def delta_pack_name(package: str) -> Path | None:
    return cache.pack_path("ir-delta", package)


def load(package: str) -> dict[str, Any] | None:
    """The memo the last successful build of `package` wrote, or None (none, unreadable, or
    written by other code): the base pack, with the units of the delta pack written since
    (`writer`) in place of the base's."""
    entries = cache.read_pack(pack_name(package), _format())
    memo = _unpickled(entries.get("memo"))
    if memo is None or not isinstance(memo.get("units"), list) \
            or not isinstance(memo.get("digests"), dict) \
            or not all(isinstance(unit, Unit) for unit in memo["units"]):
        return None
    base_id = entries.get("id")
    if isinstance(base_id, str):
        memo["base_id"], memo["base_units"] = base_id, list(memo["units"])
        delta = cache.read_pack(delta_pack_name(package), _format())
        if delta.get("base") == base_id:
            changes = _unpickled(delta.get("memo"))
            if changes is None or not _apply_delta(memo, changes):
                return None
    return memo


def _unpickled(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, bytes):
        return None
    try:
        value = _PackUnpickler(io.BytesIO(data)).load()
    except Exception:  # a damaged pack is a cold build, never an error
        return None
    return value if isinstance(value, dict) else None


def _apply_delta(memo: dict[str, Any], delta: dict[str, Any]) -> bool:
    """The base `memo` with `delta`'s units, digests and facts; False when the delta does not
    fit it (the memo is then not used)."""
    count, changed = delta.get("count"), delta.get("changed")
    digests, node_digests = delta.get("digests"), delta.get("node_digests")
    if not isinstance(count, int) or not isinstance(changed, dict) \
            or not isinstance(digests, dict) or not isinstance(node_digests, dict):
        return False
    units: list[Any] = memo["units"][:count]
    units += [None] * (count - len(units))
    old_node_digests = memo.get("node_digests")
    merged_node_digests: list[Any] = (list(old_node_digests[:count])
                                      if isinstance(old_node_digests, list)
                                      and len(old_node_digests) == len(memo["units"])
                                      else [None] * len(units))
    merged_node_digests += [None] * (count - len(merged_node_digests))
    for index, unit in changed.items():
        if not isinstance(index, int) or not 0 <= index < count or not isinstance(unit, Unit):
            return False
        units[index] = unit
        merged_node_digests[index] = node_digests.get(index)
    if any(unit is None for unit in units):
        return False
    memo["units"] = units
    memo["node_digests"] = merged_node_digests
    memo["digests"] = {**memo["digests"], **digests}
    memo["facts"] = delta.get("facts")
    return True


class _PackUnpickler(pickle.Unpickler):
    """Loads only what `_dumps` writes: IR classes and enums, `Unit`, `_keywords`, severities
    and paths. A pack from anywhere else (a cache shared between machines, say) can hold
    wrong data, never make this process import or call anything else."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = _UNPICKLABLE.get(module)
        if allowed is None or name not in allowed:
            raise pickle.UnpicklingError(f"IR memo: {module}.{name} is not in a pack")
        return super().find_class(module, name)


def save(package: str, journal: Journal) -> None:
    write = writer(package, journal)
    if write is not None:
        write()


# A delta pack holds at most this share of the units (and at least `_DELTA_MIN` of them);
# beyond, the base pack is written anew.
_DELTA_SHARE = 10
_DELTA_MIN = 32


def writer(package: str, journal: Journal) -> Callable[[], None] | None:
    """The function that writes the memo of `journal`'s build (as it is now) for the next
    build of `package`, or None when there is nothing new to write. Pickling is most of the
    cost, so a caller can run it on another core. A build that changed few units of the base
    pack it loaded writes them alone, in a delta pack beside it: pickling every unit took 55 ms
    of a GitHub regeneration, its changed units 1 ms."""
    path, delta_path = pack_name(package), delta_pack_name(package)
    if path is None or delta_path is None or not journal.changed():
        return None
    memo = journal.memo()
    if memo is None:
        return None

    def write() -> None:
        node_digests = journal.node_digests()
        units: list[Unit] = memo["units"]
        base = journal.base
        changed = ([] if base is None else
                   [index for index, unit in enumerate(units)
                    if index >= len(base[1]) or unit is not base[1][index]])
        try:
            if base is not None and len(changed) <= max(_DELTA_MIN, len(units) // _DELTA_SHARE):
                delta = {"facts": memo["facts"], "count": len(units),
                         "changed": {index: units[index] for index in changed},
                         "digests": {entry: memo["digests"][entry] for index in changed
                                     for entry in units[index].entries},
                         "node_digests": {index: node_digests[index] for index in changed}}
                cache.write_pack(delta_path, _format(), {"base": base[0], "memo": _dumps(delta)})
                return
            memo["node_digests"] = node_digests
            data = _dumps(memo)
        except (pickle.PicklingError, TypeError, ValueError, RecursionError, AttributeError):
            return
        base_id = hashlib.blake2b(data, digest_size=16).hexdigest()
        cache.write_pack(path, _format(), {"memo": data, "id": base_id})  # its deltas: none

    return write


def _dumps(memo: dict[str, Any]) -> bytes:
    """The memo pickled so that it loads fast: each IR node is rebuilt by calling its class
    (not by the frozen dataclass's `__setstate__`, three times slower). The same object is
    written once (pickle's memo), so the units a run replayed share the nodes of the pack they
    came from. Equal nodes that are distinct objects are not merged: finding them took a cold
    GitHub build 44 ms of its 0.11 s for the memo, and loading the smaller pack saved 16 ms.
    """

    def reduce(node: Any) -> tuple[Any, ...]:
        cls = type(node)
        if cls in _KEYWORD_ONLY:
            return _keywords, (cls, _GETTERS[cls](node))
        return cls, _GETTERS[cls](node)

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table: dict[type[Any], Callable[[Any], tuple[Any, ...]]] = {cls: reduce for cls in _GETTERS}
    table[Unit] = lambda unit: (Unit, (unit.key, unit.entries, unit.effects, unit.result))
    pickler.dispatch_table = table
    pickler.dump(memo)
    return buffer.getvalue()


_IR_CLASSES = [value for value in vars(ir).values()
               if isinstance(value, type) and dataclasses.is_dataclass(value)]
_FIELDS: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _IR_CLASSES}
_GETTERS = {cls: operator.attrgetter(*names) if len(names) > 1 else
            (lambda node, name=names[0]: (getattr(node, name),))
            for cls, names in _FIELDS.items() if names}
_KEYWORD_ONLY = frozenset(cls for cls in _IR_CLASSES
                          if any(f.kw_only for f in dataclasses.fields(cls)))


def _keywords(cls: type[Any], values: tuple[Any, ...]) -> Any:
    return cls(**dict(zip(_FIELDS[cls], values)))


# module -> the names a pack may refer to there (`_PackUnpickler`)
_UNPICKLABLE: dict[str, frozenset[str]] = {
    ir.__name__: frozenset(name for name, value in vars(ir).items()
                           if isinstance(value, type) and (dataclasses.is_dataclass(value)
                                                           or issubclass(value, enum.Enum))),
    __name__: frozenset({"Unit", "_keywords"}),
    Severity.__module__: frozenset({"Severity"}),
    "pathlib": frozenset({"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath",
                          "Path"}),
}
