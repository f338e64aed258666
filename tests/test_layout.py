"""The renderer's own layout (`render/wrap.py`, trees from `render/types.py`) and the unit check
(`layout.py`) against black, on the shapes large specs have: union and discriminated decoders,
dataclass field declarations, type aliases, enum members. A layout the unit check calls settled
must be exactly what black makes of the flat statement; the common shapes must be settled (the
fast path)."""

from __future__ import annotations

import random

import black
import pytest

from generator import ir
from generator import layout
from generator.layout import split_units
from generator.render import wrap
from generator.render.types import TypeRenderer

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
STAND_IN = "class _:\n    def _(self):\n"


def _black(flat: str, indent: int) -> str:
    """black's layout of the one-line statement `flat` at `indent` (4: a class member, 8: a
    statement of a method, 12: an argument of an exploded call in a method)."""
    if indent == 0:
        return black.format_str(flat + "\n", mode=MODE)
    if indent == 4:
        wrapper, pad = "class _:\n", "    "
    elif indent == 8:
        wrapper, pad = STAND_IN, "        "
    else:
        assert indent == 12
        wrapper, pad = STAND_IN + "        return f(\n", "            "
        flat += ","
    formatted = black.format_str(wrapper + pad + flat + "\n" + (
        "        )\n" if indent == 12 else ""), mode=MODE)
    body = formatted[len(wrapper):]
    if indent == 12:
        body = body[:body.rindex("        )\n")]
    return body


def _settled(text: str, indent: int) -> bool:
    """Whether the unit check vouches for the statement `text` (first line without its
    indentation) at `indent`."""
    if indent == 0:
        source = text + "\n"
    elif indent == 4:
        source = "class _:\n    " + text + "\n"
    else:
        wrapper = STAND_IN + ("        return f(\n" if indent == 12 else "")
        source = wrapper + " " * indent + text + ("," if indent == 12 else "") + "\n" + (
            "        )\n" if indent == 12 else "")
    return all(unit.settled for unit in split_units(source, 100, member_split_lines=0))


def _check(laid_out: str, flat: str, indent: int, must_settle: bool = True) -> None:
    expected = _black(flat, indent)
    text = " " * indent + laid_out + ("," if indent == 12 else "") + "\n"
    if _settled(laid_out, indent):
        assert text == expected
    else:
        assert not must_settle, f"not settled:\n{text}"


def _models(*names: str) -> TypeRenderer:
    declarations = {name: ir.Model(name, "", "", (), "additional_properties", ir.ANY)
                    for name in names}
    return TypeRenderer(declarations.__getitem__)


SHORT, MEDIUM, LONG = "Cat", "ChatCompletionRequestMessage", \
    "RealtimeTranscriptionSessionCreateResponseGAVariant"
MEDIUM2 = "CreateModerationRequestInputVariant"
NAMES = (SHORT, MEDIUM, MEDIUM2, LONG, LONG + "Two")


def _union(*names: str, discriminated: bool = False) -> ir.UnionType:
    discriminator = ir.Discriminator("type", tuple(
        (value, name) for name in names for value in (name, name.lower()[:8]))) \
        if discriminated else None
    return ir.UnionType(tuple(ir.RefType(n) for n in names), discriminator)


UNIONS = [
    _union(SHORT, MEDIUM),
    _union(MEDIUM, MEDIUM2),
    _union(MEDIUM, LONG),
    _union(SHORT, MEDIUM, MEDIUM2),
    _union(SHORT, MEDIUM, discriminated=True),
    _union(MEDIUM, MEDIUM2, discriminated=True),
    _union(MEDIUM, LONG, discriminated=True),
    ir.UnionType((ir.ScalarType(ir.Scalar.STR), ir.ListType(ir.RefType(MEDIUM))), None),
    ir.UnionType((ir.ScalarType(ir.Scalar.FLOAT), ir.RefType(MEDIUM2)), None),
    ir.UnionType((ir.ScalarType(ir.Scalar.FLOAT), ir.RefType(LONG)), None),
]


