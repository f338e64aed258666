"""Views from an earlier run (`render.memo`) give the bytes of views built anew, whatever changed
in the IR in between; pausing the cycle collector and caching compiled templates change nothing
in the output either."""

from __future__ import annotations

import dataclasses
import gc
import marshal
from pathlib import Path
from typing import Any, Callable

import pytest

from generator import collector, ir, pipeline
from generator.diagnostics import Reporter
from generator.digests import node_digest
from generator.render import RENDER_PARTS, _CompiledTemplates, render_part, templates_dir
from generator.render.views import ViewBuilder, list_item_models
from generator.render.memo import KIND_ONLY

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "specs").glob("*.yaml"))


def _api(spec: Path) -> ir.Api:
    return pipeline.build_ir(spec, "pkg", Reporter(), pipeline.Options(validate=False))


def _render(api: ir.Api, memo: dict[str, Any] | None) -> tuple[dict[str, str], dict[str, Any], int]:
    """The package's files (each part with its own builder, as the pipeline does), the memo
    entries the run used, and how many views it reused."""
    files: dict[str, str] = {}
    used: dict[str, Any] = {}
    reused = 0
    for part in RENDER_PARTS:
        views = ViewBuilder(api, memo if memo is not None else {})
        for path, text in render_part(api, part, views).items():
            files[path] = files.get(path, "") + text
        assert views.memo is not None
        used.update(views.memo.used)
        reused += views.memo.reused
    # what the pipeline stores and reads back
    return files, marshal.loads(marshal.dumps(used)), reused


def _core_name(t: ir.TypeRef) -> str | None:
    core = ir.strip_nullable(t)
    if isinstance(core, ir.ListType):
        core = ir.strip_nullable(core.item)
    return core.name if isinstance(core, ir.RefType) else None


def _referenced_model(api: ir.Api) -> ir.Model:
    """A model that another model's field refers to (not a page or a page's item: those must
    stay models)."""
    models = {d.name: d for d in api.declarations if isinstance(d, ir.Model)}
    pages = {_core_name(op.success.type) for op in api.operations
             if op.pagination is not None and op.success is not None and op.success.type}
    paged = pages | {_core_name(f.type) for name in pages if name in models
                     for f in models[name].fields}
    for declaration in models.values():
        for field in declaration.fields:
            core = ir.strip_nullable(field.type)
            if isinstance(core, ir.ListType):
                core = ir.strip_nullable(core.item)
            if isinstance(core, ir.RefType) and core.name in models \
                    and core.name != declaration.name and core.name not in paged:
                return models[core.name]
    raise AssertionError("no model refers to another")


def _replace_declaration(api: ir.Api, old: ir.Declaration, new: ir.Declaration) -> ir.Api:
    return dataclasses.replace(api, declarations=tuple(
        new if d is old else d for d in api.declarations))


def _add_field(api: ir.Api) -> ir.Api:
    model = _referenced_model(api)
    added = ir.Field("added_field", "added_field", ir.STR, False, "Added.")
    return _replace_declaration(api, model, dataclasses.replace(
        model, fields=(*model.fields, added)))


def _model_becomes_alias(api: ir.Api) -> ir.Api:
    """The views that refer to it read its kind: their text changes, their nodes do not."""
    model = _referenced_model(api)
    return _replace_declaration(api, model, ir.Alias(model.name, model.source, "", ir.ANY))


def _enum_member_renamed(api: ir.Api) -> ir.Api:
    enum = next((d for d in api.declarations if isinstance(d, ir.Enum)), None)
    if enum is None:
        pytest.skip("the spec has no enum")
    first, *rest = enum.members
    renamed = dataclasses.replace(first, name=first.name + "_RENAMED")
    return _replace_declaration(api, enum, dataclasses.replace(enum, members=(renamed, *rest)))


def _summary_changed(api: ir.Api) -> ir.Api:
    first, *rest = api.operations
    return dataclasses.replace(api, operations=(
        dataclasses.replace(first, summary="A new summary."), *rest))


def _list_item_also_alone(api: ir.Api) -> ir.Api:
    """A model decoded in a loop as an array's item is now also a field's type on its own:
    its views, and those of every array of it, change with a fact of the whole API."""
    looped = sorted(list_item_models(api))
    if not looped:
        pytest.skip("no model is only an array's item")
    holder = next(d for d in api.declarations if isinstance(d, ir.Model))
    alone = ir.Field("alone", "alone", ir.RefType(looped[0]), False, "")
    return _replace_declaration(api, holder, dataclasses.replace(
        holder, fields=(*holder.fields, alone)))


def _operation_removed(api: ir.Api) -> ir.Api:
    return dataclasses.replace(api, operations=api.operations[1:])


