"""The pinned dependency set: numpy<2 with mediapipe 0.10.21 and its bundled pose model."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

import numpy as np


def test_numpy_is_below_2_for_mediapipe():
    assert int(np.__version__.split(".")[0]) == 1


def test_mediapipe_ships_the_blazepose_full_model_offline():
    assert importlib.metadata.version("mediapipe") == "0.10.21"
    spec = importlib.util.find_spec("mediapipe")
    assert spec is not None and spec.submodule_search_locations
    root = Path(next(iter(spec.submodule_search_locations)))
    model = root / "modules" / "pose_landmark" / "pose_landmark_full.tflite"
    assert model.is_file() and model.stat().st_size > 1_000_000


def test_importing_stridelab_has_no_side_effects(tmp_path, monkeypatch):
    import subprocess
    import sys

    import stridelab

    monkeypatch.setenv("PYTHONPATH", str(Path(stridelab.__file__).parents[1]))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    code = (
        "import stridelab, stridelab.watch, stridelab.store, stridelab.ingest, stridelab.cli.main"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)
    assert list(tmp_path.iterdir()) == []  # no folders, no database created at import
