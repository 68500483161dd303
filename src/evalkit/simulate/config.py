"""Sizes, rates and effect sizes of the simulated city (:class:`SimulationConfig`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SimulationConfig:
    """Sizes, fault rates and true effect sizes of a simulated city.

    Use a preset (:meth:`small`, :meth:`city`, :meth:`province`) and change single fields
    with :func:`dataclasses.replace`.

    Examples
    --------
    >>> import dataclasses
    >>> cfg = dataclasses.replace(SimulationConfig.small(), n_asn=300)
    >>> cfg.n_asn, cfg.n_quarters
    (300, 8)
    """

    # --- sizes ------------------------------------------------------------------------------
    n_units: int = 30                      #: perangkat daerah (first n of texts.UNITS)
    n_asn: int = 7000                      #: civil servants on the roster
    first_period: str = "2023Q1"           #: first quarter of the data
    n_quarters: int = 12                   #: number of quarters
    respondents_per_unit_quarter: float = 90.0  #: mean SKM responses per unit and quarter
    n_interviews: int = 40                 #: interview transcripts
    share_coded_interviews: float = 0.6    #: share of transcripts coded by two people
    share_pppk: float = 0.12               #: PPPK among ASN
    share_new_hires: float = 0.05          #: PNS appointed (TMT CPNS) inside the window
    # --- roll-out and mechanisms ----------------------------------------------------------
    cohort_quarters: tuple[int, ...] = (4, 6, 8, 10)  #: t of the roll-out waves
    share_never_treated: float = 0.3       #: units never reached by the training
    first_wave_share: float = 0.42         #: share of a unit's staff trained in its cohort quarter
    courses_per_year: float = 1.9          #: mean courses per ASN-year (besides the service course)
    motivation_uptake: float = 1.2         #: logit weight of motivation in service-course uptake
    motivation_courses: float = 0.35       #: log-rate weight of motivation in other courses
    motivation_skp: float = 0.55           #: weight of motivation in latent performance (sd 1)
    # --- true effects ---------------------------------------------------------------------
    effect_ikm_latent: float = 0.45        #: full effect on the latent answer scale, u6/u7
    effect_days_share: float = 0.18        #: full reduction of days to finish, share of baseline
    effect_complaints_log: float = 0.35    #: full reduction of complaint rate, log points
    mentoring_multiplier: float = 1.6      #: unit effect x this where mentoring follows
    difficulty_multiplier: float = 0.5     #: unit effect x this where application is hard
    effect_skp_latent: float = 0.35        #: individual effect on latent performance (sd units)
    effect_l3: float = 0.6                 #: individual effect on L3 application (1-5 scale)
    # --- row-level fault rates (at most one fault per row) ----------------------------------
    rate_nip_float: float = 0.004
    rate_nip_invalid: float = 0.002
    rate_nip_spaces: float = 0.01
    rate_date_invalid: float = 0.002
    rate_date_mixed_format: float = 0.01
    rate_training_end_before_start: float = 0.002
    rate_jp_out_of_range: float = 0.002
    rate_duplicate_response: float = 0.004
    rate_answer_out_of_range: float = 0.002
    rate_answer_unknown_label: float = 0.002
    rate_answer_blank: float = 0.01
    # --- file-level SKM variants (shares of units, or of files for label case) ------------
    share_units_semicolon: float = 0.2
    share_units_cp1252: float = 0.15
    share_units_q8_q9_swapped: float = 0.2
    share_units_alt_phrasing: float = 0.3
    share_files_label_case: float = 0.15

    def __post_init__(self) -> None:
        """Refuse settings that cannot make a staggered design, naming the field."""
        problems = []
        if self.n_units < 3:
            problems.append(f"n_units={self.n_units}: need at least 3 (treated and never treated)")
        if self.n_asn < 10 * self.n_units:
            problems.append(f"n_asn={self.n_asn}: need at least 10 per unit")
        if self.n_quarters < 2:
            problems.append(f"n_quarters={self.n_quarters}: need at least 2")
        bad = [c for c in self.cohort_quarters if not 2 <= c <= self.n_quarters]
        if not self.cohort_quarters or bad:
            problems.append(f"cohort_quarters={self.cohort_quarters}: each must lie in "
                            f"2..n_quarters ({self.n_quarters}) so that it has a pre-period")
        if not 0 < self.share_never_treated < 1:
            problems.append(f"share_never_treated={self.share_never_treated}: must be in (0, 1)")
        rates = {k: v for k, v in dataclasses.asdict(self).items()
                 if k.startswith(("rate_", "share_"))}
        problems += [f"{k}={v}: must be in [0, 1)" for k, v in rates.items() if not 0 <= v < 1]
        if problems:
            raise ValueError("SimulationConfig: " + "; ".join(problems) + ".")

    @classmethod
    def small(cls) -> SimulationConfig:
        """A small city for tests: 8 units, 600 ASN, 8 quarters, ~40 responses per cell.

        Fault rates are raised so that every kind occurs a few times.

        Examples
        --------
        >>> SimulationConfig.small().n_units
        8
        """
        return cls(n_units=8, n_asn=600, n_quarters=8, respondents_per_unit_quarter=40.0,
                   n_interviews=12, cohort_quarters=(3, 5, 7), share_never_treated=0.25,
                   rate_nip_float=0.02, rate_nip_invalid=0.01, rate_nip_spaces=0.03,
                   rate_date_invalid=0.01, rate_date_mixed_format=0.03,
                   rate_training_end_before_start=0.01, rate_jp_out_of_range=0.01,
                   rate_duplicate_response=0.01, rate_answer_out_of_range=0.01,
                   rate_answer_unknown_label=0.01, rate_answer_blank=0.02,
                   share_units_semicolon=0.25, share_units_cp1252=0.25,
                   share_units_q8_q9_swapped=0.25, share_units_alt_phrasing=0.25,
                   share_files_label_case=0.2)

    @classmethod
    def city(cls) -> SimulationConfig:
        """The bundled default: 30 Surakarta units, 7,000 ASN, 2023Q1-2025Q4.

        Examples
        --------
        >>> SimulationConfig.city().n_quarters
        12
        """
        return cls()

    @classmethod
    def province(cls) -> SimulationConfig:
        """A province-sized run for benchmarks: 30,000 ASN and about 1.1 million responses.

        Examples
        --------
        >>> SimulationConfig.province().respondents_per_unit_quarter
        3000.0
        """
        return cls(n_asn=30000, respondents_per_unit_quarter=3000.0)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (tuples as lists), as written in ``truth.json``.

        Examples
        --------
        >>> SimulationConfig.small().to_dict()["cohort_quarters"]
        [3, 5, 7]
        """
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(self).items()}
