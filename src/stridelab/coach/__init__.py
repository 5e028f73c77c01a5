"""Coach deliberate practice: findings, the exercise library, plans and progress.

In: everything stored for an athlete (video gait analyses, runs, jump and mobility
tests, shoes) and a :class:`PlanRequest` (goal, race date, run days, minutes per week,
equipment, weeks, start date). Out: :class:`Finding` objects (what was seen, how sure,
why it matters, which movement pattern), a :class:`Plan` of dated sessions whose items
each answer a finding or a named rule (JSON, Markdown, HTML, iCalendar), and
:class:`Progress` (trends across re-tests with the minimal detectable change marked).
"""

from stridelab.coach.export import plan_to_html, plan_to_ics, plan_to_markdown
from stridelab.coach.findings import Finding, collect_evidence, find_findings
from stridelab.coach.library import Exercise, LibraryError, load_library, validate_library
from stridelab.coach.plan import Plan, PlanRequest, build_plan, build_plan_from
from stridelab.coach.progress import Progress, progress

__all__ = [
    "Exercise",
    "Finding",
    "LibraryError",
    "Plan",
    "PlanRequest",
    "Progress",
    "build_plan",
    "build_plan_from",
    "collect_evidence",
    "find_findings",
    "load_library",
    "plan_to_html",
    "plan_to_ics",
    "plan_to_markdown",
    "progress",
    "validate_library",
]
