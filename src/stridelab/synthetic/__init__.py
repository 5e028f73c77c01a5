"""Exactly known sample data.

In: a :class:`SyntheticRunSpec` (session shape, pause, runner's cadence–speed,
contact-time and oscillation lines, heart-rate response, seed). Out: a
:class:`SyntheticRun` holding a real FIT activity file (``fit_bytes``, written with
Garmin's official encoder) and its :class:`SyntheticTruth`, the values exactly as
stored in the file, per record and per lap, so readers and analyses can be tested
against known answers.
"""

from stridelab.synthetic.fit_run import (
    SyntheticLapTruth,
    SyntheticRun,
    SyntheticRunSpec,
    SyntheticTruth,
    synthetic_run,
    write_synthetic_run,
)

__all__ = [
    "SyntheticLapTruth",
    "SyntheticRun",
    "SyntheticRunSpec",
    "SyntheticTruth",
    "synthetic_run",
    "write_synthetic_run",
]
