"""Views from an earlier run: a regeneration builds only the views of what changed.

A view (`views.ModelView`, `views.OperationView`, …) is a pure function of its IR node, of
the declarations that building it looked up by name (a field's type is a model or an enum, an
alias's target, a page's item model), and of the facts of the whole API the builder decides
once (which models decode in a loop, `views.list_item_models`). The memo keeps each view under
the digest of those facts and of its node, with the names and digests of the declarations it
looked up; a view is reused only when all of them are the same as when it was built. Building
a view anew records what it looks up (`RecordingDeclarations`).

The memo holds plain data (`marshal`-able tuples): the pipeline reads and writes it as a cache
pack whose format names the generator's sources and templates (`freshness.generator_fingerprint`),
so a view is never reused across versions of the code that built it.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, TypeVar, cast

from .. import ir
from ..digests import KnownDigests

View = TypeVar("View")
# view class -> (its attribute that holds other views, their class)
Nesting = Mapping[type, tuple[str, type]]


# Noted before the name of a declaration looked up for its kind only (`RecordingDeclarations.
# kind_of`). Declaration names are Python identifiers: none starts with it.
KIND_ONLY = "~"


class RecordingDeclarations(dict[str, ir.Declaration]):
    """The package's declarations by name, noting every name looked up while `recording` is
    a list (a name that is not there is noted too: its absence is a fact the view relies on)."""

    recording: list[str] | None = None

    def kind_of(self, name: str) -> ir.Declaration:
        """The declaration `name`, for a caller that reads no more of it than its kind (model,
        enum or alias) and an alias's target: a view that only names a model in a field's
        annotation and decoder does not change when the model's fields do. Noted as such
        (`KIND_ONLY`), and compared as such (`ViewMemo`)."""
        if self.recording is not None:
            self.recording.append(KIND_ONLY + name)
        return dict.__getitem__(self, name)

    def __getitem__(self, name: str) -> ir.Declaration:
        if self.recording is not None:
            self.recording.append(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        if self.recording is not None:
            self.recording.append(name)
        return dict.get(self, name, default)


class ViewMemo:
    """Views by node, reused when nothing they depend on changed. `entries` are an earlier
    run's (`used` after this run: the entries of every view this run built or reused, what the
    next run needs)."""

    def __init__(self, entries: Mapping[str, Any], declarations: RecordingDeclarations,
                 nesting: Nesting, context: str = "", digests: KnownDigests | None = None
                 ) -> None:
        """`digests`: the nodes' digests known already (`KnownDigests`), which the memo adds
        to as it computes others."""
        self._entries = entries
        self._known = digests if digests is not None else KnownDigests()
        self._context = context  # what every view may depend on, beside its lookups
        self._declarations = declarations
        self._nesting = nesting
        self._digests: dict[str, str] = {}  # by declaration name
        self._operation_digests: dict[str, str] = {}  # by operation name (unique)
        self.used: dict[str, Any] = {}
        self.reused = 0

    def _declaration_digest(self, name: str) -> str:
        digest = self._digests.get(name)
        if digest is None:
            if name.startswith(KIND_ONLY):
                declaration = dict.get(self._declarations, name[len(KIND_ONLY):])
                digest = ("" if declaration is None else self._known.digest(declaration)
                          if isinstance(declaration, ir.Alias) else type(declaration).__name__)
            else:
                declaration = dict.get(self._declarations, name)
                digest = "" if declaration is None else self._known.digest(declaration)
            self._digests[name] = digest
        return digest

    def _operation_digest(self, operation: ir.Operation) -> str:
        digest = self._operation_digests.get(operation.name)
        if digest is None:
            digest = self._operation_digests[operation.name] = self._known.digest(operation)
        return digest

    def view(self, kind: str, node: ir.Declaration | ir.Operation,
             build: Callable[[], View], view_type: type, many: bool = False) -> View:
        """`build()`, or the view an earlier run built for the same node and lookups. `kind`
        tells apart the views of one node (an operation's endpoint, method and pages); with
        `many`, `build` returns a list of views of `view_type`."""
        key = self._context + kind + ":" + (self._operation_digest(node) if isinstance(node, ir.Operation)
                            else self._declaration_digest(node.name))
        entry = self._entries.get(key)
        if entry is not None:
            try:
                names, digests, data = entry
                if all(self._declaration_digest(name) == digest
                       for name, digest in zip(names, digests, strict=True)):
                    kept: Any = ([self._from_data(view_type, item) for item in data] if many
                                 else self._from_data(view_type, data))
                    self.used[key] = entry
                    self.reused += 1
                    return cast(View, kept)
            except (TypeError, ValueError):  # not an entry this code wrote: built anew
                pass
        recording = self._declarations.recording = []
        try:
            view = build()
        finally:
            self._declarations.recording = None
        names = tuple(dict.fromkeys(recording))
        data = (tuple(map(self._to_data, view)) if many  # type: ignore[call-overload]
                else self._to_data(view))
        self.used[key] = (names, tuple(map(self._declaration_digest, names)), data)
        return view

    def _to_data(self, view: Any) -> tuple[Any, ...]:
        """A view (a named tuple) as plain tuples, which `marshal` writes."""
        nested = self._nesting.get(type(view))
        if nested is None:
            return tuple(view)
        position = view._fields.index(nested[0])
        values = list(view)
        values[position] = tuple(map(tuple, values[position]))
        return tuple(values)

    def _from_data(self, view_type: Any, data: Iterable[Any]) -> Any:
        values = list(data)
        nested = self._nesting.get(view_type)
        if nested is not None:
            position = view_type._fields.index(nested[0])
            values[position] = tuple(nested[1](*item) for item in values[position])
        return view_type(*values)
