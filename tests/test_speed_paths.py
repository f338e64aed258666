"""The fast paths give the bytes of the slow ones: units vs black on whole files, parallel vs
serial formatting, the freshness stamp vs a full check, the YAML line scan vs composing."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Callable

import black
import pytest
import yaml

from generator import format as fmt
from generator import freshness, ir, pipeline
from generator.diagnostics import Reporter, pointer_join, pointer_tokens
from generator import loader, yamlchunks
from generator.diagnostics import GenerationFailed
from generator.layout import UNIT_BREAK
from generator.loader import _scan_block_yaml, load_document
from generator.render import SPEC_INDEPENDENT_FILES

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "specs").glob("*.yaml"))
MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)


def _unmarked(text: str) -> str:
    return text.replace(UNIT_BREAK, "")


def _raw_files(spec: Path | list[Path], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    captured: dict[str, str] = {}

    def keep(files: dict[str, str], package: str, verbatim: frozenset[str] = frozenset(),
             workers: int | None = None, part: str = "") -> dict[str, str]:
        for path, text in files.items():  # the parts of a file come in order
            captured[path] = captured.get(path, "") + text
        return files

    monkeypatch.setattr(pipeline, "format_files", keep)
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_SIZE", 10**9)  # `keep` runs in this process
    pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options(validate=False))
    monkeypatch.undo()
    return captured


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_units_give_what_black_gives_for_the_whole_file(
        spec: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    raw = _raw_files(spec, monkeypatch)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    formatted = fmt.format_files(raw, "pkg", SPEC_INDEPENDENT_FILES)
    for path, text in raw.items():
        if path.endswith(".py"):
            assert formatted[path] == black.format_str(_unmarked(text), mode=MODE), path


CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED_ERRORS = {line.split()[0] for line in
                   (ROOT / "scripts" / "corpus-expected-errors.txt").read_text().splitlines()
                   if line.strip() and not line.startswith("#")}
# Specs no one here wrote: every domain spec and one edge spec in six, by name.
CORPUS_SAMPLE = sorted((CORPUS / "domain").glob("*")) + sorted((CORPUS / "edge").glob("*"))[::6]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("spec", [s for s in CORPUS_SAMPLE
                                  if s.suffix in (".yaml", ".yml", ".json")],
                         ids=lambda p: p.name)
def test_units_give_what_black_gives_on_corpus_specs(
        spec: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The renderer's own layout (`render/wrap.py`) and the unit checks (`layout.py`) meet
    shapes the five providers do not have: the corpus holds them to black's bytes too."""
    if any(spec.name in entry for entry in EXPECTED_ERRORS):
        pytest.skip("a spec that ends in a clean error")
    raw = _raw_files(spec, monkeypatch)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    formatted = fmt.format_files(raw, "pkg", SPEC_INDEPENDENT_FILES)
    for path, text in raw.items():
        if path.endswith(".py"):
            assert formatted[path] == black.format_str(_unmarked(text), mode=MODE), path


def test_parallel_rendering_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    spec = ROOT / "specs" / "krea.yaml"
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_SIZE", 10**9)
    serial = pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options())
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_SIZE", 0)
    monkeypatch.setenv("CLIENTGEN_FORMAT_WORKERS", "2")
    assert pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options()) == serial


def test_models_cut_in_two_parts_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    """models.py rendered in two parts (its first declarations, then the rest, as two
    processes do for a large package) is the file rendered whole, from a cold and a warm cache."""
    from generator import render

    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    spec = ROOT / "specs" / "depicta.yaml"
    monkeypatch.setattr(render, "models_cut", lambda api: len(api.declarations))
    whole = pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options())
    monkeypatch.undo()
    monkeypatch.setattr(render, "_LINES_PER_OPERATION", 0)  # the cut falls in the middle
    api = pipeline.build_ir(spec, "pkg", Reporter(), pipeline.Options())
    assert 0 < render.models_cut(api) < len(api.declarations)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_SIZE", 10**9)
    assert pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options()) == whole
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_SIZE", 0)
    monkeypatch.setenv("CLIENTGEN_FORMAT_WORKERS", "2")
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    for _ in range(2):  # cold cache, then the packs
        assert pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options()) == whole
    # wherever the cut falls: before the first enum, between kinds, after the last alias
    monkeypatch.setattr(pipeline, "PARALLEL_RENDER_SIZE", 10**9)
    for cut in range(len(api.declarations) + 1):
        monkeypatch.setattr(render, "models_cut", lambda api, cut=cut: cut)
        assert pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options()) == whole, cut


