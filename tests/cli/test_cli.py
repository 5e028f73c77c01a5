"""The command line as a user meets it: exit codes, one-line errors, JSON keys, files."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stridelab.cli.main import main_entry
from stridelab.synthetic import write_synthetic_run
from tests.conftest import ACTIVITIES

SHOW_KEYS = {
    "sport",
    "start_utc",
    "start_local",
    "timezone_offset_min",
    "distance_km",
    "moving_time_s",
    "elapsed_time_s",
    "avg_speed_kmh",
    "avg_hr_bpm",
    "max_hr_bpm",
    "energy_kcal",
    "avg_cadence_spm",
    "avg_ground_contact_ms",
    "avg_vertical_oscillation_mm",
    "avg_vertical_ratio_pct",
    "avg_stance_balance_left_pct",
    "avg_step_length_mm",
    "avg_power_w",
    "pause_count",
    "creator",
    "source_file",
}


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STRIDELAB_DB", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args: str) -> tuple[int, str, str]:
        code = main_entry(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_show_json_has_the_documented_keys(cli):
    code, out, _ = cli(
        "activity", "show", str(ACTIVITIES / "runalyze/fit/Fenix-2-pauses.fit"), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) >= SHOW_KEYS
    assert data["start_local"] == "2014-10-02 16:46" and data["timezone_offset_min"] == 120
    assert data["pause_count"] == 6 and data["avg_cadence_spm"] == 186.0


def test_show_json_is_a_list_for_multisession_files(cli):
    code, out, _ = cli(
        "activity", "show", str(ACTIVITIES / "runalyze/fit/Multisession.fit"), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2


def test_import_then_list_show_export(cli, tmp_path):
    fit = tmp_path / "run.fit"
    run = write_synthetic_run(fit)
    code, out, _ = cli("import", str(fit))
    assert code == 0 and "imported" in out
    code, out, _ = cli("import", str(fit))
    assert code == 0  # already stored is not a failure
    code, out, _ = cli("activity", "list", "--json")
    (row,) = json.loads(out)
    assert row["distance_km"] == pytest.approx(run.truth.distance_m / 1000, abs=5e-4)
    code, out, _ = cli("activity", "show", str(row["id"]))
    assert code == 0 and "moving time" in out
    code, out, _ = cli("activity", "export", str(row["id"]), "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "timestamp_s" and "cadence_spm" in rows[0]
    assert len(rows) - 1 == run.truth.n_records


def test_import_of_nothing_usable_exits_non_zero_with_one_line_reasons(cli, tmp_path):
    bad = tmp_path / "bad.fit"
    bad.write_bytes(b"nonsense")
    code, out, err = cli("import", str(bad), str(tmp_path / "missing.gpx"))
    assert code == 1
    assert "bad.fit" in err and "Traceback" not in err + out


def test_errors_are_one_red_line_without_traceback(cli):
    code, _, err = cli("activity", "show", "no-such-thing")
    assert code == 1
    assert err.strip().startswith("error:") and len(err.strip().splitlines()) == 1
    code, _, err = cli("activity", "export", "4242")
    assert (code == 1 and "no records" in err) or "no activity" in err


def test_shoes_and_athlete_commands(cli, tmp_path):
    assert cli("athlete", "set", "--height-cm", "180", "--mass-kg", "72")[0] == 0
    assert cli("athlete", "set", "--mass-kg", "720")[0] == 1
    assert cli("shoes", "add", "Pegasus", "--default", "--start-km", "700")[0] == 0
    write_synthetic_run(tmp_path / "r.fit")
    assert cli("import", str(tmp_path / "r.fit"))[0] == 0
    code, out, _ = cli("shoes", "list")
    assert code == 0 and "Pegasus" in out and "past its" in out
    assert cli("shoes", "add", "Racer")[0] == 0
    assert cli("shoes", "assign", "Racer", "1")[0] == 0
    assert cli("shoes", "retire", "Pegasus")[0] == 0
    code, _, err = cli("shoes", "retire", "Nope")
    assert code == 1 and "no shoes named" in err


def test_analyze_json(cli):
    assert cli("import", str(ACTIVITIES / "runalyze/fit"))[0] == 0
    code, out, _ = cli("analyze", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["n_runs"] > 10
    assert data["cadence_curve"]["slope_spm_per_m_s"] > 0
    assert any(r["spring_mass"] for r in data["runs"])
    assert data["assumptions"]  # mass and height not set: said so


def test_demo_runs_end_to_end(cli, tmp_path):
    code, out, _ = cli("demo", "--workdir", str(tmp_path / "demo"))
    assert code == 0
    assert "cadence–speed curve" in out and "spring–mass" in out
    assert "volume up" in out  # the synthetic last week is a 70% jump
    code, out, _ = cli("demo", "--workdir", str(tmp_path / "demo"))
    assert code == 0 and "already stored" in out


def test_version_and_help(cli):
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("stridelab ")
    code, out, _ = cli("--help")
    assert code == 0 and "import" in out
