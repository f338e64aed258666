"""Property-based tests of the generated decoders: bodies generated from each response schema
(hypothesis, tests/openapi_values.py) decode with the operation's own decoder and re-encode to
exactly the same JSON.

Every JSON response (success and documented errors) of every operation of the five providers,
and of the GET operations of the domain specs the Prism contract tests call. Runs are
derandomized, so CI sees the same examples every time; set HYPOTHESIS_PROFILE=explore for new
random ones.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from contract import DOMAIN_SPECS, PROVIDERS, Python, Target, import_package, plan
from generator import ir
from openapi_values import Unsupported

settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large])
settings.register_profile("explore", parent=settings.get_profile("ci"), derandomize=False,
                          max_examples=300)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
DOMAIN_EXAMPLES = 25  # per response schema of a domain spec (there are a few hundred)


def _cases() -> list[Any]:
    cases = []
    for target in PROVIDERS + DOMAIN_SPECS:
        for name, operation in plan(target).operations.items():
            op = operation.op
            if target.domain and op.method != "GET":
                continue
            for response in [op.success, *op.errors]:
                if (response is None or response.kind is not ir.ResponseKind.JSON
                        or response.type is None):
                    continue
                if response is not op.success and not response.status.isdigit():
                    continue
                cases.append(pytest.param(target, name, response.status,
                                          id=f"{target.name}-{name}-{response.status}"))
    return cases


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("decoder_properties")


@pytest.mark.parametrize(("target", "op_name", "status"), _cases())
def test_generated_bodies_decode_and_re_encode_unchanged(
    scratch: Path, target: Target, op_name: str, status: str
) -> None:
    the_plan = plan(target)
    op = the_plan.operations[op_name].op
    response = next(r for r in [op.success, *op.errors] if r is not None and r.status == status)
    try:
        strategy = the_plan.values.strategy(the_plan.response_schema(op, response))
    except Unsupported as exc:
        pytest.skip(f"schema not covered by the generator of test values: {exc}")
    py = Python(the_plan.api, import_package(target, scratch))
    is_success = response is op.success

    def decode(body: Any) -> Any:
        if is_success:
            return py.decode_success(op, body)
        return py.decode_error(op, status, body)

    profile = settings.get_profile(PROFILE)
    if target.domain:
        profile = settings(profile, max_examples=min(profile.max_examples, DOMAIN_EXAMPLES))

    @profile
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        body = data.draw(strategy, label="body")
        note(f"body: {json.dumps(body)}")
        decoded = decode(body)
        assert py.to_json(decoded) == body
        if hasattr(decoded, "to_dict"):
            assert type(decoded).from_dict(decoded.to_dict()) == decoded

    check()
