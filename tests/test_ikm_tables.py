"""Display tables of notebook 02 (evalkit.ikm.tables), on hand-made responses."""

import pandas as pd

from evalkit.ikm import (
    ELEMENTS,
    compute_ikm,
    element_trend,
    grade_counts,
    survey_overview,
    weight_comparison,
)


def responses(rows: list[list], unit: str, period: str) -> pd.DataFrame:
    answers = pd.DataFrame(rows, columns=list(ELEMENTS)).astype("Int8")
    ids = [f"{unit}-{period}-{i}" for i in range(len(rows))]
    return answers.assign(response_id=ids, unit=unit, period=period)


def test_survey_overview_counts_responses_units_and_blank_answers():
    # By hand: 2024Q1 has 3 responses in 2 units and blanks in 1 + 2 elements; 2024Q2 one
    # complete response.
    data = pd.concat([responses([[3] * 9, [None] + [3] * 8], "A", "2024Q1"),
                      responses([[None, None] + [4] * 7], "B", "2024Q1"),
                      responses([[2] * 9], "A", "2024Q2")], ignore_index=True)
    out = survey_overview(data)
    assert out.index.tolist() == ["2024Q1", "2024Q2"]
    assert out.to_dict("list") == {"responses": [3, 1], "units": [2, 1],
                                   "blank_answers": [3, 0]}


def test_grade_counts_per_period_with_the_sample_judgement():
    table = pd.DataFrame({
        "period": ["2024Q1"] * 3 + ["2024Q2"] * 2,
        "mutu": ["A", "B", "B", "C", "B"],
        "sample_adequate": pd.array([None, None, None, True, False], dtype="boolean")})
    out = grade_counts(table)
    # 2024Q1: nothing judged (no previous quarter); 2024Q2: one of two adequate
    assert out.to_dict("index") == {
        "2024Q1": {"A": 1, "B": 2, "C": 0, "sample_adequate": 0, "sample_judged": 0},
        "2024Q2": {"A": 0, "B": 1, "C": 1, "sample_adequate": 1, "sample_judged": 2}}


def test_weight_comparison_lists_only_grades_that_move_and_published_units():
    # DOMAIN.md §1: NRR 3.5324 everywhere → 88.31 A (1/9) but 88.22 B (0.111). Unit B has
    # all threes (75.00 C with 1/9, 74.93 C with 0.111) and stays out.
    mover = [[4] * 9] * 5324 + [[3] * 9] * 4676
    data = pd.concat([responses(mover, "A", "2024Q1"), responses([[3] * 9] * 6, "B", "2024Q1")],
                     ignore_index=True)
    exact = compute_ikm(data)
    out = weight_comparison(data, exact, "exact", min_cell_size=5)
    assert out.to_dict("records") == [{"unit": "A", "period": "2024Q1", "ikm_exact": 88.31,
                                       "mutu_exact": "A", "ikm_rounded": 88.22,
                                       "mutu_rounded": "B"}]
    # a unit-quarter under the publication minimum is not shown (A has 10,000 responses)
    assert weight_comparison(data, exact, "exact", min_cell_size=10_001).empty
    # computed the other way round, the columns follow the weight of the table
    rounded = compute_ikm(data, weight="rounded")
    back = weight_comparison(data, rounded, "rounded", min_cell_size=5)
    assert list(back.columns) == ["unit", "period", "ikm_rounded", "mutu_rounded", "ikm_exact",
                                  "mutu_exact"]
    assert back["unit"].tolist() == ["A"]


def test_element_trend_pivots_the_city_nrr_by_period():
    # By hand: u1 answers 2 and 4 in 2024Q1 (NRR 3), 4 in 2024Q2; other elements all 3.
    data = pd.concat([responses([[2] + [3] * 8, [4] + [3] * 8], "A", "2024Q1"),
                      responses([[4] + [3] * 8], "B", "2024Q2"),
                      responses([[1] * 9], "B", "2023Q4")], ignore_index=True)
    out = element_trend(data, ["2024Q1", "2024Q2"])
    assert list(out.columns) == ["2024Q1", "2024Q2"]
    assert out.index[0] == "u1 Persyaratan" and len(out) == 9
    assert out.loc["u1 Persyaratan"].tolist() == [3.0, 4.0]
    assert out.loc["u9 Sarana dan prasarana"].tolist() == [3.0, 3.0]
    assert element_trend(data, ["2024Q1"], lang="en").index[8] == "u9 Facilities"
