"""Errors and warnings as values: a severity, a location and a message.

Every stage reports problems through a `Reporter`; a warning skips one piece of the spec and says
what was skipped, an error stops the run before anything is written.
"""

from __future__ import annotations

import enum
import sys
from dataclasses import dataclass, field
from typing import Protocol


class Severity(enum.IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    file: str
    pointer: str
    message: str
    line: int | None = None

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        pointer = self.pointer or "#"
        level = "" if self.severity is Severity.ERROR else f"{self.severity.name.lower()}: "
        return f"{where}: {pointer}: {level}{_one_line(self.message)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class GenerationFailed(Exception):
    """Raised when a stage has reported at least one error; the diagnostics say why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[GenerationFailed], tuple[list[Diagnostic]]]:
        return GenerationFailed, (self.diagnostics,)  # raised in a worker process, re-raised here


class Source(Protocol):
    """A loaded document: where the value at a JSON pointer was written (file and line)."""

    display_name: str

    def locate(self, pointer: str) -> tuple[str, int | None]: ...


@dataclass
class Reporter:
    """Collects diagnostics; finds a pointer's file and line only when a diagnostic needs one."""

    strict: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def blank_copy(self) -> Reporter:
        """A reporter that locates and skips diagnostics as this one does, holding none yet:
        for work done in another process, whose diagnostics come back to this one."""
        return Reporter(self.strict, [], dict(self.sources), set(self._seen))

    def mark(self) -> tuple[int, frozenset[tuple[str, str, str]]]:
        """Where the reporter is now, for `rewind`."""
        return len(self.diagnostics), frozenset(self._seen)

    def rewind(self, mark: tuple[int, frozenset[tuple[str, str, str]]]) -> None:
        """Forget every diagnostic reported since `mark` (work that is done again)."""
        del self.diagnostics[mark[0]:]
        self._seen = set(mark[1])

    def add_source(self, source: Source) -> None:
        self.sources[source.display_name] = source

    def report(self, severity: Severity, file: str, pointer: str, message: str) -> None:
        if self.strict and severity is Severity.WARNING:
            severity = Severity.ERROR
        key = (file, pointer, message)
        if key in self._seen:
            return
        self._seen.add(key)
        line = None
        source = self.sources.get(file)
        if source is not None:
            file, line = source.locate(pointer)
        self.diagnostics.append(Diagnostic(severity, file, pointer, message, line))

    def error(self, file: str, pointer: str, message: str) -> None:
        self.report(Severity.ERROR, file, pointer, message)

    def warning(self, file: str, pointer: str, message: str) -> None:
        self.report(Severity.WARNING, file, pointer, message)

    def info(self, file: str, pointer: str, message: str) -> None:
        self.report(Severity.INFO, file, pointer, message)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise GenerationFailed(self.errors)


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def pointer_join(pointer: str, *tokens: str | int) -> str:
    """Append tokens to a JSON pointer, escaping `~` and `/` as RFC 6901 requires (a large spec
    joins tens of thousands: most tokens need no escaping, and most calls have one)."""
    for token in tokens:
        text = token if type(token) is str else str(token)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        pointer = pointer + "/" + text
    return pointer


def pointer_tokens(pointer: str) -> list[str]:
    """Split a JSON pointer (with or without the leading `#`) into unescaped tokens."""
    if pointer.startswith("#"):
        pointer = pointer[1:]
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]