@pytest.mark.parametrize("union", UNIONS, ids=range(len(UNIONS)))
@pytest.mark.parametrize("shape", ["plain", "nullable", "list"])
def test_union_decoders_are_laid_out_as_black_lays_them_out(union: ir.UnionType,
                                                           shape: str) -> None:
    t: ir.TypeRef = {"plain": union, "nullable": ir.NullableType(union),
                     "list": ir.ListType(union)}[shape]
    types = _models(*NAMES)
    tree = types.decode_layout(t, 'data["value"]')
    flat = wrap.one_line(tree)
    assert flat == _models(*NAMES).decode(t, 'data["value"]')  # the same code
    keyword = wrap.with_prefix("value=", tree) if isinstance(tree, wrap.Group) else tree
    # a 52-character name deep inside may leave a line black splits in ways not modelled
    # (its head does not fit): then the statement is left to black
    short = LONG not in flat
    _check(wrap.element(keyword, 12), "value=" + flat, 12, must_settle=short)
    if shape != "nullable":  # an alias's decoder
        _check(wrap.assignment(f"result: {MEDIUM}", tree, 4),
               f"result: {MEDIUM} = {flat}", 4, must_settle=short)


ANNOTATIONS = [
    "Cat", MEDIUM, LONG + LONG, f"{LONG} | None", f"{MEDIUM} | {LONG} | None",
    f"list[{LONG}]", f"list[{MEDIUM} | {LONG}] | None", f"str | list[{MEDIUM} | {LONG}]",
    f"list[{LONG} | {LONG}Two | {MEDIUM}]",
]


def _annotation_tree(text: str) -> wrap.Group | wrap.Chain | str:
    """`text` (names, `list[…]`, `|`) as the tree `TypeRenderer.annotation_layout` builds."""
    parts: list[wrap.Group | wrap.Chain | str] = []
    depth = start = 0
    for index, char in enumerate(text + " | "):
        depth += (char == "[") - (char == "]")
        if depth == 0 and text.startswith(" | ", index) or index == len(text):
            part = text[start:index]
            if part.startswith("list["):
                part = wrap.Group("list", "[", (_annotation_tree(part[5:-1]),), "]")
            parts.append(part)
            start = index + 3
            if index == len(text):
                break
    if len(parts) == 1:
        return parts[0]
    return wrap.Chain(tuple(parts), ("|",) * (len(parts) - 1))


@pytest.mark.parametrize("annotation", ANNOTATIONS)
@pytest.mark.parametrize("name", ["id", "workload_identity_provider_mapping"])
@pytest.mark.parametrize("default", [None, "None", '"auto"', '["segment", "word"]'])
def test_field_declarations_are_laid_out_as_black_lays_them_out(
        annotation: str, name: str, default: str | None) -> None:
    tree = _annotation_tree(annotation)
    assert wrap.one_line(tree) == annotation
    value: wrap.Group | str | None = default
    if default not in (None, "None"):
        value = wrap.call("_field", "default=None", wrap.display(
            "metadata=", "{", (f'"default": {default}',), "}"))
    flat = f"{name}: {annotation}" + (f" = {wrap.one_line(value)}" if value else "")
    # the renderer writes a default only for an optional field (`… | None`); black's layouts
    # of those follow rules `wrap.declaration` knows, but for a lone name that does not fit
    # even on a line of its own
    _check(wrap.declaration(name, tree, value, 4), flat, 4, must_settle=(
        not annotation.startswith(LONG + LONG) and (default is None or "| None" in annotation)))


@pytest.mark.parametrize("value", ['"Cat | Dog"', '"' + " | ".join(NAMES * 2) + '"',
                                   '"' + " | ".join(NAMES) + '"'])
def test_type_alias_declarations(value: str) -> None:
    _check(wrap.declaration(LONG, "_t.TypeAlias", value, 0), f"{LONG}: _t.TypeAlias = {value}", 0)


@pytest.mark.parametrize("value", ['"tenant.workload_identity.principal.provisioned"',
                                   '"' + "x" * 95 + '"', "1234567890" * 8])
def test_enum_members(value: str) -> None:
    name = "TENANT_WORKLOAD_IDENTITY_PRINCIPAL_PROVISIONED"
    _check(wrap.assignment(name, value, 4), f"{name} = {value}", 4,
           must_settle=len(value) < 90)


@pytest.mark.parametrize("name", ["ListAssistantsPage", "ListProjectGroupRoleAssignmentsPage",
                                  "EnterpriseAdminListSelectedOrganizationsEnabledGithubPage"])
def test_class_headers(name: str) -> None:
    node = wrap.call(name, "_m.RoleListResource", "_rt.SyncPage[_m.AssignedRoleDetails]")
    laid_out = wrap.statement("class ", node, 0, ":")
    flat = f"class {name}(_m.RoleListResource, _rt.SyncPage[_m.AssignedRoleDetails]):"
    assert _black(flat + "\n    pass", 0) == laid_out + "\n    pass\n"
    assert _settled(laid_out + "\n    pass", 0)


