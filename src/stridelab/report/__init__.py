"""What a runner looks at: the annotated video and the HTML report.

In: a :class:`~stridelab.gait.result.GaitAnalysis`, and optionally the source clip and
its :class:`~stridelab.video.keypoints.PoseTrack`.
Out: an H.264 MP4 with skeleton, foot contacts and live metrics
(:func:`write_annotated_video`), and an offline ``report.html`` with summary, metric
cards, plots, snapshots and the per-step table (:func:`write_html_report`);
:func:`render_summary_text` gives the plain-language summary alone.
"""

from stridelab.report.annotate import write_annotated_video
from stridelab.report.html import render_summary_text, write_html_report

__all__ = [
    "render_summary_text",
    "write_annotated_video",
    "write_html_report",
]
