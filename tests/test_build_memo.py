"""The IR memo (`build.memo`): a build that replays the units of an earlier one is the same as a
cold build, after any edit of the spec: the same `ir.Api` and the same diagnostics, in order."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, Callable

import pytest

from generator import cache, ir, pipeline
from generator.build import memo
from generator.diagnostics import Diagnostic, GenerationFailed, Reporter
from generator.digests import KnownDigests, node_digest
from generator.loader import load_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GITHUB = CORPUS / "large" / "github-api.github.com.yaml"
SPECS = [*sorted((ROOT / "specs").glob("*.yaml")), GITHUB,
         CORPUS / "large" / "openai-openapi.yaml",
         CORPUS / "edge" / "ojsg-3_0_oneof_polymorphism_and_inheritance.yaml",
         CORPUS / "edge" / "dcg-discriminator_allof.yaml",
         CORPUS / "edge" / "ojsg-3_0_petstore-with-fake-endpoints-models-for-testing.yaml",
         CORPUS / "edge" / "opc-baseline_openapi_3.0.json"]

Result = tuple[ir.Api | None, list[Diagnostic]]


class Runs:
    """Builds of one spec file, with the memo (a cache folder of the test's) or cold."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cache = tmp_path / "cache"
        self.monkeypatch = monkeypatch
        self.counts: list[tuple[int, int]] = []  # (units reused, units) of each memo build
        writer = memo.writer

        def spy(package: str, journal: memo.Journal) -> Callable[[], None] | None:
            self.counts.append((journal.reused, len(journal.units)))
            return writer(package, journal)

        monkeypatch.setattr(memo, "writer", spy)

    def build(self, spec: Path, incremental: bool = True) -> Result:
        self.monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(self.cache) if incremental else "")
        reporter = Reporter()
        try:
            api = pipeline.build_ir(spec, "client", reporter, pipeline.Options(validate=False))
        except GenerationFailed:
            return None, reporter.diagnostics
        return api, reporter.diagnostics


def _assert_same(memoized: Result, cold: Result) -> None:
    assert memoized[1] == cold[1]
    assert memoized[0] == cold[0]


@pytest.fixture(scope="module")
def originals() -> dict[Path, dict[str, Any]]:
    return {}


def _data(spec: Path, originals: dict[Path, dict[str, Any]]) -> dict[str, Any]:
    if spec not in originals:
        originals[spec] = json.loads(json.dumps(load_document(spec, spec.name).data,
                                                default=str))
    return copy.deepcopy(originals[spec])


# ------------------------------------------------------------------------------------ edits

def _schemas(data: dict[str, Any]) -> dict[str, Any]:
    schemas = data.get("components", {}).get("schemas", {})
    return schemas if isinstance(schemas, dict) else {}


def _models(data: dict[str, Any]) -> list[str]:
    return [name for name, schema in _schemas(data).items()
            if isinstance(schema, dict) and isinstance(schema.get("properties"), dict)]


def _most_referenced(data: dict[str, Any], names: list[str]) -> str | None:
    text = json.dumps(data)
    counts = {name: text.count(f'"#/components/schemas/{name}"') for name in names}
    return max(counts, key=lambda name: counts[name]) if counts else None


def add_scalar_field(data: dict[str, Any]) -> bool:
    name = _most_referenced(data, _models(data))
    if name is None:
        return False
    _schemas(data)[name]["properties"]["zz_added"] = {"type": "string"}
    return True


