"""The sine-wave spring–mass model of running (Morin et al. 2005).

From a runner's body mass, leg length, speed, ground contact time and cadence the model
estimates peak vertical ground reaction force, the downward displacement of the centre of
mass (CoM) during contact, and vertical and leg stiffness. All of these inputs are in a
watch file (``speed_m_s``, ``ground_contact_ms``, ``cadence_spm``) plus two numbers about
the athlete.

Source
------
Morin J-B, Dalleau G, Kyröläinen H, Jeannin T, Belli A (2005). A simple method for
measuring stiffness during running. *J Appl Biomech* 21:167–180.

Equations (t_c contact time and t_f flight time in s, m mass in kg, v speed in m/s,
L leg length in m, g = 9.81 m/s²):

- F_max = m g (π/2) (t_f/t_c + 1)                                  (eq. 4)
- Δy_c = F_max t_c² / (m π²) − g t_c² / 8   (positive downwards; the paper's eq. 7
  writes it with the opposite sign)
- k_vert = F_max / Δy_c
- ΔL = L − √(L² − (v t_c / 2)²) + Δy_c ;  k_leg = F_max / ΔL

Validation against force plates (Morin 2005): treadmill, 8 non-specialists at
3.33–6.67 m/s, k_vert 37.7 ± 8.8 kN/m and k_leg 10.37 ± 2.34 kN/m, estimates 0.12% (k_vert)
and 6.05% (k_leg) below the force plate. Contact time is the most sensitive input: 10%
shorter t_c gives about +20% k_vert and +25% k_leg.

Flight time comes from cadence as t_f = 60/cadence − t_c (the step period minus contact,
as Runalyze computes it). A negative value means both feet were on the ground at once
(walking); it is clipped to 0 and flagged, because the running model does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stridelab.errors import InputError

__all__ = [
    "GRAVITY_M_S2",
    "LEG_LENGTH_PER_HEIGHT",
    "SpringMass",
    "estimate_spring_mass",
    "leg_length_from_height_m",
]

#: Standard gravity used by the model, m/s².
GRAVITY_M_S2 = 9.81

#: Leg length (greater trochanter to ground, standing) as a share of body height.
#: Morin et al. 2005 report 0.53 × height with a 1.94% bias against measured leg length.
LEG_LENGTH_PER_HEIGHT = 0.53

FloatArray = npt.NDArray[np.float64]
FloatOrArray = float | FloatArray
BoolOrArray = bool | npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SpringMass:
    """Spring–mass estimates, one value per input sample (floats for scalar inputs).

    Attributes
    ----------
    flight_time_ms
        t_f = 60 000/cadence − t_c, clipped at 0.
    peak_force_bw
        Peak vertical ground reaction force in body weights, (π/2)(t_f/t_c + 1).
    peak_force_n
        Peak vertical ground reaction force, N.
    com_displacement_cm
        Downward CoM displacement from touchdown to mid-stance, Δy_c.
    vertical_stiffness_kn_m
        k_vert = F_max/Δy_c.
    leg_stiffness_kn_m
        k_leg = F_max/ΔL. ``NaN`` where half the contact length v t_c/2 is not shorter
        than the leg (no real leg compression).
    com_vertical_oscillation_mm
        Model peak-to-trough CoM oscillation Δy_c + g t_f²/8: the CoM falls Δy_c below
        touchdown height during contact and rises g t_f²/8 above it in flight. This is a
        derivation from the model's symmetry, not a number stated in the paper; a watch
        measures the torso, which typically moves a little more than the model CoM.
    walking
        ``True`` where 60/cadence − t_c was negative (double support: the running
        model does not apply).
    """

    flight_time_ms: FloatOrArray
    peak_force_bw: FloatOrArray
    peak_force_n: FloatOrArray
    com_displacement_cm: FloatOrArray
    vertical_stiffness_kn_m: FloatOrArray
    leg_stiffness_kn_m: FloatOrArray
    com_vertical_oscillation_mm: FloatOrArray
    walking: BoolOrArray


def _as_float_array(name: str, value: npt.ArrayLike) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a number or an array of numbers, got {value!r}") from exc
    return arr


def _require_positive(name: str, arr: FloatArray, unit: str) -> None:
    if arr.size == 0:
        raise InputError(f"{name} is empty; expected at least one value in {unit}")
    if not np.isfinite(arr).all() or (arr <= 0).any():
        bad = arr[~(np.isfinite(arr) & (arr > 0))].ravel()[0]
        raise InputError(f"{name} must be positive and finite (in {unit}), found {bad}")


def _require_non_negative(name: str, arr: FloatArray, unit: str) -> None:
    negative = np.isfinite(arr) & (arr < 0)
    if negative.any():
        raise InputError(
            f"{name} must not be negative (in {unit}), found {arr[negative].ravel()[0]}"
        )


def estimate_spring_mass(
    *,
    speed_m_s: npt.ArrayLike,
    contact_time_ms: npt.ArrayLike,
    cadence_spm: npt.ArrayLike,
    mass_kg: npt.ArrayLike,
    leg_length_m: npt.ArrayLike,
) -> SpringMass:
    """Estimate peak force, CoM displacement and stiffness with Morin's sine-wave model.

    Parameters
    ----------
    speed_m_s
        Running speed, m/s (scalar or array).
    contact_time_ms
        Ground contact time per step, ms (watch ``stance_time``).
    cadence_spm
        Steps per minute, both feet (not strides per minute).
    mass_kg
        Body mass, kg; must be positive.
    leg_length_m
        Leg length, m; must be positive. See :func:`leg_length_from_height_m`.

    Returns
    -------
    SpringMass
        Floats when every input is a scalar, otherwise arrays broadcast together.

    Raises
    ------
    InputError
        Mass or leg length not positive; negative speed, contact time or cadence;
        contact times that look like seconds; shapes that do not broadcast.

    Notes
    -----
    Per-sample values that are ``NaN``, or a contact time or cadence of 0 (standing
    still, no step detected), give ``NaN`` outputs instead of an error, so a whole run
    can be passed at once.

    References
    ----------
    Morin J-B et al. (2005) *J Appl Biomech* 21:167–180.
    """
    speed = _as_float_array("speed_m_s", speed_m_s)
    contact = _as_float_array("contact_time_ms", contact_time_ms)
    cadence = _as_float_array("cadence_spm", cadence_spm)
    mass = _as_float_array("mass_kg", mass_kg)
    leg = _as_float_array("leg_length_m", leg_length_m)

    _require_positive("mass_kg", mass, "kg")
    _require_positive("leg_length_m", leg, "m")
    _require_non_negative("speed_m_s", speed, "m/s")
    _require_non_negative("contact_time_ms", contact, "ms")
    _require_non_negative("cadence_spm", cadence, "steps/min")
    positive_contact = contact[np.isfinite(contact) & (contact > 0)]
    if positive_contact.size and float(np.max(positive_contact)) < 10.0:
        raise InputError(
            "contact_time_ms values are all below 10 ms; running contact times are "
            "about 150–350 ms. Were they given in seconds? Multiply by 1000."
        )
    try:
        speed, contact, cadence, mass, leg = np.broadcast_arrays(speed, contact, cadence, mass, leg)
    except ValueError as exc:
        raise InputError(f"input shapes do not broadcast together: {exc}") from exc
    scalar = speed.ndim == 0

    g = GRAVITY_M_S2
    with np.errstate(divide="ignore", invalid="ignore"):
        t_c = np.where(contact > 0, contact / 1000.0, np.nan)
        step_s = np.where(cadence > 0, 60.0 / cadence, np.nan)
        raw_flight_s = step_s - t_c
        walking = np.isfinite(raw_flight_s) & (raw_flight_s < 0)
        t_f = np.where(walking, 0.0, raw_flight_s)

        peak_bw = (np.pi / 2.0) * (t_f / t_c + 1.0)
        f_max = mass * g * peak_bw
        dy_c = f_max * t_c**2 / (mass * np.pi**2) - g * t_c**2 / 8.0
        k_vert = f_max / dy_c
        half_contact_m = speed * t_c / 2.0
        under_root = leg**2 - half_contact_m**2
        compression = np.where(
            under_root > 0, leg - np.sqrt(np.where(under_root > 0, under_root, 0.0)), np.nan
        )
        d_leg = compression + dy_c
        k_leg = f_max / d_leg
        vo_m = dy_c + g * t_f**2 / 8.0

    def out(x: FloatArray) -> FloatOrArray:
        return float(x) if scalar else np.asarray(x, dtype=np.float64)

    return SpringMass(
        flight_time_ms=out(t_f * 1000.0),
        peak_force_bw=out(peak_bw),
        peak_force_n=out(f_max),
        com_displacement_cm=out(dy_c * 100.0),
        vertical_stiffness_kn_m=out(k_vert / 1000.0),
        leg_stiffness_kn_m=out(k_leg / 1000.0),
        com_vertical_oscillation_mm=out(vo_m * 1000.0),
        walking=bool(walking) if scalar else np.asarray(walking, dtype=np.bool_),
    )


def leg_length_from_height_m(height_m: float) -> float:
    """Estimate leg length from standing height, 0.53 × height.

    Parameters
    ----------
    height_m
        Standing height in metres (not centimetres).

    Returns
    -------
    float
        Leg length, m.

    Raises
    ------
    InputError
        If the height is not between 0.5 and 2.6 m (e.g. given in centimetres).

    References
    ----------
    Morin J-B et al. (2005) *J Appl Biomech* 21:167–180 (0.53 × height, 1.94% bias
    against measured leg length).
    """
    h = float(height_m)
    if not np.isfinite(h) or not 0.5 <= h <= 2.6:
        hint = " Was it given in centimetres? Divide by 100." if 50 <= h <= 260 else ""
        raise InputError(f"height_m must be between 0.5 and 2.6 m, found {height_m}.{hint}")
    return LEG_LENGTH_PER_HEIGHT * h
