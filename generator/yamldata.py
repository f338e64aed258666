"""YAML text into Python data, as `yaml.load` gives it, with a faster constructor.

libyaml parses and composes the node tree in C, but PyYAML's constructor, which turns nodes into
dicts, lists and scalars, is Python: a third of the load of a large spec (GitHub's: 0.60 s with
`yaml.load`, 0.40 s here). Here strings (most of a spec), mappings and sequences with their
standard tags are built directly; every other scalar (int, float, bool, null, a timestamp,
…) goes to the loader's own constructor, so its value is the same. Anything else, a merge key
(`<<`), a non-scalar key or a tagged collection (`!!set`, `!!omap`, a custom tag), sends the
whole document to the loader's constructor, for its result or its error. A node reached twice
(an alias) is built once, so shared and recursive structures come out as `yaml.load` makes
them.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class _NotPlain(Exception):
    """A node the direct construction leaves to the loader's constructor."""


def load_yaml(text: str, loader_class: type) -> Any:
    """`yaml.load(text, Loader=loader_class)` (a safe loader), built faster."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _Builder(loader.construct_object).build(node)
        except _NotPlain:
            return loader.construct_document(node)
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, construct_object: Any) -> None:
        self._construct_object = construct_object
        self._made: dict[int, Any] = {}  # collections by node id: an alias gives the same one

    def build(self, node: Node) -> Any:
        kind = node.__class__
        if kind is ScalarNode:
            return node.value if node.tag == _STR else self._construct_object(node, deep=True)
        made = self._made.get(id(node))
        if made is not None:
            return made
        if kind is MappingNode:
            if node.tag != _MAP:
                raise _NotPlain
            mapping: dict[Any, Any] = {}
            self._made[id(node)] = mapping
            for key, value in node.value:
                if key.__class__ is not ScalarNode or key.tag == _MERGE:
                    raise _NotPlain
                mapping[key.value if key.tag == _STR
                        else self._construct_object(key, deep=True)] = self.build(value)
            return mapping
        if node.tag != _SEQ:
            raise _NotPlain
        sequence: list[Any] = []
        self._made[id(node)] = sequence
        sequence.extend(map(self.build, node.value))
        return sequence