def add_scalar_field_middle(data: dict[str, Any]) -> bool:
    models = _models(data)
    if not models:
        return False
    _schemas(data)[models[len(models) // 2]]["properties"]["zz_added"] = {
        "type": "integer", "description": "added"}
    return True


def change_description(data: dict[str, Any]) -> bool:
    changed = False
    for schema in list(_schemas(data).values())[:3]:
        if isinstance(schema, dict):
            schema["description"] = "a changed description"
            changed = True
    for item in list(data.get("paths", {}).values())[:2]:
        for operation in item.values() if isinstance(item, dict) else ():
            if isinstance(operation, dict) and "responses" in operation:
                operation["description"] = "a changed operation description"
                changed = True
    return changed


def add_inline_object(data: dict[str, Any]) -> bool:
    models = _models(data)
    if not models:
        return False
    _schemas(data)[models[0]]["properties"]["zz_inline"] = {
        "type": "object", "properties": {"a": {"type": "string"}}}
    return True


def _set_paths(data: dict[str, Any], items: list[tuple[str, Any]]) -> None:
    data["paths"] = dict(items)


def add_path(data: dict[str, Any]) -> bool:
    paths = list(data.get("paths", {}).items())
    operation = {"operationId": "zzAdded", "parameters": [
        {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "properties": {
                "data": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "string"}}}},
                "next_cursor": {"type": "string"}}}}}}}}
    paths.insert(len(paths) // 2, ("/zz-added", {"get": operation}))
    _set_paths(data, paths)
    return True


def remove_path(data: dict[str, Any]) -> bool:
    paths = list(data.get("paths", {}).items())
    if len(paths) < 2:
        return False
    del paths[len(paths) // 2]
    _set_paths(data, paths)
    return True


def rename_component(data: dict[str, Any]) -> bool:
    names = [name for name in _schemas(data) if re.fullmatch(r"[A-Za-z0-9_.-]+", name)]
    name = _most_referenced(data, names)
    if name is None:
        return False
    text = json.dumps(data).replace(f'"#/components/schemas/{name}"',
                                    f'"#/components/schemas/{name}Renamed"')
    renamed = json.loads(text)
    schemas = _schemas(renamed)
    items = [(f"{key}Renamed" if key == name else key, value) for key, value in schemas.items()]
    schemas.clear()
    schemas.update(items)
    data.clear()
    data.update(renamed)
    return True


def _enums(value: Any) -> list[list[Any]]:
    found = []
    if isinstance(value, dict):
        if isinstance(value.get("enum"), list) and all(isinstance(v, str) for v in value["enum"]):
            found.append(value["enum"])
        for key, child in value.items():
            if key not in ("example", "examples", "default"):
                found.extend(_enums(child))
    elif isinstance(value, list):
        for child in value:
            found.extend(_enums(child))
    return found


def change_enum(data: dict[str, Any]) -> bool:
    enums = _enums(data.get("components", {})) or _enums(data.get("paths", {}))
    if not enums:
        return False
    for values in enums[:1] + enums[len(enums) // 2:len(enums) // 2 + 1]:
        values.append("zz_value")
    return True


def add_allof_child(data: dict[str, Any]) -> bool:
    parents = [name for name, schema in _schemas(data).items()
               if isinstance(schema, dict) and isinstance(schema.get("discriminator"), dict)
               and "oneOf" not in schema and "anyOf" not in schema]
    if not parents:
        return False
    _schemas(data)["ZzChild"] = {"allOf": [
        {"$ref": f"#/components/schemas/{parents[0]}"},
        {"type": "object", "properties": {"zz": {"type": "string"}}}]}
    return True


def change_root_security(data: dict[str, Any]) -> bool:
    schemes = data.get("components", {}).get("securitySchemes")
    if isinstance(data.get("security"), list) and data["security"]:
        data["security"] = []
        return True
    if isinstance(schemes, dict) and schemes:
        data["security"] = [{next(iter(schemes)): []}]
        return True
    return False


EDITS: list[Callable[[dict[str, Any]], bool]] = [
    add_scalar_field, add_scalar_field_middle, change_description, add_inline_object,
    add_path, remove_path, rename_component, change_enum, add_allof_child,
    change_root_security,
]


def _check_edit(runs: Runs, spec: Path, original: dict[str, Any],
                edited: dict[str, Any]) -> None:
    spec.write_text(json.dumps(original), encoding="utf-8")
    if runs.build(spec)[0] is None:
        pytest.skip("the original spec does not build")
    spec.write_text(json.dumps(edited), encoding="utf-8")
    memoized = runs.build(spec)
    _assert_same(memoized, runs.build(spec, incremental=False))
    if memoized[0] is not None:  # the memo of the edited spec, reused whole
        _assert_same(runs.build(spec), memoized)
        assert runs.counts[-1][0] == runs.counts[-1][1]


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
@pytest.mark.parametrize("source", SPECS, ids=lambda path: path.stem)
def test_edit_builds_as_cold(source: Path, edit: Callable[[dict[str, Any]], bool],
                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             originals: dict[Path, dict[str, Any]]) -> None:
    original = _data(source, originals)
    edited = copy.deepcopy(original)
    if not edit(edited):
        pytest.skip(f"{edit.__name__} does not apply to {source.name}")
    _check_edit(Runs(tmp_path, monkeypatch), tmp_path / "spec.json", original, edited)


def _paginated_edits(api: ir.Api) -> list[tuple[str, str]]:
    """(component, field) pairs whose removal changes how an operation pages: its response
    model's items field and the item model's key field, when they are components."""
    by_name = {d.name: d for d in api.declarations}
    found = []
    for op in api.operations:
        if op.pagination is None or op.success is None or op.success.type is None:
            continue
        model = by_name[ir.strip_nullable(op.success.type).name]  # type: ignore[union-attr]
        items = next(f for f in model.fields if f.wire_name == op.pagination.items_field)
        found.append((model.source, items.wire_name))
        item = ir.strip_nullable(items.type)
        if isinstance(item, ir.ListType) and isinstance(ir.strip_nullable(item.item), ir.RefType):
            item_model = by_name.get(ir.strip_nullable(item.item).name)  # type: ignore[union-attr]
            if isinstance(item_model, ir.Model) and op.pagination.item_key_field is not None:
                found.append((item_model.source, op.pagination.item_key_field))
    return found


@pytest.mark.parametrize("source", SPECS[:5], ids=lambda path: path.stem)
def test_pagination_reads_declaration_content(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        originals: dict[Path, dict[str, Any]]) -> None:
    """Pagination detection reads the content of the response and item models: editing them
    alone (not the operation) must rebuild the operation."""
    original = _data(source, originals)
    runs = Runs(tmp_path, monkeypatch)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(original), encoding="utf-8")
    api = runs.build(spec, incremental=False)[0]
    assert api is not None
    pairs = [(source_, wire) for source_, wire in _paginated_edits(api)
             if "#/components/schemas/" in source_]
    if not pairs:
        pytest.skip("no paginated operation whose models are components")
    for component_source, wire in dict.fromkeys(pairs):
        name = component_source.split("#/components/schemas/", 1)[1]
        for change in ("describe", "remove"):
            edited = copy.deepcopy(original)
            properties = _schemas(edited)[name].get("properties", {})
            if wire not in properties:
                continue
            if change == "remove":
                del properties[wire]
            else:
                properties[wire]["description"] = "changed"
            _check_edit(runs, spec, original, edited)


def test_yaml_text_edit_of_github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The regeneration the memo is for: one property added to the YAML text of a schema."""
    runs = Runs(tmp_path, monkeypatch)
    spec = tmp_path / "github.yaml"
    text = GITHUB.read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    runs.build(spec)
    marker = "    simple-user:\n      title: Simple User\n"
    assert marker in text
    start = text.index(marker)
    at = text.index("      properties:\n", start) + len("      properties:\n")
    spec.write_text(text[:at] + "        zz_added:\n          type: string\n" + text[at:],
                    encoding="utf-8")
    memoized = runs.build(spec)
    reused, units = runs.counts[-1]
    assert 0 < reused < units
    _assert_same(memoized, runs.build(spec, incremental=False))


@pytest.mark.parametrize("spec", [ROOT / "specs" / "fashion-studio.yaml",
                                  CORPUS / "edge" / "opc-baseline_openapi_3.0.json"],
                         ids=lambda path: path.stem)
def test_unchanged_spec_reuses_every_unit(spec: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    runs = Runs(tmp_path, monkeypatch)
    first = runs.build(spec)
    assert runs.counts[-1][0] == 0
    second = runs.build(spec)
    reused, units = runs.counts[-1]
    assert units > 5 and reused == units
    _assert_same(second, first)
    _assert_same(second, runs.build(spec, incremental=False))


@pytest.mark.parametrize("edit", ["nothing", "a field added"])
def test_replayed_nodes_come_with_their_digests(edit: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo carries each node's digest from the run that built it: the digest of the node
    it brings back, as the views would compute it."""
    spec = tmp_path / "spec.json"
    original = _data(ROOT / "specs" / "aigenstudio-image.yaml", {})
    spec.write_text(json.dumps(original), encoding="utf-8")
    runs = Runs(tmp_path, monkeypatch)
    runs.build(spec)
    if edit != "nothing":
        assert add_scalar_field(original)
        spec.write_text(json.dumps(original), encoding="utf-8")
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(runs.cache))
    digests = KnownDigests()
    writes: list[Callable[[], None]] = []  # the memo's, which digest the new nodes: not yet
    api = pipeline.build_ir(spec, "client", Reporter(), pipeline.Options(validate=False),
                            save_later=writes, digests=digests)
    nodes = [*api.declarations, *api.operations]
    known = {id(node): digests.known(node) for node in nodes}
    assert all(digest == node_digest(node) for node in nodes
               if (digest := known[id(node)]) is not None)
    missing = [node for node in nodes if known[id(node)] is None]
    if edit == "nothing":
        assert not missing and not writes
    else:
        assert 0 < len(missing) < len(nodes) / 2
        for write in writes:  # the next build brings back every node with its digest
            write()
        digests = KnownDigests()
        again = pipeline.build_ir(spec, "client", Reporter(), pipeline.Options(validate=False),
                                  digests=digests)
        assert again == api
        assert all(digests.known(node) == node_digest(node)
                   for node in [*again.declarations, *again.operations])


@pytest.mark.parametrize("two_processes", [True, False], ids=["forked", "one process"])
def test_generate_writes_the_memo_after_rendering(two_processes: bool, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`generate_package` leaves the memo's pickling to the forked render process (or to the
    end of rendering in one process): the next build still finds it."""
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_SIZE", 0 if two_processes else 10**9)
    monkeypatch.setattr(pipeline, "available_workers", lambda: 2)
    spec = ROOT / "specs" / "fashion-studio.yaml"
    runs = Runs(tmp_path, monkeypatch)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(runs.cache))
    _, files = pipeline.generate_package(spec, "client", Reporter(),
                                         pipeline.Options(validate=False))
    assert runs.counts == [(0, runs.counts[0][1])]
    assert memo.load("client") is not None
    again = runs.build(spec)
    reused, units = runs.counts[-1]
    assert units > 5 and reused == units
    _assert_same(again, runs.build(spec, incremental=False))
    assert pipeline.generate_package(spec, "client", Reporter(),
                                     pipeline.Options(validate=False))[1] == files


def _built_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                ) -> tuple[Path, dict[str, Any], Runs, Result]:
    """A spec (as JSON, and its data to edit) built once with the memo; the cache is then the
    test's own (`CLIENTGEN_CACHE_DIR`)."""
    spec = tmp_path / "spec.json"
    data = _data(ROOT / "specs" / "aigenstudio-image.yaml", {})
    spec.write_text(json.dumps(data), encoding="utf-8")
    runs = Runs(tmp_path, monkeypatch)
    cold = runs.build(spec)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(runs.cache))
    return spec, data, runs, cold


