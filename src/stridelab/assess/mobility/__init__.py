"""Mobility and stability self-tests measured by camera.

In: a photo (JPEG/PNG) or a short video of one test, or keypoints already at hand.
Out: a :class:`MobilityResult` (``to_dict()`` is stored with schema
``stridelab.mobility/1``): the primary value, the published norm or cut-off with its
source and population, the test's minimal detectable change, quality flags and
per-rep detail. :data:`TESTS` is the catalogue (set-up, camera, what counts, sources);
:func:`mobility_symmetry` and :func:`compare_with_baseline` work over stored results;
:func:`record_test` measures a file and stores it (what the CLI runs).
"""

from stridelab.assess.mobility.catalogue import SCHEMA, TESTS, NormRef, TestInfo, resolve_test
from stridelab.assess.mobility.dynamic import (
    measure_balance,
    measure_calf_raise,
    measure_plank,
    measure_single_leg_squat,
)
from stridelab.assess.mobility.measure import (
    WrongTestError,
    measure_ankle_dorsiflexion,
    measure_big_toe,
    measure_hip_extension,
)
from stridelab.assess.mobility.record import RecordedTest, record_test
from stridelab.assess.mobility.result import MobilityResult, norm_status
from stridelab.assess.mobility.run import measure_track, parse_points, run_test
from stridelab.assess.mobility.symmetry import compare_with_baseline, mobility_symmetry

__all__ = [
    "SCHEMA",
    "TESTS",
    "MobilityResult",
    "NormRef",
    "RecordedTest",
    "TestInfo",
    "WrongTestError",
    "compare_with_baseline",
    "measure_ankle_dorsiflexion",
    "measure_balance",
    "measure_big_toe",
    "measure_calf_raise",
    "measure_hip_extension",
    "measure_plank",
    "measure_single_leg_squat",
    "measure_track",
    "mobility_symmetry",
    "norm_status",
    "parse_points",
    "record_test",
    "resolve_test",
    "run_test",
]
