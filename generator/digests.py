"""Digests of IR nodes, and the digests a run knows without computing them.

A view of the IR is reused when the digest of its node is the one it was built from
(`render.memo`). Computing a digest walks the whole node (its `repr`): on GitHub's spec, 80 ms
for every declaration and operation, most of what rendering cost a regeneration whose views
were all reused. The IR memo (`build.memo`) replays a unit's nodes exactly as the run that built
them made them, so it carries their digests from that run (`KnownDigests`).
"""

from __future__ import annotations

import hashlib


def node_digest(node: object) -> str:
    """A digest of an IR node. The IR is frozen dataclasses of strings, numbers, enums and
    tuples (and a default's JSON data), whose `repr` spells every value: equal digests, equal
    nodes."""
    return hashlib.blake2b(repr(node).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


class KnownDigests:
    """`node_digest`s of this run's IR nodes, known from an earlier run (`add`) or computed once
    here (`digest`). A digest is known for the very object it was given with, not for an equal
    one: a node replaced after the build (`dataclasses.replace`) is digested anew."""

    def __init__(self) -> None:
        self._by_identity: dict[int, tuple[object, str]] = {}

    def add(self, node: object, digest: str) -> None:
        self._by_identity[id(node)] = (node, digest)  # the node is kept: its id stays its own

    def known(self, node: object) -> str | None:
        entry = self._by_identity.get(id(node))
        return entry[1] if entry is not None and entry[0] is node else None

    def digest(self, node: object) -> str:
        digest = self.known(node)
        if digest is None:
            digest = node_digest(node)
            self.add(node, digest)
        return digest