def test_small_edits_write_a_delta_beside_the_base(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that changes few units writes them alone (a delta pack); the base pack stays
    as it was, the deltas of later edits hold every unit that differs from it, and each build
    from base and delta is the cold build."""
    spec, data, runs, _ = _built_once(tmp_path, monkeypatch)
    base, delta = memo.pack_name("client"), memo.delta_pack_name("client")
    assert base is not None and delta is not None
    base_bytes = base.read_bytes()
    assert not delta.exists()
    for edit in (add_scalar_field, change_description):
        assert edit(data)
        spec.write_text(json.dumps(data), encoding="utf-8")
        built = runs.build(spec)
        assert base.read_bytes() == base_bytes and delta.exists()
        again = runs.build(spec)  # from the base and the delta: every unit replayed
        reused, units = runs.counts[-1]
        assert reused == units
        _assert_same(again, built)
        _assert_same(again, runs.build(spec, incremental=False))


def test_an_edit_of_many_units_writes_the_base_anew(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    spec, data, runs, _ = _built_once(tmp_path, monkeypatch)
    base = memo.pack_name("client")
    assert base is not None
    base_bytes = base.read_bytes()
    monkeypatch.setattr(memo, "_DELTA_MIN", 0)
    monkeypatch.setattr(memo, "_DELTA_SHARE", 10**9)
    assert add_scalar_field(data)
    spec.write_text(json.dumps(data), encoding="utf-8")
    built = runs.build(spec)
    assert base.read_bytes() != base_bytes
    again = runs.build(spec)
    reused, units = runs.counts[-1]
    assert reused == units
    _assert_same(again, built)


def test_a_delta_of_another_base_is_ignored(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    spec, data, runs, cold = _built_once(tmp_path, monkeypatch)
    delta = memo.delta_pack_name("client")
    assert delta is not None
    assert add_scalar_field(data)
    spec.write_text(json.dumps(data), encoding="utf-8")
    runs.build(spec)  # writes a delta
    stored = cache.read_pack(delta, memo._format())
    cache.write_pack(delta, memo._format(), {**stored, "base": "another"})
    spec.write_text(json.dumps(_data(ROOT / "specs" / "aigenstudio-image.yaml", {})),
                    encoding="utf-8")
    _assert_same(runs.build(spec), cold)  # the base alone: the original spec, all replayed
    reused, units = runs.counts[-1]
    assert reused == units


@pytest.mark.parametrize("damage", ["garbage", "bad pickle", "wrong shape", "truncated"])
def test_damaged_pack_is_a_cold_build(damage: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    runs = Runs(tmp_path, monkeypatch)
    spec = ROOT / "specs" / "krea.yaml"
    cold = runs.build(spec)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(runs.cache))
    path = memo.pack_name("client")
    assert path is not None and path.exists()
    if damage == "garbage":
        path.write_bytes(b"\x00not a pack")
    elif damage == "bad pickle":
        cache.write_pack(path, memo._format(), {"memo": b"\x80\x05garbage"})
    elif damage == "wrong shape":
        cache.write_pack(path, memo._format(), {"memo": memo.pickle.dumps({"units": 3})})
    else:
        path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])
    _assert_same(runs.build(spec), cold)
    assert runs.counts[-1][0] == 0


class _Exploit:
    """Unpickling this makes a folder (`os.makedirs`): what a poisoned cache could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        import os

        return os.makedirs, (str(self.marker),)


def test_a_pack_naming_other_code_is_refused(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack loader finds only IR classes, `Unit`, severities and paths: a pack calling
    anything else is a cold build, and nothing else is called (plain `pickle.loads` would have
    made the folder)."""
    runs = Runs(tmp_path, monkeypatch)
    spec = ROOT / "specs" / "krea.yaml"
    cold = runs.build(spec)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(runs.cache))
    path = memo.pack_name("client")
    assert path is not None
    marker = tmp_path / "made-by-the-pack"
    cache.write_pack(path, memo._format(),
                     {"memo": memo.pickle.dumps({"units": [_Exploit(marker)]})})
    _assert_same(runs.build(spec), cold)
    assert runs.counts[-1][0] == 0 and not marker.exists()
    memo.pickle.loads(memo.pickle.dumps(_Exploit(marker)))
    assert marker.exists()  # what the test guards against


def test_a_replay_that_diverges_is_built_cold(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A replayed claim that comes out differently (which the memo's rules say cannot happen)
    makes `build_api` build everything anew: the same IR and diagnostics as a cold build, no
    error."""
    runs = Runs(tmp_path, monkeypatch)
    spec = CORPUS / "edge" / "dcg-discriminator_allof.yaml"
    cold = runs.build(spec)
    apply = memo.Journal._apply
    diverged: list[tuple[Any, ...]] = []

    def diverge(journal: memo.Journal, effect: tuple[Any, ...]) -> None:
        if isinstance(journal.containers.get(effect[0]), memo.Namespace):
            diverged.append(effect)
            raise memo.Diverged("a claim came out differently")
        apply(journal, effect)

    monkeypatch.setattr(memo.Journal, "_apply", diverge)
    _assert_same(runs.build(spec), cold)
    assert diverged
    _assert_same(runs.build(spec, incremental=False), cold)


def _small_spec(schemas: dict[str, Any], paths: dict[str, Any],
                path_items: dict[str, Any] | None = None) -> dict[str, Any]:
    components: dict[str, Any] = {"schemas": schemas}
    if path_items is not None:
        components["pathItems"] = path_items
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": paths, "components": components}


def _get(parameters: list[Any], response: Any) -> dict[str, Any]:
    return {"get": {"parameters": parameters, "responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": response}}}}}}