_LONG = "PutMetadataTemplatesEnterpriseSecurityClassification6VmVochwUWoSchemaAddBodyItemData"
_SMALL_CLASSES = (
    "class Small:\n"
    '    """A model."""\n'
    "\n"
    "    key: str\n"
    f"    static_config: {_LONG} | None = None\n"
    "\n"
    "    @classmethod\n"
    "    def from_dict(cls, data: _t.Any) -> Small:\n"
    '        """Decode."""\n'
    "        decoded = _new_object(cls)\n"
    '        decoded.key = data["key"]\n'
    "\n"
    f'        decoded.static_config = None if (_v1 := data.get("staticConfig")) is None else '
    f"{_LONG}.from_dict(_v1)\n"
    '        decoded.tags = data.get("tags")\n'
    "        return decoded\n"
    "\n"
    f"    async def update(self, *, body: list[_m.{_LONG}] | None = None) -> None:\n"
    '        """Update."""\n'
    "        return await self._call(body)\n"
    "\n"
    "\n"
    "class Settled:\n"
    "    key: str\n"
    "\n"
    "    def to_dict(self) -> dict[str, _t.Any]:\n"
    '        return {"key": self.key}\n'
)


def test_only_what_black_changes_goes_to_black(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    """A class black would change, however small, is cut into its members, and a method black
    would change into its statements (a decorated one too): only those black changes go to
    black, and the bytes are black's for the whole file."""
    from generator.layout import split_units

    unsettled = [(unit.depth, unit.text.split("\n")[0].strip())
                 for unit in split_units(_SMALL_CLASSES, 100) if not unit.settled]
    assert unsettled == [(1, f"static_config: {_LONG} | None = None"),
                         (2, "decoded.static_config = None if (_v1 := data.get(\"staticConfig\"))"
                             f" is None else {_LONG}.from_dict(_v1)"),
                         (1, f"async def update(self, *, body: list[_m.{_LONG}] | None = None)"
                             " -> None:")]
    sent: list[str] = []
    format_jobs = fmt._format_jobs

    def counting(jobs: dict[str, tuple[str, str]], cache: Path | None, workers: int
                 ) -> dict[str, str]:
        sent.extend(source for source, _ in jobs.values())
        return format_jobs(jobs, cache, workers)

    monkeypatch.setattr(fmt, "_format_jobs", counting)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    marked = _SMALL_CLASSES.replace("\n\nclass Settled", f"\n{UNIT_BREAK}\nclass Settled")
    formatted = fmt.format_files({"m.py": marked}, "pkg")["m.py"]
    assert formatted == black.format_str(_SMALL_CLASSES, mode=MODE) != _SMALL_CLASSES
    assert len(sent) == 3 and not any("Settled" in source for source in sent)


def test_parallel_formatting_gives_the_same_bytes(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    raw = _raw_files(ROOT / "specs" / "depicta.yaml", monkeypatch)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    monkeypatch.setenv("CLIENTGEN_FORMAT_WORKERS", "1")
    serial = fmt.format_files(raw, "pkg")
    monkeypatch.setenv("CLIENTGEN_FORMAT_WORKERS", "2")
    monkeypatch.setattr(fmt, "_PARALLEL_LINES", 0)
    assert fmt.format_files(raw, "pkg") == serial
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    assert fmt.format_files(raw, "pkg") == serial  # cold cache
    assert fmt.format_files(raw, "pkg") == serial  # warm cache


def test_manifest_fingerprint_follows_every_input(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    from generator.cli import main

    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "specs" / "krea.yaml", project / "krea.yaml")
    (project / "pyproject.toml").write_text(
        '[tool.clientgen]\noutput = "out"\n[tool.clientgen.providers.krea]\n'
        'spec = "krea.yaml"\npackage = "krea"\n')
    config = str(project / "pyproject.toml")
    package = project / "out" / "krea"
    spec = project / "krea.yaml"
    options = pipeline.Options().key()
    assert main(["generate", "--config", config]) == 0
    assert freshness.is_fresh(package, [spec], [], options)
    assert not freshness.is_fresh(package, [spec], [], pipeline.Options(strict=True).key())
    assert not freshness.is_fresh(package, [spec], [project / "overlay.yaml"], options)
    assert main(["check", "--config", config]) == 0
    # the manifest travels with the tree: a copy (a fresh clone) is fresh with no cache at all
    clone = tmp_path / "clone"
    shutil.copytree(project, clone)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    assert freshness.is_fresh(clone / "out" / "krea", [clone / "krea.yaml"], [], options)
    # a generated file edited by hand: not fresh, and the full check says stale
    models = package / "models.py"
    original = models.read_text()
    models.write_text(original + "# edited\n")
    assert not freshness.is_fresh(package, [spec], [], options)
    assert main(["check", "--config", config]) == 1
    models.write_text(original)
    assert freshness.is_fresh(package, [spec], [], options)
    # the spec changed: not fresh
    spec.write_text(spec.read_text() + "\n# a comment changes the bytes\n")
    assert not freshness.is_fresh(package, [spec], [], options)
    assert main(["check", "--config", config]) == 1
    # the generator changed: another fingerprint
    assert main(["generate", "--config", config]) == 0
    assert freshness.is_fresh(package, [spec], [], options)
    monkeypatch.setattr(freshness, "generator_fingerprint", lambda: "another generator")
    assert not freshness.is_fresh(package, [spec], [], options)


def _pointers(data: object, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _pointers(value, pointer_join(pointer, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _pointers(value, pointer_join(pointer, index))
    return found


LARGE_YAML = [CORPUS / "large" / name for name in ("github-api.github.com.yaml",
                                                  "openai-openapi.yaml")]


@pytest.mark.parametrize("spec", SPECS + sorted((ROOT / "tests" / "broken").glob("*.yaml"))
                         + [spec for spec in LARGE_YAML if spec.exists()],
                         ids=lambda p: p.stem)
def test_yaml_line_scan_agrees_with_composing(spec: Path) -> None:
    try:
        document = load_document(spec)
    except Exception:  # noqa: BLE001 - broken specs that do not load have no lines to find
        pytest.skip("does not load")
    pointers = _pointers(document.data)
    random.Random(0).shuffle(pointers)
    for pointer in pointers[:400] + [p + "/missing" for p in pointers[:50]]:
        tokens = pointer_tokens(pointer)
        fast = _scan_block_yaml(document._block_lines, tokens)
        if fast is not None:
            assert fast == document._composed_line(tokens), pointer
        # through the composer of a block sequence's lines alone, where the scan stops
        assert document._yaml_line(tokens) == document._composed_line(tokens), pointer


YAML_CORPUS = sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".yaml", ".yml"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("spec", YAML_CORPUS, ids=lambda p: p.name)
def test_yaml_pieces_parse_alone_as_in_the_whole_document(spec: Path) -> None:
    """Every piece `yamlchunks` cuts a corpus spec into, parsed alone, gives the value the full
    parse gives (the cache then holds the same values whichever way they were parsed)."""
    text = spec.read_text(encoding="utf-8-sig")
    try:
        whole = yaml.load(text, Loader=loader._SpecLoader)
    except yaml.YAMLError:
        pytest.skip("not YAML the loader accepts")
    pieces = yamlchunks._root_pieces(loader._BlockYamlLines(text))
    if pieces is None:
        pytest.skip("not plain block YAML: parsed whole")
    keys = yamlchunks._Keys(text.split("\n"), {})
    assert yamlchunks._assemble(pieces, keys, loader._parse_piece) == whole
    recorded = yamlchunks._Keys(text.split("\n"), {})
    if yamlchunks._record(pieces, whole, recorded):
        assert recorded.found == keys.found


def test_an_edited_large_spec_parses_only_the_edited_piece(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "big.yaml"
    schemas = "".join(f"    Model{i}:\n      type: object\n      properties:\n"
                      f"        name{i}:\n          type: string\n          description: |\n"
                      f"            Line one of {i}.\n            Line two.\n" for i in range(3000))
    text = ("openapi: 3.1.0\ninfo:\n  title: Big\n  version: '1'\npaths: {}\n"
            "components:\n  schemas:\n" + schemas)
    assert len(text) > yamlchunks.PIECEWISE_MIN_CHARS
    spec.write_text(text)
    first = load_document(spec).data
    assert first == yaml.safe_load(text)
    parsed: list[str] = []
    monkeypatch.setattr(loader, "_parse_piece",
                        lambda piece: parsed.append(piece) or yaml.safe_load(piece))
    edited = text.replace("        name7:\n", "        renamed7:\n")
    spec.write_text(edited)
    assert load_document(spec).data == yaml.safe_load(edited)
    assert len(parsed) == 1 and "renamed7" in parsed[0]
    spec.write_text(edited + "  bad: [\n")  # a piece that does not parse: the full parse's error
    with pytest.raises(GenerationFailed) as failed:
        load_document(spec)
    assert failed.value.diagnostics[0].line is not None


def test_the_pieces_cache_write_waits_for_the_caller(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With `save_later`, the pieces' cache is written when the caller runs the write (the
    pipeline runs it on its other core); the next load then parses only what changed."""
    from generator.cache import pack_path

    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "big.yaml"
    schemas = "".join(f"    Model{i}:\n      type: object\n      properties:\n"
                      f"        name{i}:\n          type: string\n" for i in range(6000))
    text = "openapi: 3.1.0\ninfo:\n  title: Big\n  version: '1'\npaths: {}\ncomponents:\n" \
           "  schemas:\n" + schemas
    assert len(text) > yamlchunks.PIECEWISE_MIN_CHARS
    spec.write_text(text)
    writes: list[Callable[[], None]] = []
    assert load_document(spec, save_later=writes).data == yaml.safe_load(text)
    pack = pack_path("yaml", str(spec.resolve()))
    assert pack is not None and len(writes) == 1 and not pack.exists()
    writes[0]()
    assert pack.exists()
    parsed: list[str] = []
    monkeypatch.setattr(loader, "_parse_piece",
                        lambda piece: parsed.append(piece) or yaml.safe_load(piece))
    spec.write_text(text.replace("        name7:\n", "        renamed7:\n"))
    load_document(spec)
    assert len(parsed) == 1 and "renamed7" in parsed[0]


def _big_spec_with_refs() -> str:
    """A block-YAML spec over the piecewise size, with references, and two operations of the
    same text in path items long enough to be cut (the pieces' cache gives them as one shared
    object)."""
    schemas = "".join(f"    Model{i}:\n      type: object\n      properties:\n"
                      f"        next:\n          $ref: '#/components/schemas/Model{(i + 1) % 2000}'\n"
                      f"        name{i}:\n          type: string\n" for i in range(2000))
    lines = "".join(f"          Line {n}.\n" for n in range(_DESCRIPTION_LINES))
    operation = ("    get:\n      description: |\n" + lines + "      responses:\n"
                 "        '200':\n          description: ok\n          content:\n"
                 "            application/json:\n              schema:\n"
                 "                $ref: '#/components/schemas/Model1'\n")
    paths = "".join(f"  /same{i}:\n" + operation for i in range(2))
    return ("openapi: 3.1.0\ninfo:\n  title: Big\n  version: '1'\npaths:\n" + paths
            + "components:\n  schemas:\n" + schemas)


_DESCRIPTION_LINES = 250  # of an operation: its path item is over `yamlchunks._SPLIT_LINES`


@pytest.mark.parametrize("source", ["synthetic", "github"])
def test_references_of_cached_pieces_are_those_of_the_whole_walk(
        source: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The references found piece by piece (from the cache of each piece's, or walked) are the
    whole document's, in its order, whether its pieces were parsed or came from the cache."""
    from generator import resolver

    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    if source == "github":
        shutil.copy(CORPUS / "large" / "github-api.github.com.yaml", spec)
    else:
        spec.write_text(_big_spec_with_refs())
    parsed = load_document(spec)
    expected = resolver._find_refs(parsed.data)
    assembled = load_document(spec)  # from the pieces' cache
    assert assembled.pieces and assembled.data == parsed.data
    for document in (parsed, assembled):
        cached: dict[str, object] = {}
        assert resolver._find_refs(document.data, document.pieces, cached) == expected
        assert cached
        assert resolver._find_refs(document.data, document.pieces, cached) == expected


def test_a_regeneration_walks_only_the_changed_pieces_for_references(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from generator import resolver

    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    text = _big_spec_with_refs()
    spec.write_text(text)
    resolver.resolve_refs(load_document(spec), Reporter())
    walked: list[object] = []
    find = resolver._find_refs

    def spy(data: object, *args: object) -> list[tuple[str, str]]:
        if not args or args[0] is None:
            walked.append(data)
        return find(data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(resolver, "_find_refs", spy)
    edited = text.replace("        name7:\n", "        renamed7:\n")
    spec.write_text(edited)
    document = load_document(spec)
    resolved = resolver.resolve_refs(document, Reporter())
    assert len(walked) == 1 and "renamed7" in walked[0]["properties"]  # type: ignore[index]
    monkeypatch.setattr(resolver, "_find_refs", find)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    cold = resolver.resolve_refs(load_document(spec), Reporter())
    assert resolved._targets.keys() == cold._targets.keys()


def test_a_spec_that_fails_leaves_its_pieces_cached(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The cache writes that wait for the end of a run are made when the spec has errors too:
    the run after the fix parses only the fixed piece."""
    from generator.cache import pack_path

    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(_big_spec_with_refs().replace("schemas/Model1'", "schemas/Missing'", 1))
    with pytest.raises(GenerationFailed):
        pipeline.generate_package(spec, "pkg", Reporter(), pipeline.Options(validate=False))
    pieces = pack_path("yaml", str(spec.resolve()))
    assert pieces is not None and pieces.exists()


def test_declarations_from_the_pack_give_the_same_bytes(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    raw = _raw_files(ROOT / "specs" / "krea.yaml", monkeypatch)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    expected = fmt.format_files(raw, "pkg")
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    assert fmt.format_files(raw, "pkg") == expected  # packs written
    assert all(path is not None and path.is_file() for path in (
        fmt._pack_path("pkg", "models.py", ""), fmt._pack_path("pkg", "client.py", "")))
    planned: dict[str, int] = {}
    plan = fmt._plan_declarations

    def counting(pieces: list[str], pack: dict[str, str], jobs: dict[str, tuple[str, str]],
                 name: str) -> list[fmt._Declaration] | None:
        result = plan(pieces, pack, jobs, name)
        planned[name] = sum(d.units is not None for d in result or [])
        return result

    monkeypatch.setattr(fmt, "_plan_declarations", counting)
    assert fmt.format_files(raw, "pkg") == expected  # every declaration from the packs
    assert planned["pkg/models.py"] == planned["pkg/client.py"] == 0
    # one declaration changed: the others still come from the pack, the bytes are black's
    changed = dict(raw)
    changed["models.py"] = raw["models.py"].replace("    status: ", "    status_renamed: ", 1)
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", "")
    uncached = fmt.format_files(changed, "pkg")
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path))
    assert fmt.format_files(changed, "pkg") == uncached
    assert uncached["models.py"] == black.format_str(_unmarked(changed["models.py"]), mode=MODE)


VALIDATED = (sorted((ROOT / "tests" / "broken").glob("*.yaml"))
             + sorted(p for p in (CORPUS / "edge").glob("*") if p.suffix in (".yaml", ".json"))[:40])


def test_validation_alongside_reports_what_validation_in_line_reports(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The validator runs in a forked process while the IR is built; its findings land where
    running it first would put them, and nothing else changes."""
    from generator import validate

    def outcome(spec: Path, worker: validate.ValidationWorker | None = None
                ) -> tuple[list[object], list[object] | None]:
        reporter = Reporter()
        try:
            pipeline.build_ir(spec, "pkg", reporter, pipeline.Options(), validator=worker)
        except GenerationFailed as failed:
            return list(reporter.diagnostics), list(failed.diagnostics)
        except Exception as exc:  # noqa: BLE001 - a load error is the same either way
            return [type(exc).__name__], None
        return list(reporter.diagnostics), None

    findings = 0
    monkeypatch.setattr(validate, "cores", lambda: 2)
    worker = validate.ValidationWorker.start()
    assert worker is not None
    try:
        for spec in VALIDATED:
            monkeypatch.setattr(validate, "cores", lambda: 1)
            in_line = outcome(spec)
            monkeypatch.setattr(validate, "cores", lambda: 2)
            assert outcome(spec) == in_line, spec
            # the worker `clientgen generate` starts early: one process for every spec in turn
            assert outcome(spec, worker) == in_line, spec
            findings += sum("not valid OpenAPI" in str(d) for d in in_line[0])
    finally:
        worker.close()
    assert findings > 0


def test_validation_worker_that_fails_leaves_validation_to_this_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that is gone (killed, crashed) answers nothing: the spec is validated here, and
    the findings are the same."""
    import os
    import signal

    from generator import validate

    spec = CORPUS / "edge" / "dcg-nullable.yaml"  # one finding of the validator
    monkeypatch.setattr(validate, "cores", lambda: 1)
    in_line = Reporter()
    pipeline.build_ir(spec, "pkg", in_line, pipeline.Options())
    monkeypatch.setattr(validate, "cores", lambda: 2)
    worker = validate.ValidationWorker.start()
    assert worker is not None
    os.kill(worker._pid, signal.SIGKILL)
    reporter = Reporter()
    try:
        pipeline.build_ir(spec, "pkg", reporter, pipeline.Options(), validator=worker)
    finally:
        worker.close()
    assert reporter.diagnostics == in_line.diagnostics
    assert any("not valid OpenAPI" in d.message for d in reporter.diagnostics)


def _random_json(generator: random.Random, depth: int = 0) -> object:
    kind = generator.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return generator.choice([None, True, False])
    if kind == 1:
        return generator.choice([0, -1, 7, 2**70, 1.5, -0.0, 1e300, float("inf"),
                                 float("-inf"), float("nan")])
    if kind < 6:
        return "".join(generator.choice('ab "\\\n\t\x00\x7fé€😀/') for _ in
                       range(generator.randrange(6)))
    if kind < 8:
        return [_random_json(generator, depth + 1) for _ in range(generator.randrange(4))]
    keys: list[object] = (
        [generator.randrange(-5, 500) for _ in range(generator.randrange(4))] if kind == 8
        else ["".join(generator.choice('ab"é\n') for _ in range(generator.randrange(4)))
              for _ in range(generator.randrange(5))])
    return {key: _random_json(generator, depth + 1) for key in keys}


def test_surface_text_is_the_surface_one_line_per_entry() -> None:
    """surface_text is JSON that loads as the surface, with each entry of a section (an
    operation, a model, …) on a line of its own: on the surfaces of the providers and the
    corpus sample, and random values."""
    import json

    from generator.surface import build_surface, surface_text

    def check(value: dict[str, object]) -> None:
        text = surface_text(value)
        # compared as json writes them: NaN is not equal to itself, and keys become strings
        assert (json.dumps(json.loads(text), sort_keys=True)
                == json.dumps(json.loads(json.dumps(value)), sort_keys=True))
        assert text.endswith("}\n")
        dict_sections = [v for v in value.values() if isinstance(v, dict) and v]
        # the braces, a line per section and per entry of a (non-empty) mapping section, and
        # the closing brace of each of those
        assert text.count("\n") == (2 + len(value) + sum(len(v) + 1 for v in dict_sections)
                                    if value else 1)

    specs = [*SPECS, *(s for s in CORPUS_SAMPLE if s.suffix in (".yaml", ".yml", ".json")
                       and not any(s.name in entry for entry in EXPECTED_ERRORS))]
    for spec in specs:
        api = pipeline.build_ir(spec, "pkg", Reporter(), pipeline.Options(validate=False))
        check(build_surface(api))
    generator = random.Random(11)
    for _ in range(3000):
        value = _random_json(generator)
        if isinstance(value, dict):
            check(value)


def test_surface_file_from_earlier_lines_is_the_surface_text() -> None:
    """The surface file a regeneration writes from the earlier run's lines (by node digest) is
    the text of the surface: with no earlier lines, with its own, and with another IR's."""
    import dataclasses

    from generator.digests import KnownDigests
    from generator.surface import build_surface, surface_file, surface_text

    specs = [*SPECS, *(s for s in CORPUS_SAMPLE if s.suffix in (".yaml", ".yml", ".json")
                       and not any(s.name in entry for entry in EXPECTED_ERRORS))]
    for spec in specs:
        api = pipeline.build_ir(spec, "pkg", Reporter(), pipeline.Options(validate=False))
        expected = surface_text(build_surface(api))
        text, lines = surface_file(api, KnownDigests(), {})
        assert text == expected, spec
        assert surface_file(api, KnownDigests(), lines) == (expected, lines)
        # an operation that changes, and a model that another operation starts to take
        if not api.operations:
            continue
        first, *rest = api.operations
        model = next((d for d in api.declarations if isinstance(d, ir.Model)), None)
        parameters = first.parameters if model is None else (*first.parameters, ir.Parameter(
            "zz_added", "zz_added", ir.ParamLocation.QUERY, ir.RefType(model.name), False, ""))
        edited = dataclasses.replace(api, operations=(
            dataclasses.replace(first, summary="Changed.", parameters=parameters), *rest))
        text, _ = surface_file(edited, KnownDigests(), lines)
        assert text == surface_text(build_surface(edited)), spec


def _spec_with_findings(tmp_path: Path, schema_errors: int, keyword_errors: int) -> Path:
    """A 3.0 spec that fails the OpenAPI schema `schema_errors` times (a bad `type`) and the
    validator's own checks `keyword_errors` times (a path parameter that is not declared)."""
    import json

    schemas = {f"Bad{i}": {"type": "object", "properties": {"x": {"type": 5}}}
               for i in range(schema_errors)}
    paths = {f"/things{i}/{{id}}": {"get": {"operationId": f"get{i}", "responses": {
        "200": {"description": "ok"}}}} for i in range(keyword_errors)}
    document = {"openapi": "3.0.3", "info": {"title": "Findings", "version": "1"},
                "paths": paths, "components": {"schemas": schemas}}
    path = tmp_path / f"findings-{schema_errors}-{keyword_errors}.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(("schema_errors", "keyword_errors"),
                         [(0, 0), (3, 0), (0, 3), (3, 3), (49, 3), (50, 0), (60, 5), (0, 60)])
def test_validation_in_two_passes_reports_what_one_pass_reports(
        tmp_path: Path, schema_errors: int, keyword_errors: int) -> None:
    """The worker runs the validator's second pass in a forked process: the same findings, in
    the same order, the limit of 50 and its warning included."""
    from generator import validate
    from generator.loader import load_document
    from generator.resolver import resolve_refs

    specs = [_spec_with_findings(tmp_path, schema_errors, keyword_errors)]
    if schema_errors == keyword_errors == 3:
        specs += [*VALIDATED, CORPUS / "large" / "spotify-fixed-spotify-open-api.yml"]
    for spec in specs:
        results = []
        for split in (False, True):
            reporter = Reporter()
            try:
                resolved = resolve_refs(load_document(spec, spec.name), reporter)
            except (GenerationFailed, ValueError):
                break
            family = validate.check_version(resolved, reporter)
            if family is None:
                break
            validate.validate(resolved, family, reporter, split=split)
            results.append(reporter.diagnostics)
        else:
            assert results[0] == results[1], spec
            if spec.name.startswith("findings-"):
                findings = [d for d in results[0] if "not valid OpenAPI" in d.message]
                assert (len(findings) > 0) == (schema_errors + keyword_errors > 0)
                capped = any("more than 50" in d.message for d in results[0])
                if schema_errors + keyword_errors > 50:  # each bad spot gives one finding or more
                    assert capped


# what yamlchunks.has_anchor replaces
_ANCHOR = re.compile(r"(?:^|[:\-\[{,?])[ \t]*&[^ \t\n]", re.MULTILINE)


def test_has_anchor_finds_what_the_regex_finds() -> None:
    texts = ["&a", " &a", "\t&a", "&", "& a", "&\n", "a: &x 1", "a:&x", "- &x", "[&x]", "{a: &x}",
             "? &x", "a &x", "a\n  &x", "url: a&b", "a: 'R&D'", "x,&y", "a\r&b", "\n&"]
    rng = random.Random(3)
    texts += ["".join(rng.choice("ab &:-[{,?\t\n\r#") for _ in range(rng.randint(0, 12)))
              for _ in range(20_000)]
    texts += [p.read_text(encoding="utf-8", errors="surrogateescape")
              for p in [*SPECS, *sorted(CORPUS.glob("*/*.y*ml"))]]
    for text in texts:
        assert yamlchunks.has_anchor(text) == bool(_ANCHOR.search(text)), repr(text[:80])
