"""Tests of the Morin et al. 2005 spring–mass model.

Expected values are computed independently here with plain ``math`` from the paper's
equations; published ranges come from the paper's treadmill validation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from stridelab.analysis.spring_mass import estimate_spring_mass, leg_length_from_height_m
from stridelab.errors import InputError

G = 9.81


def _by_hand(m: float, v: float, tc: float, tf: float, leg: float) -> dict[str, float]:
    f_max = m * G * (math.pi / 2) * (tf / tc + 1)
    dy = f_max * tc**2 / (m * math.pi**2) - G * tc**2 / 8
    dl = leg - math.sqrt(leg**2 - (v * tc / 2) ** 2) + dy
    return {
        "peak_force_n": f_max,
        "peak_force_bw": f_max / (m * G),
        "com_displacement_cm": dy * 100,
        "vertical_stiffness_kn_m": f_max / dy / 1000,
        "leg_stiffness_kn_m": f_max / dl / 1000,
        "com_vertical_oscillation_mm": (dy + G * tf**2 / 8) * 1000,
    }


def _cadence(tc: float, tf: float) -> float:
    """Steps/min whose step period is contact + flight."""
    return 60.0 / (tc + tf)


def test_matches_hand_computed_example() -> None:
    # m = 70 kg, v = 4 m/s, t_c = 0.22 s, t_f = 0.13 s, L = 0.95 m
    out = estimate_spring_mass(
        speed_m_s=4.0,
        contact_time_ms=220.0,
        cadence_spm=_cadence(0.22, 0.13),
        mass_kg=70.0,
        leg_length_m=0.95,
    )
    expected = _by_hand(70.0, 4.0, 0.22, 0.13, 0.95)
    for name, value in expected.items():
        assert getattr(out, name) == pytest.approx(value, rel=1e-9), name
    assert out.flight_time_ms == pytest.approx(130.0)
    assert out.walking is False
    # sanity of the magnitudes: about 2.5 BW, about 6.1 cm, 28 and 10 kN/m
    assert out.peak_force_bw == pytest.approx(2.499, abs=1e-3)
    assert out.com_displacement_cm == pytest.approx(6.087, abs=1e-3)
    assert out.vertical_stiffness_kn_m == pytest.approx(28.19, abs=0.01)
    assert out.leg_stiffness_kn_m == pytest.approx(10.16, abs=0.01)


def test_typical_inputs_fall_in_published_treadmill_range() -> None:
    # Morin 2005 treadmill non-specialists (3.33–6.67 m/s): k_vert 37.7 ± 8.8 kN/m,
    # k_leg 10.37 ± 2.34 kN/m; typical inputs must land inside mean ± 2 SD.
    out = estimate_spring_mass(
        speed_m_s=4.5,
        contact_time_ms=200.0,
        cadence_spm=_cadence(0.20, 0.12),
        mass_kg=70.0,
        leg_length_m=0.95,
    )
    assert 37.7 - 2 * 8.8 <= out.vertical_stiffness_kn_m <= 37.7 + 2 * 8.8
    assert 10.37 - 2 * 2.34 <= out.leg_stiffness_kn_m <= 10.37 + 2 * 2.34


def test_contact_time_sensitivity_as_reported() -> None:
    # Morin 2005: 10% shorter t_c (other inputs, incl. t_f, unchanged) gives about
    # +20% k_vert and +25% k_leg.
    base = estimate_spring_mass(
        speed_m_s=4.5,
        contact_time_ms=200.0,
        cadence_spm=_cadence(0.20, 0.12),
        mass_kg=70.0,
        leg_length_m=0.95,
    )
    short = estimate_spring_mass(
        speed_m_s=4.5,
        contact_time_ms=180.0,
        cadence_spm=_cadence(0.18, 0.12),
        mass_kg=70.0,
        leg_length_m=0.95,
    )
    kv_gain = short.vertical_stiffness_kn_m / base.vertical_stiffness_kn_m - 1
    kl_gain = short.leg_stiffness_kn_m / base.leg_stiffness_kn_m - 1
    assert 0.15 <= kv_gain <= 0.30
    assert 0.15 <= kl_gain <= 0.30
    assert kl_gain > kv_gain


def test_arrays_broadcast_and_propagate_missing_samples() -> None:
    out = estimate_spring_mass(
        speed_m_s=np.array([3.5, 4.0, np.nan, 3.0]),
        contact_time_ms=np.array([230.0, 220.0, 240.0, 0.0]),
        cadence_spm=np.array([166.0, _cadence(0.22, 0.13), 170.0, 160.0]),
        mass_kg=70.0,
        leg_length_m=0.95,
    )
    assert isinstance(out.vertical_stiffness_kn_m, np.ndarray)
    assert out.vertical_stiffness_kn_m.shape == (4,)
    expected = _by_hand(70.0, 4.0, 0.22, 0.13, 0.95)
    assert np.asarray(out.leg_stiffness_kn_m)[1] == pytest.approx(expected["leg_stiffness_kn_m"])
    # no speed: vertical quantities still defined, leg stiffness is not
    assert np.isfinite(np.asarray(out.vertical_stiffness_kn_m)[2])
    assert np.isnan(np.asarray(out.leg_stiffness_kn_m)[2])
    # zero contact time (standing): NaN, no error
    assert np.isnan(np.asarray(out.peak_force_n)[3])


def test_negative_flight_time_is_clipped_and_flagged_as_walking() -> None:
    # 120 steps/min = 500 ms per step, 600 ms contact: double support
    out = estimate_spring_mass(
        speed_m_s=1.4, contact_time_ms=600.0, cadence_spm=120.0, mass_kg=70.0, leg_length_m=0.9
    )
    assert out.walking is True
    assert out.flight_time_ms == 0.0
    assert out.peak_force_bw == pytest.approx(math.pi / 2)


def test_model_vertical_oscillation_exceeds_contact_displacement() -> None:
    out = estimate_spring_mass(
        speed_m_s=3.5, contact_time_ms=227.0, cadence_spm=166.0, mass_kg=70.0, leg_length_m=0.94
    )
    flight_s = 60 / 166 - 0.227
    assert out.com_vertical_oscillation_mm == pytest.approx(
        out.com_displacement_cm * 10 + G * flight_s**2 / 8 * 1000
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mass_kg": -70.0}, "mass_kg"),
        ({"mass_kg": 0.0}, "mass_kg"),
        ({"leg_length_m": 0.0}, "leg_length_m"),
        ({"speed_m_s": -1.0}, "speed_m_s"),
        ({"contact_time_ms": -200.0}, "contact_time_ms"),
        ({"contact_time_ms": 0.22}, "seconds"),
        ({"cadence_spm": -170.0}, "cadence_spm"),
        ({"speed_m_s": np.ones(3), "contact_time_ms": np.full(2, 220.0)}, "broadcast"),
    ],
)
def test_invalid_inputs_raise(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "speed_m_s": 4.0,
        "contact_time_ms": 220.0,
        "cadence_spm": 170.0,
        "mass_kg": 70.0,
        "leg_length_m": 0.95,
    }
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        estimate_spring_mass(**args)  # type: ignore[arg-type]


def test_leg_length_from_height() -> None:
    assert leg_length_from_height_m(1.78) == pytest.approx(0.53 * 1.78)


@pytest.mark.parametrize(
    ("height", "match"), [(178.0, "centimetres"), (0.0, "between"), (float("nan"), "between")]
)
def test_leg_length_rejects_implausible_heights(height: float, match: str) -> None:
    with pytest.raises(InputError, match=match):
        leg_length_from_height_m(height)