def test_a_chain_of_path_item_references(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An operation depends on every path item its path's `$ref`s pass through."""
    items = {"A": {"$ref": "#/components/pathItems/B"},
             "B": _get([], {"type": "string"}),
             "C": _get([{"name": "q", "in": "query", "schema": {"type": "integer"}}],
                       {"type": "integer"})}
    original = _small_spec({}, {"/x": {"$ref": "#/components/pathItems/A"}}, items)
    edited = copy.deepcopy(original)
    edited["components"]["pathItems"]["A"] = {"$ref": "#/components/pathItems/C"}
    _check_edit(Runs(tmp_path, monkeypatch), tmp_path / "spec.json", original, edited)


def test_a_parameter_style_reads_declarations(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a parameter is structured (its style applies) is read from the declarations
    its type names, through aliases: a change to a component the operation never refers to
    directly must rebuild it."""
    schemas = {"Filter": {"anyOf": [{"$ref": "#/components/schemas/Inner"},
                                    {"type": "boolean"}]},
               "Inner": {"type": "object", "properties": {"a": {"type": "string"}}}}
    parameter = {"name": "filter", "in": "query", "style": "deepObject", "explode": True,
                 "schema": {"$ref": "#/components/schemas/Filter"}}
    original = _small_spec(schemas, {"/x": _get([parameter], {"type": "string"})})
    edited = copy.deepcopy(original)
    edited["components"]["schemas"]["Inner"] = {"type": "string"}
    runs = Runs(tmp_path, monkeypatch)
    _check_edit(runs, tmp_path / "spec.json", original, edited)
    spec = tmp_path / "spec.json"
    encodings = []
    for data in (original, edited):
        spec.write_text(json.dumps(data), encoding="utf-8")
        api = runs.build(spec)[0]
        assert api is not None
        encodings.append(api.operations[0].parameters[0].encoding)
    assert encodings == [ir.ParamEncoding.DEEP_OBJECT, ir.ParamEncoding.PLAIN]


def test_a_discriminator_reads_the_tag_of_each_variant(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A discriminator's implicit mapping reads the one value each variant's tag property
    allows (`_only_value`), a fact of the variant's declaration."""
    schemas = {
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"},
                          {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind"}},
        "Cat": {"type": "object", "properties": {"kind": {"$ref": "#/components/schemas/CatKind"}}},
        "Dog": {"type": "object", "properties": {"kind": {"const": "dog"}}},
        "CatKind": {"type": "string", "enum": ["cat"]},
    }
    original = _small_spec(schemas, {"/pets": _get([], {"$ref": "#/components/schemas/Pet"})})
    edited = copy.deepcopy(original)
    edited["components"]["schemas"]["CatKind"]["enum"] = ["kitten"]
    _check_edit(Runs(tmp_path, monkeypatch), tmp_path / "spec.json", original, edited)


def test_an_edit_in_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Units depend on the entries of the files their `$ref`s reach, not only the root's."""
    runs = Runs(tmp_path, monkeypatch)
    spec, models = tmp_path / "spec.json", tmp_path / "models.json"
    pet = {"type": "object", "properties": {"name": {"type": "string"},
                                            "owner": {"$ref": "#/Owner"}}}
    owner = {"type": "object", "properties": {"id": {"type": "string"}}}
    root = _small_spec({"Pets": {"type": "array", "items": {"$ref": "models.json#/Pet"}}},
                       {"/pets": _get([], {"$ref": "#/components/schemas/Pets"}),
                        "/pet": _get([], {"$ref": "models.json#/Pet"})})
    spec.write_text(json.dumps(root), encoding="utf-8")
    models.write_text(json.dumps({"Pet": pet, "Owner": owner}), encoding="utf-8")
    assert runs.build(spec)[0] is not None
    owner["properties"]["zz"] = {"type": "object", "properties": {"a": {"type": "integer"}}}
    models.write_text(json.dumps({"Pet": pet, "Owner": owner}), encoding="utf-8")
    memoized = runs.build(spec)
    _assert_same(memoized, runs.build(spec, incremental=False))
    assert memoized[0] is not None and any(
        d.name.startswith("OwnerZz") for d in memoized[0].declarations)


def _referring_spec(target: dict[str, Any]) -> dict[str, Any]:
    """`Target` is built by a unit of its own, before `Holder` refers to it."""
    schemas = {"Target": target,
               "Holder": {"type": "object",
                          "properties": {"target": {"$ref": "#/components/schemas/Target"}}},
               "Child": {"allOf": [{"$ref": "#/components/schemas/Target"},
                                   {"type": "object", "properties": {"kind": {
                                       "type": "string", "enum": ["child"]}}}]}}
    return _small_spec(schemas, {})


SHAPE_EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "a property added": lambda target: target["properties"].update(added={"type": "string"}),
    "a description changed": lambda target: target.update(description="other"),
    "readOnly": lambda target: target.update(readOnly=True),
    "a discriminator": lambda target: target.update(
        discriminator={"propertyName": "kind"}),
    "an enum instead": lambda target: (target.clear(), target.update(type="string",
                                                                     enum=["a", "b"])),
}


@pytest.mark.parametrize("edit", SHAPE_EDITS, ids=str)
def test_a_reference_reads_the_shape_of_its_target(edit: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit that refers to a schema another unit built reads its shape (its keywords), not
    its properties or description: an edit of those rebuilds the target's unit and the units
    that merge its properties (`allOf`), not the others; an edit of its keywords (readOnly, a discriminator, its kind) rebuilds the units that refer to it,
    and the result is a cold build's either way."""
    original = _referring_spec({"type": "object",
                                "properties": {"kind": {"type": "string"}}})
    edited = copy.deepcopy(original)
    SHAPE_EDITS[edit](edited["components"]["schemas"]["Target"])
    runs = Runs(tmp_path, monkeypatch)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(original), encoding="utf-8")
    runs.build(spec)
    spec.write_text(json.dumps(edited), encoding="utf-8")
    memoized = runs.build(spec)
    reused, units = runs.counts[-1]
    _assert_same(memoized, runs.build(spec, incremental=False))
    if edit in ("a property added", "a description changed"):
        # Holder replayed; Child merges Target's properties (`allOf`): rebuilt
        assert (reused, units) == (1, 3)
    else:
        assert reused < 2
