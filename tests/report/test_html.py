"""The HTML report: offline, escaped, in the promised order, with snapshots."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from stridelab.gait.result import MetricSummary
from stridelab.report import render_summary_text, write_html_report
from tests.report import INJECTION, make_analysis, make_track, write_clip


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    d = tmp_path_factory.mktemp("report")
    clip = write_clip(d / "clip.mp4")
    path = write_html_report(
        make_analysis(),
        d / "out",
        video_path=clip,
        track=make_track(),
        annotated_video_name="annotated.mp4",
    )
    return path, path.read_text(encoding="utf-8")


def test_report_is_written_with_offline_plotly(report):
    path, html = report
    assert path.name == "report.html" and path.is_file()
    assert (path.parent / "plotly.min.js").stat().st_size > 1_000_000
    assert "cdn.plot.ly" not in html
    srcs = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"", html)
    assert srcs == ["plotly.min.js"]
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "Plotly.newPlot" in html


def test_sections_come_in_order(report):
    _, html = report
    order = ['id="summary"', 'id="metrics"', 'id="video"', 'id="plots"', 'id="snapshots"']
    order += ['id="steps"', 'id="quality"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert html.index(render_summary_text(make_analysis())[:40]) < html.index("<table")


def test_data_is_escaped(report):
    _, html = report
    assert INJECTION not in html
    assert "&lt;script&gt;alert(" in html
    # plot JSON is HTML-safe too: no raw "</script" from data can close the script early
    assert html.count("</script>") == 2


def test_withheld_reason_and_excluded_steps_are_shown(report):
    _, html = report
    assert "no scale: the runner&#39;s height is unknown" in html
    assert 'class="excluded"' in html
    assert "foot hidden behind the other leg" in html
    assert '<video controls preload="metadata" src="annotated.mp4">' in html


def test_snapshots_are_written_and_linked(report):
    path, html = report
    names = sorted(p.name for p in path.parent.glob("snapshot_*.jpg"))
    expected = sorted(f"snapshot_{f}_{e}.jpg" for f in ("left", "right") for e in ("ic", "to"))
    assert names == expected
    for name in names:
        data = (path.parent / name).read_bytes()
        assert data[:2] == b"\xff\xd8" and len(data) > 1000
        assert f'src="{name}"' in html


def test_without_video_there_are_no_snapshots_or_video(tmp_path):
    path = write_html_report(make_analysis(), tmp_path)
    html = path.read_text(encoding="utf-8")
    assert 'id="snapshots"' not in html and "<video" not in html
    assert not list(tmp_path.glob("snapshot_*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plotly.min.js", "report.html"]


def test_summary_is_plain_and_individual():
    text = render_summary_text(make_analysis())
    n_sentences = len(re.findall(r"[.!?](\s|$)", text))
    assert 3 <= n_sentences <= 6
    assert "172 steps/min" in text
    assert "180" not in text
    assert "ahead of your hip" in text
    assert "Heiderscheit 2011" in text and "17.8" in text
    assert "rearfoot" in text and "trunk leaned 6° forward" in text
    assert "Not reported" in text and "no scale" in text


def test_summary_with_everything_withheld_still_says_why():
    analysis = make_analysis()
    withheld = {
        k: dataclasses.replace(m, quality="withheld", reason="too few steps")
        for k, m in analysis.metrics.items()
    }
    text = render_summary_text(dataclasses.replace(analysis, metrics=withheld))
    assert text.startswith("No gait metric could be reported")
    assert "too few steps" in text and "more (see the cards)" in text


def test_unknown_metric_and_missing_cycle_render(tmp_path):
    analysis = make_analysis()
    metrics = {**analysis.metrics, "new_metric": MetricSummary("new_metric", "cm", 3.0, "good")}
    analysis = dataclasses.replace(analysis, metrics=metrics, cycle=None, steps=())
    html = write_html_report(analysis, tmp_path).read_text(encoding="utf-8")
    assert "New metric" in html and 'id="plots"' not in html
