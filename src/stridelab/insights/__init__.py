"""The runner's history through a movement lens: stored activities in, an overview out.

Joins :mod:`stridelab.store` (what was imported) with :mod:`stridelab.analysis` (pure
maths): the runner's own cadence–speed curve, spring–mass estimates per run, training
load with plain-language flags, and shoe mileage and rotation.
"""

from stridelab.insights.overview import Overview, RunDynamics, build_overview, shoe_overview

__all__ = ["Overview", "RunDynamics", "build_overview", "shoe_overview"]
