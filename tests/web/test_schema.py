"""Property-based API tests: schemathesis drives every operation in the app's own
OpenAPI document with generated valid and invalid requests; none may cause a server
error (5xx).

The operations are walked in the test itself (schemathesis' own pytest plugin does not
run under this pytest version)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from stridelab.web import create_app
from tests.web.conftest import make_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error

EXAMPLES_PER_OPERATION = 12


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(tmp_path: Path, mode: GenerationMode) -> None:
    app = create_app(make_settings(tmp_path, max_upload_bytes=64 * 1024, max_pending_jobs=500))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {(op.method.upper(), op.path) for op in operations}
    assert ("POST", "/api/uploads") in paths and ("GET", "/api/jobs/{job_id}") in paths
    assert len(paths) >= 12
    calls = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(checks=[not_a_server_error])

        try:
            run()
        except Unsatisfiable:
            # an operation without parameters or body has no invalid form to send
            assert mode == GenerationMode.NEGATIVE
            assert not operation.query and not operation.path_parameters and not operation.body
    assert calls >= len(operations)
    assert app.state.jobs.wait_idle(60)
    app.state.jobs.shutdown()
    app.state.db.dispose()
