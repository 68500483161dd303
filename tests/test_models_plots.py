"""Figures of estimates (evalkit.models.plots): what is drawn where, read back from the
matplotlib artists. Expected positions are the input numbers or means computed by hand;
the LaLonde figures get the real estimates of notebook 07."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from evalkit.models import (  # noqa: E402
    att_ipw,
    coefficient_plot,
    fit_ols,
    plot_balance_overlap,
    plot_estimates_with_benchmark,
    plot_event_comparison,
    plot_event_time,
    plot_subgroup_effects,
)
from evalkit.models.plots import SMD_BALANCED  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _errorbar_points(ax):
    """(x, y) of the markers of the first errorbar container of ``ax``."""
    line = ax.containers[0].lines[0]
    return line.get_xdata().tolist(), line.get_ydata().tolist()


@pytest.fixture()
def table():
    return pd.DataFrame({"outcome": ["y", "y", "z", "z"], "method": ["b", "a", "a", "b"],
                         "estimate": [2.0, 1.0, -1.0, -2.0], "ci_low": [1.5, 0.0, -1.5, -3.0],
                         "ci_high": [2.5, 2.0, -0.5, -1.0], "truth": [1.8, 1.8, np.nan, np.nan]})


def test_coefficient_plot_draws_methods_in_order_with_truth(table):
    fig = coefficient_plot(table, ["y", "z"], ["a", "b"], labels={"y": "outcome y"},
                           title="T")
    ax_y, ax_z = fig.axes
    assert _errorbar_points(ax_y) == ([1.0, 2.0], [0, 1])  # a then b, top to bottom
    assert [t.get_text() for t in ax_y.get_yticklabels()] == ["a", "b"]
    assert ax_y.get_title() == "outcome y" and ax_z.get_title() == "z"
    dashed = [line.get_xdata()[0] for line in ax_y.get_lines() if line.get_linestyle() == "--"]
    assert dashed == [1.8]  # the truth
    assert not [line for line in ax_z.get_lines() if line.get_linestyle() == "--"]  # none for z
    # error bars reach the interval: a's bar on y spans 0 to 2
    segments = ax_y.containers[0].lines[2][0].get_segments()
    assert segments[0][:, 0].tolist() == [0.0, 2.0]
    assert fig._suptitle.get_text() == "T"
    # tick labels by method when given
    fig = coefficient_plot(table, ["y"], ["a", "b"], method_labels={"b": "method b"})
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "method b"]


def test_event_comparison_draws_both_estimators_and_the_truth():
    cs = pd.DataFrame({"event_time": [-6, -1, 0], "estimate": [5.0, 0.1, 1.0],
                       "ci_low": [4.0, -0.1, 0.5], "ci_high": [6.0, 0.3, 1.5]})
    es = pd.DataFrame({"event_time": [-1, 0], "estimate": [0.0, 0.8],
                       "ci_low": [0.0, 0.2], "ci_high": [0.0, 1.4]})
    table = pd.DataFrame({"event_time": [-1, 0], "truth": [0.0, 1.1]})
    ax = plot_event_comparison(table, cs, es).axes[0]
    cs_x, cs_y = _errorbar_points(ax)
    assert cs_x == pytest.approx([-1.1, -0.1]) and cs_y == [0.1, 1.0]  # -6: outside table
    truth_line = [line for line in ax.get_lines() if line.get_label() == "truth (simulated)"]
    assert truth_line[0].get_ydata().tolist() == [0.0, 1.1]
    ax = plot_event_comparison(table, cs, es, labels=("CS", "ES"), truth_label="true").axes[0]
    assert ax.get_legend_handles_labels()[1] == ["true", "CS", "ES"]


def test_subgroup_plot_marks_the_truth_for_each_group():
    table = pd.DataFrame({"outcome": "ikm", "estimand": ["att_a", "att_b", "att_c"],
                          "estimate": [1.0, 2.0, 3.0], "ci_low": [0.0, 1.0, 2.0],
                          "ci_high": [2.0, 3.0, 4.0], "truth": [1.5, 2.5, 3.5]})
    ax = plot_subgroup_effects(table, ["att_b", "att_a"], labels={"att_a": "group a"}).axes[0]
    assert _errorbar_points(ax) == ([2.0, 1.0], [0, 1])
    assert ax.collections[-1].get_offsets().tolist() == [[2.5, 0], [1.5, 1]]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["att_b", "group a"]


def test_event_time_plot_takes_a_title_and_a_legend():
    dynamic = pd.DataFrame({"event_time": [-1, 0, 1], "estimate": [0.0, 1.0, 2.0],
                            "ci_low": [-0.5, 0.5, 1.5], "ci_high": [0.5, 1.5, 2.5]})
    ax = plot_event_time(dynamic, label="CS", title="mpdta", legend=True)
    assert ax.get_title() == "mpdta" and ax.get_legend().get_texts()[0].get_text() == "CS"
    assert plot_event_time(dynamic).get_legend() is None  # no legend unless asked


@pytest.fixture(scope="module")
def lalonde():
    """Notebook 07's LaLonde estimates: NSW experiment, CPS comparison, IPW (real data)."""
    from evalkit.validation import LALONDE_COVARIATES, lalonde_experiment, lalonde_observational

    observational = lalonde_observational()
    ipw = att_ipw(observational, "re78", "treat", LALONDE_COVARIATES)
    return lalonde_experiment(), observational, ipw