# The unit check on its own: each of these black leaves as it is, or changes; the check must
# never call a unit black would change settled.
UNITS = [
    ('    type: str\n    """Says what it is \nacross lines."""\n', True),  # a string's spaces
    ("    type: str   \n", False),
    ("    _paging = _rt.CursorPaging(\n"
     '        items="data", next_cursor="last_id", cursor_param="after", item_key="id"\n'
     "    )\n", True),
    ("    _paging = _rt.CursorPaging(\n"
     '        items="data", next_cursor="last_id"\n'
     "    )\n", False),  # fits joined
    ("    _paging = [\n"
     '        "data_and_a_long_enough_name", "last_id_and_a_long_enough_name", "after_it_ok"\n'
     "    ]\n", False),  # a display: black explodes it
    ("    x = (a, b,)\n", False),  # magic trailing comma
    ("    x = f(a,)\n", False),
    ("    x = (a,)\n", True),
    ("    x = {\n"
     '        "RealtimeTranscriptionSessionCreateResponseGA": '
     "RealtimeTranscriptionSessionCreateResponseGA.from_dict,\n"
     "    }\n", True),  # a long entry black cannot split
    ("    def f(self):\n"
     "        decoded._explicit_nulls = (\n"
     "            _rt.NO_NULLS\n"
     "            if (\n"
     '                (_v1 is not None or "agent" not in data) and (_v2 is not None or "type" not in data)\n'
     "            )\n"
     "            else _rt.null_keys(\n"
     '                data, ("line_item", "project_id", "api_key_id", "quantity", "quantity_unit")\n'
     "            )\n"
     "        )\n", True),  # a ternary's operand in its own parentheses, a call's arguments
    ("    def f(self):\n"
     "        decoded._explicit_nulls = (\n"
     "            _rt.NO_NULLS\n"
     "            if (\n"
     '                (_v1 is not None or "agent" not in data) and (_v2 is not None)\n'
     "            )\n"
     '            else _rt.null_keys(data, ("line_item", "project_id", "api_key_id", "quan"))\n'
     "        )\n", False),  # the condition fits joined to its parentheses
    ("    x: Annotated | None = _field(\n"
     '        default=None, metadata={"default": "a value long enough to need the split"}\n'
     "    )\n", True),
    ("    name_of_the_field: (\n"
     "        FirstVariantOfTheUnionWithALongName\n"
     "        | SecondVariantOfTheUnionWithALongName\n"
     "        | ThirdVariantOfTheUnionWithALongName\n"
     "        | None\n"
     "    ) = None\n", True),
    ("    name_of_the_field: (\n"
     "        FirstVariantOfTheUnionWithALongName | SecondVariantOfTheUnionWithALongName | None\n"
     "    ) = None\n", True),
    ("    name_of_the_field: (\n"
     "        FirstVariantOfTheUnion\n"
     "        | SecondVariantOfTheUnion\n"
     "        | None\n"
     "    ) = None\n", False),  # fits on one line
    ("    x = f(\n"
     "        aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, g(\n"
     "            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
     "        )\n"
     "    )\n", False),
    # strings holding brackets and commas (the scan empties them), magic trailing commas
    ('    x = f("a, b", ")", "(]")\n', True),
    ('    x = "]" + f(a)[0] + "[("\n', True),
    ("    x = [a, b,]\n", False),
    ('    x = {"a": (1,)}\n', True),  # a one-element tuple inside a display
    ("    x = f((1,), (2,))\n", True),
    ("    x = f(a)(b,)\n", False),  # a call's arguments, not a tuple
    ("    x = (1,)[0]\n", True),
    ("    x = ((1,),)\n", True),
    # the same line inside a docstring and outside: only outside is it code
    ('    """Doc\n    x = f(a,)\n    """\n\n    x = f(a,)\n', False),
    ('    """Doc\n    x = f(a,)\n    """\n\n    x = f(a)\n', True),
    # lines without commas or open brackets: outside brackets only their length counts
    ("    x = " + " + ".join(f"first_operand_{n}(y)" for n in range(5)) + "\n", False),
    ("    x = " + " + ".join(f"first_operand_{n}(y)" for n in range(3)) + "\n", True),
    ("    x = [\n        " + " + ".join(f"first_operand_{n}(y)" for n in range(5)) + "\n    ]\n",
     False),
]


@pytest.mark.parametrize("text,settled", UNITS, ids=range(len(UNITS)))
def test_unit_check(text: str, settled: bool) -> None:
    source = "class _:\n" + text
    formatted = black.format_str(source, mode=MODE)
    assert (formatted == source) == settled
    assert all(u.settled for u in split_units(source, 100, member_split_lines=0)) == settled