EDITS: dict[str, Callable[[ir.Api], ir.Api]] = {
    "nothing": lambda api: api,
    "field added to a referenced model": _add_field,
    "referenced model becomes an alias": _model_becomes_alias,
    "enum member renamed": _enum_member_renamed,
    "operation summary changed": _summary_changed,
    "operation removed": _operation_removed,
    "array item also alone": _list_item_also_alone,  # changes list_item_models
}


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
@pytest.mark.parametrize("edit", EDITS, ids=str)
def test_views_from_the_memo_give_the_bytes_of_new_views(spec: Path, edit: str) -> None:
    api = _api(spec)
    _, memo, reused = _render(api, None)
    assert reused == 0
    edited = EDITS[edit](api)
    expected, _, _ = _render(edited, None)
    files, used, reused = _render(edited, memo)
    assert files == expected
    if edit == "nothing":
        assert reused == len(used) == len(memo)
    elif edit == "operation removed":
        assert reused == len(used) < len(memo)
    elif list_item_models(edited) != list_item_models(api):
        assert reused == 0  # a fact of the whole API every view may depend on: all built anew
    else:
        assert 0 < reused < len(used)


def test_a_view_is_rebuilt_when_what_it_read_of_a_declaration_changed() -> None:
    api = _api(ROOT / "specs" / "krea.yaml")
    _, memo, _ = _render(api, None)
    model = _referenced_model(api)
    own = "model:" + node_digest(model)
    kind_only = KIND_ONLY + model.name
    referring = [key for key, (names, _, _) in memo.items()
                 if kind_only in names and not key.endswith(own)]
    assert referring  # views that name the model (an annotation, a decoder): its kind only
    _, used, _ = _render(_add_field(api), memo)
    for key in referring:  # a field of the model does not change them: reused as they were
        assert used[key] == memo[key]
    _, used, _ = _render(_model_becomes_alias(api), memo)
    for key in referring:  # its kind does: rebuilt, with the digest of the new kind
        names, digests, _ = used[key]
        assert digests[names.index(kind_only)] != dict(zip(*memo[key][:2]))[kind_only]

    page = _page_model(api)
    reading = [key for key, (names, _, _) in memo.items() if page.name in names]
    assert reading  # the page class reads the page model's fields
    added = ir.Field("added_field", "added_field", ir.STR, False, "Added.")
    _, used, _ = _render(_replace_declaration(api, page, dataclasses.replace(
        page, fields=(*page.fields, added))), memo)
    for key in reading:
        names, digests, _ = used[key]
        assert digests[names.index(page.name)] != dict(zip(*memo[key][:2]))[page.name]


def _page_model(api: ir.Api) -> ir.Model:
    op = next(op for op in api.operations if op.pagination is not None)
    assert op.success is not None and op.success.type is not None
    name = _core_name(op.success.type)
    return next(d for d in api.declarations if isinstance(d, ir.Model) and d.name == name)


def test_node_digest_tells_nodes_apart() -> None:
    field = ir.Field("a", "a", ir.STR, True, "")
    variants = [field, dataclasses.replace(field, required=False),
                dataclasses.replace(field, type=ir.nullable(ir.STR)),
                dataclasses.replace(field, default={"x": [1]}, has_default=True),
                dataclasses.replace(field, default={"x": [1.0]}, has_default=True),
                dataclasses.replace(field, description="a\udc80")]
    assert len({node_digest(v) for v in variants}) == len(variants)
    assert node_digest(field) == node_digest(ir.Field("a", "a", ir.STR, True, ""))


def test_collector_paused_then_collecting_then_restored() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.collecting():
            assert gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_compiled_templates_are_reused_and_an_unusable_cache_is_no_error(tmp_path: Path) -> None:
    import jinja2

    def render(cache: jinja2.BytecodeCache) -> str:
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir())),
                                         bytecode_cache=cache, trim_blocks=True)
        return environment.get_template("errors.py.j2").render()

    expected = render(None)  # type: ignore[arg-type]
    assert render(_CompiledTemplates(str(tmp_path / "templates"))) == expected
    assert list((tmp_path / "templates").iterdir())  # compiled and kept
    assert render(_CompiledTemplates(str(tmp_path / "templates"))) == expected
    for entry in (tmp_path / "templates").iterdir():
        entry.write_bytes(b"not a compiled template")
    assert render(_CompiledTemplates(str(tmp_path / "templates"))) == expected
    (tmp_path / "a-file").write_text("")
    assert render(_CompiledTemplates(str(tmp_path / "a-file" / "templates"))) == expected


def test_an_entry_of_another_shape_is_built_anew() -> None:
    api = _api(ROOT / "specs" / "krea.yaml")
    expected, memo, _ = _render(api, None)
    damaged = {key: (entry[0] + ("Extra",), entry[1], entry[2]) if number % 2 else ("x",)
               for number, (key, entry) in enumerate(memo.items())}
    files, _, reused = _render(api, damaged)
    assert files == expected and reused == 0