def test_estimates_with_benchmark_draws_each_interval_and_the_benchmark(lalonde):
    from evalkit.validation import LALONDE_BENCHMARK, benchmark_table

    nsw, observational, ipw = lalonde
    table = benchmark_table({"experiment": fit_ols("re78 ~ treat", nsw),
                             "naive": fit_ols("re78 ~ treat", observational), "ipw": ipw},
                            LALONDE_BENCHMARK)
    fig = plot_estimates_with_benchmark(table, LALONDE_BENCHMARK, "experiment $1,794",
                                        xlabel="effect on 1978 earnings")
    ax = fig.axes[0]
    xs, ys = _errorbar_points(ax)
    assert xs == pytest.approx(table["estimate"].tolist()) and ys == [0, 1, 2]
    # the interval of the experiment (1794 ± 1.96 · 671) spans its error bar
    segment = ax.containers[0].lines[2][0].get_segments()[0][:, 0]
    assert segment.tolist() == pytest.approx([table["ci_low"][0], table["ci_high"][0]])
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert dashed[0].get_xdata()[0] == LALONDE_BENCHMARK
    assert ax.get_legend_handles_labels()[1] == ["experiment $1,794"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["experiment", "naive", "ipw"]


def test_balance_overlap_orders_covariates_and_splits_the_scores(lalonde):
    _, observational, ipw = lalonde
    fig = plot_balance_overlap(ipw.balance, ipw.pscore, observational["treat"],
                               group_labels=("trainees", "controls"), title="LaLonde")
    left, right = fig.axes
    # covariates from the smallest to the largest |SMD| before weighting, bottom to top
    order = ipw.balance.assign(size=ipw.balance["smd_before"].abs()).sort_values("size")
    before, after = left.collections[:2]
    assert before.get_offsets()[:, 0].tolist() == pytest.approx(order["size"].tolist())
    assert after.get_offsets()[:, 0].tolist() == pytest.approx(
        order["smd_after"].abs().tolist())
    assert left.get_lines()[0].get_xdata()[0] == SMD_BALANCED
    # one histogram per group, densities over the same 25 bins on [0, 1]
    trainees, controls = right.containers
    assert len(trainees) == len(controls) == 25
    width = 1 / 25
    assert sum(bar.get_height() for bar in trainees) * width == pytest.approx(1.0)
    assert right.get_legend_handles_labels()[1] == ["trainees", "controls"]
    assert right.get_yscale() == "log" and fig._suptitle.get_text() == "LaLonde"
