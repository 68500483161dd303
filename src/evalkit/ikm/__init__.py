"""Community satisfaction index (IKM) by Permenpan RB No. 14 Tahun 2017.

One module per concern; everything public is importable from ``evalkit.ikm``:

========================  ==============================================================
``elements``              the nine elements (unsur) u1…u9, their names, the weights
``grades``                grade floors, mutu A–D, kinerja, the grade colours, half-up rounding
``tally``                 answer counts per group and element (one ``bincount`` pass)
``index``                 :func:`compute_ikm` (IKM per group) and :func:`ikm_elements` (NRR)
``distributed``           the same on a Dask frame: per-partition moments, tree reduction
``inference``             standard errors, the bootstrap check, changes between periods
``sample_size``           Krejcie & Morgan minimum sample against the service population
``profiles``              respondents and IKM per profile category (small cells suppressed)
``tables``                display tables of notebook 02
``figures``               the IKM figures
========================  ==============================================================

The respondent profile is harmonised when the survey is cleaned
(:func:`evalkit.ingest.harmonise_profile`), so ``skm.parquet`` holds one category list.

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"unit": ["A"] * 2, "period": ["2024Q1"] * 2,
...                         **{f"u{k}": [3, 3] for k in range(1, 10)}})
>>> compute_ikm(answers)[["unit", "ikm", "mutu", "kinerja"]]
  unit   ikm mutu      kinerja
0    A  75.0    C  Kurang baik
>>> grade(88.305), krejcie_morgan(1000)
('A', 278)

"""

from evalkit.ikm.elements import ELEMENTS, UNSUR, UNSUR_EN, WEIGHTS
from evalkit.ikm.figures import plot_element_heatmap, plot_ikm_by_unit, plot_ikm_trend
from evalkit.ikm.grades import (
    GRADE_COLORS,
    GRADE_FLOORS,
    GRADE_FLOORS_HUNDREDTHS,
    KINERJA,
    grade,
    kinerja,
    round_half_up,
)
from evalkit.ikm.distributed import compute_ikm_dask, ikm_elements_dask
from evalkit.ikm.index import compute_ikm, ikm_elements
from evalkit.ikm.inference import ikm_bootstrap, ikm_change, ikm_standard_error
from evalkit.ikm.profiles import PROFILES, profile_breakdown, profile_tables, stack_profiles
from evalkit.ikm.sample_size import krejcie_morgan, sample_adequacy, service_population
from evalkit.ikm.tables import element_trend, grade_counts, survey_overview, weight_comparison

__all__ = [
    "ELEMENTS", "GRADE_COLORS", "GRADE_FLOORS", "GRADE_FLOORS_HUNDREDTHS", "KINERJA",
    "PROFILES", "UNSUR", "UNSUR_EN", "WEIGHTS", "compute_ikm", "compute_ikm_dask",
    "element_trend", "grade",
    "grade_counts", "ikm_bootstrap", "ikm_change", "ikm_elements", "ikm_elements_dask",
    "ikm_standard_error",
    "kinerja", "krejcie_morgan", "plot_element_heatmap", "plot_ikm_by_unit", "plot_ikm_trend",
    "profile_breakdown", "profile_tables", "round_half_up", "sample_adequacy",
    "service_population", "stack_profiles", "survey_overview", "weight_comparison",
]
