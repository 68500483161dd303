"""Period arithmetic (evalkit.periods) on values worked by hand from the calendar.

A quarter is three months, a semester six (S1 = January–June, S2 = July–December), a year
twelve; shifting past the last period of a year moves into the next year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit import periods


@pytest.mark.parametrize(("values", "expected"), [
    (["2024Q1", "2023Q4", None], "quarter"), (["2024S2"], "semester"),
    (["2024", "2025"], "year"), ([], "quarter")])
def test_granularity_is_detected(values, expected):
    assert periods.granularity_of(pd.Series(values, dtype="str")) == expected


def test_a_mix_of_granularities_is_refused_naming_the_values():
    with pytest.raises(ValueError, match=r"quarter \(e.g. 2024Q1\), semester \(e.g. 2024S1\)"):
        periods.granularity_of(pd.Series(["2024Q1", "2024S1", "2024Q2"]))
    with pytest.raises(ValueError, match="not a period: 2024-07"):
        periods.granularity_of(pd.Series(["2024Q1", "2024-07"]))


def test_shift_crosses_the_year():
    # 2024S2 + 1 = 2025S1; 2024Q4 + 1 = 2025Q1; 2024Q1 − 1 = 2023Q4; 2024 + 1 = 2025
    assert periods.shift(pd.Series(["2024S2"]), 1).tolist() == ["2025S1"]
    assert periods.shift(pd.Series(["2024Q4", "2024Q1"]), 1).tolist() == ["2025Q1", "2024Q2"]
    assert periods.shift(pd.Series(["2024Q1"]), -1).tolist() == ["2023Q4"]
    assert periods.shift(pd.Series(["2024"]), 1).tolist() == ["2025"]
    # five semesters after 2024S1: 2024S2, 2025S1, 2025S2, 2026S1, 2026S2
    assert periods.shift(pd.Series(["2024S1"]), 5).tolist() == ["2026S2"]


def test_shift_keeps_index_and_missing():
    out = periods.shift(pd.Series(["2024S1", None], index=[7, 9]), 1)
    assert out.index.tolist() == [7, 9] and out[7] == "2024S2" and pd.isna(out[9])


def test_quarter_ordinals_agree_with_pandas():
    # the quarters' ordinals differ from pandas' Period ordinals by a constant (1970 × 4)
    quarters = pd.period_range("2019Q3", "2026Q2", freq="Q")
    ours = periods.ordinal(pd.Series(quarters.strftime("%YQ%q")))
    assert np.array_equal(ours - quarters.asi8, np.full(len(quarters), 1970 * 4))


def test_period_range_by_hand():
    assert periods.period_range("2023S2", "2025S1") == ["2023S2", "2024S1", "2024S2",
                                                         "2025S1"]
    assert periods.period_range("2024Q4", "2025Q1") == ["2024Q4", "2025Q1"]
    assert periods.period_range("2022", "2024") == ["2022", "2023", "2024"]
    with pytest.raises(ValueError, match="mix"):
        periods.period_range("2024Q1", "2024S2")


def test_period_of_dates_at_the_boundaries():
    dates = pd.Series(pd.to_datetime(["2024-06-30", "2024-07-01", "2024-03-31",
                                      "2024-04-01", "2024-12-31", None]))
    assert periods.period_of(dates, "semester").tolist()[:5] == [
        "2024S1", "2024S2", "2024S1", "2024S1", "2024S2"]
    assert periods.period_of(dates, "quarter").tolist()[:5] == [
        "2024Q2", "2024Q3", "2024Q1", "2024Q2", "2024Q4"]
    assert periods.period_of(dates, "year").tolist()[:5] == ["2024"] * 5
    assert pd.isna(periods.period_of(dates)).tolist() == [False] * 5 + [True]
    with pytest.raises(ValueError, match="month"):
        periods.period_of(dates, "month")


def test_quarters_coarsen_into_semesters_and_years():
    # 2024Q4 lies in S2, 2024Q2 in S1; semesters lie in their year
    assert periods.coarsen(pd.Series(["2024Q4", "2024Q2", "2024Q3"]), "semester").tolist() == [
        "2024S2", "2024S1", "2024S2"]
    assert periods.coarsen(pd.Series(["2024S2"]), "year").tolist() == ["2024"]
    with pytest.raises(ValueError, match="finer"):
        periods.coarsen(pd.Series(["2024"]), "quarter")


def test_calendar_span_of_a_period():
    span = pd.Series(["2024S1", "2024S2", "2024Q1", "2024", "2023Q4"])
    assert periods.period_start(span).dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01", "2024-07-01", "2024-01-01", "2024-01-01", "2023-10-01"]
    # 2024 is a leap year: Q1 ends on 31 March, S1 on 30 June
    assert periods.period_end(span).dt.strftime("%Y-%m-%d").tolist() == [
        "2024-06-30", "2024-12-31", "2024-03-31", "2024-12-31", "2023-12-31"]


def test_months_of_kinerja_fall_into_periods():
    months = pd.DataFrame({"bulan": ["2024-06", "2024-07", "2025-01"],
                           "period": ["2024Q2", "2024Q3", "2025Q1"]})
    assert periods.in_granularity(months, "semester").tolist() == ["2024S1", "2024S2",
                                                                   "2025S1"]
    assert periods.in_granularity(months, "quarter").tolist() == ["2024Q2", "2024Q3",
                                                                  "2025Q1"]
    assert periods.in_granularity(months[["bulan"]], "year").tolist() == ["2024", "2024",
                                                                          "2025"]
    assert periods.period_of_month(months["bulan"], "quarter").tolist() == [
        "2024Q2", "2024Q3", "2025Q1"]


def test_year_start_is_the_first_period_of_the_year():
    first = periods.year_start([2024], "semester")
    assert periods.from_ordinal(first, "semester").tolist() == ["2024S1"]
    assert periods.from_ordinal(periods.year_start([2023], "quarter"), "quarter").tolist() == [
        "2023Q1"]