def _commas_by_walking(code: str) -> int:
    """`_top_level_commas` as a walk over the characters (what it was)."""
    depth = commas = 0
    for char in code:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return -1
        elif char == "," and depth == 0:
            commas += 1
    return commas if depth == 0 else -1


@pytest.mark.parametrize("code,commas", [
    ("", 0), ("a", 0), ("a, b", 1), ("a, b,", 2), ("f(a, b), c", 1), ("(a, [b, c], {d: e}), f, g", 2),
    (")(", -1), ("(", -1), (")", -1), ("a)", -1), ("(a", -1), ("((a,)", -1), ("(a,))", -1),
    ("([)]", 0),  # one kind of bracket, as far as balance goes
    ("x = (a,)", 0), ("x = (a,),", 1), ('f("", ""), ""', 1), ("f(a)(b, c)[d, e], g", 1),
    ("a, b) + (c, d", -1), ("{[()]}, {[()]}", 1), ("(((((((a, b)))))))", 0),
])
def test_top_level_commas(code: str, commas: int) -> None:
    assert layout._top_level_commas(code) == commas == _commas_by_walking(code)


def test_top_level_commas_agrees_with_walking_on_random_text() -> None:
    generator = random.Random(7)
    for _ in range(20_000):
        code = "".join(generator.choice("()[]{},a ") for _ in range(generator.randint(0, 12)))
        assert layout._top_level_commas(code) == _commas_by_walking(code), code


def test_docstrings_normalized_and_scanned_again() -> None:
    """Docstrings black rewrites (the text is scanned again, mostly lines scanned before) give
    black's bytes and units; a `\"\"\"` string that is not a docstring is left alone."""
    source = (
        'class A:\n'
        '    """  Padded, and ends in a quote"."""\n'
        '\n'
        '    x: int\n'
        '    """An attribute docstring, left as it is  """\n'
        '\n'
        '    def f(self):\n'
        '        """\n'
        '        Indented.\n'
        '            More.\n'
        '        """\n'
        '        return f(a, b)\n'
        '\n'
        '\n'
        'y = """  not a docstring  """\n'
    )
    expected = black.format_str(source, mode=MODE)
    normalized, units = layout.normalized_units(source, 100, member_split_lines=0)
    assert normalized == expected != source
    assert units is not None and all(unit.settled for unit in units)
    assert "".join(unit.before + unit.text for unit in units) == expected
    assert layout.normalized_units(expected, 100)[0] == expected  # nothing left to change


def test_scanning_from_the_line_cache_gives_what_scanning_afresh_gives(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are scanned once per text and state (in a string or not) and kept: the same text
    scanned from the kept lines and with the cache emptied at every scan gives the same units."""
    text = "".join(source for source, _ in UNITS) + UNITS[-2][0]
    source = "class _:\n" + text + "\n\nclass B:\n" + text
    kept = layout.normalized_units(source, 100, member_split_lines=0)
    monkeypatch.setattr(layout, "_SCANNED_LIMIT", -1)  # cleared before each scan
    afresh = layout.normalized_units(source, 100, member_split_lines=0)
    assert kept[0] == afresh[0]
    assert kept[1] is not None and kept[1] == afresh[1]


@pytest.mark.parametrize("line,code,in_string_after", [
    ('x = f("a, b", ")")\n', 'x = f("", "")', False),  # `"…"` strings only: one substitution
    ('x = "a" "b"\n', 'x = "" ""', False),
    ('x = "a""b"\n', 'x = """"', False),
    ('x = "(#"  # a comment\n', 'x = ""', False),  # a `#`: the tokenizer
    ("x = 'a'\n", "x = \0", False),  # black writes it with double quotes: unsettled
    ('x = "it\'s"\n', 'x = ""', False),
    ('x = "a\\"b"\n', 'x = ""', False),  # an escaped quote
    ('x = "unterminated\n', None, False),
    ('x = "a\\\n', None, False),
    ('    """Doc"""\n', '""', False),
    ('    """Doc\n', '""', True),
    ("plain(a, b)  \n", "plain(a, b)", False),
])
def test_scan_line(line: str, code: str | None, in_string_after: bool) -> None:
    scanned = layout._scan_line(line, False)
    if code is None:
        assert scanned is None
    else:
        assert scanned is not None and (scanned[0].code, scanned[1]) == (code, in_string_after)
