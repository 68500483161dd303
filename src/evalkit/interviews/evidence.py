"""Evidence from the coding: frequencies, co-occurrence, quotes, the link to the numbers.

Published tables pass through :func:`evalkit.privacy.suppress_small_cells`; quotes through
:func:`evalkit.privacy.redact`.

Examples
--------
>>> import pandas as pd
>>> c = pd.DataFrame({"kode_informan": ["a"] * 2, "segmen": [1, 1], "tema": ["x", "y"],
...                   "otomatis": [1, 1]})
>>> int(cooccurrence(c).loc["x", "y"])
1

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# The difficulty subgroups are notebook 04's; their one definition lives with its study
# (re-exported here for notebook 05 and ``evalkit.interviews.difficulty_groups``).
from evalkit.effects import difficulty_groups, subgroup_estimand
from evalkit.interviews.codebook import Codebook
from evalkit.interviews.coding import code_texts
from evalkit.labels import Lang, label
from evalkit.privacy import redact, suppress_small_cells
from evalkit.training import application_summary

#: The code of a unit not named beside a quote (fewer informants than the minimum cell).
OTHER_UNIT = "unit_lain"


def _frequency_table(coded: pd.DataFrame, person: str, value: str, dims: Sequence[str],
                     min_cell_size: int) -> pd.DataFrame:
    """Shares of persons with a theme, overall and by each of ``dims`` (long format)."""
    # A person has the theme when any of their texts has it.
    per_person = coded.groupby([person, *dims, "tema"], sort=False, dropna=False)[value].max()
    per_person = per_person.reset_index()
    frames = []
    for dim in [None, *dims]:  # one pass per dimension (a handful), vectorised inside
        keys = ["tema"] if dim is None else [dim, "tema"]
        grouped = per_person.groupby(keys, sort=True, dropna=False)[value]
        table = pd.DataFrame({"n_orang": grouped.size(), "n_orang_tema": grouped.sum()})
        table = table.reset_index()
        table.insert(0, "kelompok", "Semua" if dim is None else table.pop(dim).astype("str"))
        table.insert(0, "dimensi", "semua" if dim is None else dim)
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    out["proporsi"] = out["n_orang_tema"] / out["n_orang"]
    # The group size is blanked too: a count of 1–4 people is itself a small cell. The groups
    # of one dimension add up to the "Semua" row, so one blanked group would be that total
    # minus the others: a second one is blanked with it (complementary suppression).
    return suppress_small_cells(out, "n_orang", min_n=min_cell_size,
                                value_cols=["n_orang", "n_orang_tema", "proporsi"],
                                partition=["dimensi", "tema"])


def theme_frequencies(coded: pd.DataFrame,
                      by: Sequence[str] = ("unit", "nama_pelatihan", "jenis_jabatan"),
                      min_cell_size: int = 5, labels: dict[str, str] | None = None,
                      ) -> pd.DataFrame:
    """Share of informants who raise each theme, overall and by unit, training and position.

    Parameters
    ----------
    coded : pandas.DataFrame
        Output of :func:`code_segments`.
    by : sequence of str
        Grouping columns of ``coded``; each gives its own block of rows.
    min_cell_size : int, default 5
        Groups of fewer informants are suppressed (:func:`evalkit.privacy.suppress_small_cells`).
    labels : dict, optional
        Theme key → label, added as column ``label``.

    Returns
    -------
    pandas.DataFrame
        ``dimensi`` ("semua" or a column of ``by``), ``kelompok``, ``tema``, ``n_informan``,
        ``n_informan_tema``, ``proporsi`` (of informants), ``suppressed``; sorted.

    Examples
    --------
    >>> c = pd.DataFrame({"kode_informan": list("abcde"), "unit": ["A"] * 5,
    ...                   "tema": ["beban_kerja"] * 5, "otomatis": [1, 1, 0, 0, 0]})
    >>> theme_frequencies(c, by=("unit",))["proporsi"].tolist()
    [0.4, 0.4]

    """
    out = _frequency_table(coded, "kode_informan", "otomatis", list(by), min_cell_size)
    out = out.rename(columns={"n_orang": "n_informan", "n_orang_tema": "n_informan_tema"})
    if labels is not None:
        out.insert(3, "label", out["tema"].map(labels))
    return out.reset_index(drop=True)


def cooccurrence(coded: pd.DataFrame, level: str = "segmen",
                 themes: Sequence[str] | None = None) -> pd.DataFrame:
    """Theme × theme counts of segments (or informants) where both themes are coded.

    The diagonal holds how often each theme occurs at all.

    Parameters
    ----------
    coded : pandas.DataFrame
        Output of :func:`code_segments`.
    level : {"segmen", "informan"}
        Count segments, or informants (a theme counted once per informant).
    themes : sequence of str, optional
        Row and column order (default: order of appearance in ``coded``).

    Returns
    -------
    pandas.DataFrame
        Square, integer.

    Examples
    --------
    >>> c = pd.DataFrame({"kode_informan": ["a"] * 4, "segmen": [1, 1, 2, 2],
    ...     "tema": ["x", "y"] * 2, "otomatis": [1, 1, 1, 0]})
    >>> cooccurrence(c).to_numpy().tolist()
    [[2, 1], [1, 1]]

    """
    if level not in ("segmen", "informan"):
        raise ValueError(f"level must be 'segmen' or 'informan', not {level!r}.")
    rows = ["kode_informan", "segmen"] if level == "segmen" else ["kode_informan"]
    themes = list(themes) if themes is not None else list(pd.unique(coded["tema"]))
    wide = coded.pivot_table(index=rows, columns="tema", values="otomatis", aggfunc="max",
                             fill_value=0).reindex(columns=themes, fill_value=0)
    matrix = wide.to_numpy(np.int64)
    out = pd.DataFrame(matrix.T @ matrix, index=pd.Index(themes, name="tema"),
                       columns=pd.Index(themes, name="tema"))
    return out


def plot_cooccurrence(matrix: pd.DataFrame, labels: dict[str, str] | None = None,
                      ax=None, title: str | None = None):
    """Heatmap of a co-occurrence matrix (seaborn), annotated with the counts.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = plot_cooccurrence(pd.DataFrame([[2, 1], [1, 1]], index=["x", "y"],
    ...                                     columns=["x", "y"]))
    >>> ax.get_xlabel()
    ''

    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 6.5))
    shown = matrix.rename(index=labels or {}, columns=labels or {})
    # Colour by the off-diagonal counts: the diagonal (a theme with itself) is much larger
    # and would wash out the pairs the figure is about; its numbers are still printed.
    off = matrix.to_numpy()[~np.eye(len(matrix), dtype=bool)]
    vmax = max(int(off.max()) if off.size else 1, 1)
    sns.heatmap(shown, annot=True, fmt="d", cmap="rocket_r", square=True, cbar=True, ax=ax,
                linewidths=0.5, vmin=0, vmax=vmax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if title:
        ax.set_title(title)
    return ax


def _shorten(texts: pd.Series, max_chars: int) -> pd.Series:
    """Cut texts longer than ``max_chars`` at a word boundary and add an ellipsis."""
    long = texts.str.len() > max_chars
    cut = texts.str.slice(0, max_chars).str.replace(r"\s+\S*$", "", regex=True) + " …"
    return texts.where(~long, cut)


def representative_quotes(coded: pd.DataFrame, segments: pd.DataFrame, codebook: Codebook,
                          n_per_theme: int = 3, max_chars: int = 300,
                          manual: pd.DataFrame | None = None,
                          labels: dict[str, str] | None = None,
                          min_cell_size: int = 5) -> pd.DataFrame:
    """Pick short, redacted quotes per theme, attributed only by informant code and unit.

    A unit with fewer than ``min_cell_size`` informants is not named: its quotes carry the
    code :data:`OTHER_UNIT` (shown as "unit lain" / "another unit" by
    :func:`published_quotes`), because a quote from a unit's only informant points at one
    person. The informant code
    stays in the returned table (for ``data/processed``, which is not published);
    :func:`published_quotes` drops it for the run's ``tables/`` and the report.

    A quote is the sentence of an informant turn that carries the theme (a turn often
    touches several themes; the sentence is the evidence for one). Turns that both human
    coders also coded with the theme come first, then sentences with more keyword matches,
    then sentences closest to 120 characters. At most one quote per informant, no sentence
    twice, and, where the theme allows, different units first, so the quotes show different
    voices. Texts pass
    through :func:`evalkit.privacy.redact` (again: ``wawancara_segmen`` is redacted at
    ingest, quotes are what leaves the project).

    Parameters
    ----------
    coded : pandas.DataFrame
        Output of :func:`code_segments`.
    segments : pandas.DataFrame
        ``wawancara_segmen`` (for the text).
    codebook : Codebook
        The codebook ``coded`` was made with (sentences are coded with it).
    n_per_theme : int, default 3
        Quotes kept per theme.
    max_chars : int, default 300
        Longer sentences are cut at a word boundary and end with "…".
    manual : pandas.DataFrame, optional
        ``wawancara_koding_manual``; segments confirmed by both coders are preferred.
    labels : dict, optional
        Theme key → label, added as column ``label``; rows then follow its order.
    min_cell_size : int, default 5
        Units with fewer informants (in ``segments``) are coded :data:`OTHER_UNIT`.

    Returns
    -------
    pandas.DataFrame
        ``tema``, (``label``), ``peringkat``, ``kode_informan``, ``unit``, ``segmen``,
        ``dikonfirmasi``, ``kutipan``.

    Examples
    --------
    >>> from evalkit.interviews import load_codebook
    >>> seg = pd.DataFrame({"kode_informan": ["INF-001"], "unit": ["A"], "segmen": [1],
    ...     "pembicara": ["I"], "teks": ["Ya, begitu. Kata Ibu Sari, ada kendala jaringan."]})
    >>> cod = pd.DataFrame({"kode_informan": ["INF-001"], "unit": ["A"], "segmen": [1],
    ...     "tema": ["kesulitan_penerapan"], "otomatis": [1], "n_kata_kunci": [1]})
    >>> q = representative_quotes(cod, seg, load_codebook())
    >>> q["kutipan"].iloc[0], q["unit"].iloc[0]  # one informant in unit A: A is not named
    ('Kata Ibu [NAMA], ada kendala jaringan.', 'unit_lain')

    """
    keys = ["kode_informan", "segmen"]
    themes = list(pd.unique(coded["tema"]))
    wanted = coded.loc[coded["otomatis"].eq(1), [*keys, "unit", "tema"]].copy()
    wanted["segmen"] = wanted["segmen"].astype("int64")
    turns = segments.loc[segments["pembicara"].eq("I") & segments["segmen"].ge(1),
                         [*keys, "teks"]].copy()
    turns["segmen"] = turns["segmen"].astype("int64")
    # Sentences: split after . ! ? (and the ellipsis) followed by a space.
    sentences = (turns.assign(kalimat=turns["teks"].astype("str")
                              .str.split(r"(?<=[.!?…])\s+", regex=True))
                 .explode("kalimat").drop(columns="teks"))
    sentences = sentences[sentences["kalimat"].str.strip().ne("")].reset_index(drop=True)
    counts = code_texts(sentences["kalimat"], codebook, counts=True)
    counts = counts.reindex(columns=[t for t in themes if t in counts.columns])
    long = counts.stack().rename("n_kata_kunci").reset_index(level="tema")
    long = long[long["n_kata_kunci"].gt(0)]
    cand = sentences.loc[long.index].assign(tema=long["tema"].astype("str").to_numpy(),
                                            n_kata_kunci=long["n_kata_kunci"].to_numpy())
    cand = cand.merge(wanted, on=[*keys, "tema"], how="inner")
    cand["dikonfirmasi"] = False
    if manual is not None:
        confirmed = manual.loc[manual["koder_1"].eq(1) & manual["koder_2"].eq(1),
                               ["kode_informan", "segmen", "tema"]].copy()
        confirmed["segmen"] = confirmed["segmen"].astype("int64")
        confirmed["tema"] = confirmed["tema"].astype("str")
        hit = pd.MultiIndex.from_frame(cand[[*keys, "tema"]]).isin(
            pd.MultiIndex.from_frame(confirmed))
        cand["dikonfirmasi"] = hit
    cand["_distance"] = (cand["kalimat"].str.len() - 120).abs()
    rank_cols = ["tema", "dikonfirmasi", "n_kata_kunci", "_distance", "kode_informan", "segmen"]
    ascending = [True, False, False, True, True, True]
    cand = cand.sort_values(rank_cols, ascending=ascending)
    cand = cand.drop_duplicates(["tema", "kode_informan"])  # one quote per informant
    cand = cand.drop_duplicates(["tema", "kalimat"])  # the same words once
    # Different units first: the n-th quote of a unit waits behind every unit's first one.
    cand["_unit_rank"] = cand.groupby(["tema", "unit"], sort=False).cumcount()
    cand = cand.sort_values(["tema", "_unit_rank", *rank_cols[1:]],
                            ascending=[True, True, *ascending[1:]])
    cand = cand.groupby("tema", sort=False).head(n_per_theme).copy()
    cand["kutipan"] = _shorten(redact(cand["kalimat"]).astype("str"), max_chars)
    cand["peringkat"] = cand.groupby("tema", sort=False).cumcount() + 1
    # Informants per unit over all interviews: a small unit's quote names no unit.
    n_informants = segments.groupby("unit")["kode_informan"].nunique()
    small = cand["unit"].map(n_informants).fillna(0).lt(min_cell_size)
    cand["unit"] = cand["unit"].astype("str").mask(small, OTHER_UNIT)
    out = cand[["tema", "peringkat", "kode_informan", "unit", "segmen", "dikonfirmasi",
                "kutipan"]]
    if labels is not None:
        order = {k: n for n, k in enumerate(labels)}
        out = out.assign(_o=out["tema"].map(order)).sort_values(["_o", "peringkat"])
        out = out.drop(columns="_o")
        out.insert(1, "label", out["tema"].map(labels))
    else:
        out = out.sort_values(["tema", "peringkat"])
    return out.reset_index(drop=True)


def published_quotes(quotes: pd.DataFrame, lang: Lang = "id") -> pd.DataFrame:
    """Return the quotes as they may leave the project: no informant code, no turn number.

    Pseudonymised codes are still personal data (UU 27/2022); the code links a quote to a
    transcript, so it is kept in ``data/processed`` only (not published) and dropped here for
    the run's ``tables/``, the workbook, the report and notebook outputs. The code
    :data:`OTHER_UNIT` of an unnamed unit becomes its label in ``lang``.

    Examples
    --------
    >>> q = pd.DataFrame({"tema": ["x"], "peringkat": [1], "kode_informan": ["INF-001"],
    ...                   "unit": ["unit_lain"], "segmen": [3], "kutipan": ["..."]})
    >>> published = published_quotes(q, lang="en")
    >>> list(published.columns), published["unit"].iloc[0]
    (['tema', 'peringkat', 'unit', 'kutipan'], 'another unit')

    """
    out = quotes.drop(columns=[c for c in ("kode_informan", "segmen") if c in quotes.columns])
    if "unit" in out.columns:
        out["unit"] = out["unit"].mask(out["unit"].eq(OTHER_UNIT), label(OTHER_UNIT, lang))
    return out


# --- the link to the numbers -----------------------------------------------------------------


def difficulty_by_unit(coded: pd.DataFrame, evaluasi: pd.DataFrame,
                       theme: str = "kesulitan_penerapan",
                       effects: pd.DataFrame | None = None,
                       min_cell_size: int = 5) -> pd.DataFrame:
    """Per unit: the share of informants reporting difficulty beside the L3 evaluation.

    The L3 (Kirkpatrick behaviour) score of a unit is the mean over its alumni evaluations of
    the mean of the alumnus', supervisor's and colleague's scores (1–5), as
    :func:`evalkit.training.application_summary` computes it;
    ``proporsi_kesulitan_l3`` is the share of evaluations answering "Ya" to difficulty
    applying the training, the questionnaire twin of the interview theme.

    Parameters
    ----------
    coded : pandas.DataFrame
        Output of :func:`code_segments`.
    evaluasi : pandas.DataFrame
        The processed table ``evaluasi_pasca_pelatihan``.
    theme : str, default "kesulitan_penerapan"
        The interview theme counted.
    effects : pandas.DataFrame, optional
        The hook for the estimated effect per unit: a table with ``unit`` and ``estimate``
        (e.g. unit-level effects from notebook 04 or a later analysis). Notebook 04 runs after
        this notebook, so by default there is none and the column ``efek_estimasi`` is empty.
    min_cell_size : int, default 5
        Interview shares of units with fewer informants, and L3 figures of units with fewer
        evaluations, are suppressed.

    Returns
    -------
    pandas.DataFrame
        ``unit``, ``n_informan``, ``n_informan_kesulitan``, ``proporsi_kesulitan_wawancara``,
        ``n_evaluasi``, ``l3_score``, ``proporsi_kesulitan_l3``, ``efek_estimasi``,
        ``suppressed_wawancara``, ``suppressed_l3``; one row per unit in either source.

    Examples
    --------
    >>> c = pd.DataFrame({"kode_informan": list("abcde"), "unit": ["A"] * 5,
    ...     "tema": ["kesulitan_penerapan"] * 5, "otomatis": [1, 1, 0, 0, 0]})
    >>> e = pd.DataFrame({"unit": ["A"] * 5, "skor_alumni": [4.0] * 5, "skor_atasan": [3.0] * 5,
    ...     "skor_rekan": [2.0] * 5, "kesulitan_penerapan": [True, False, False, False, False]})
    >>> difficulty_by_unit(c, e)[["proporsi_kesulitan_wawancara", "l3_score"]].to_numpy().tolist()
    [[0.4, 3.0]]

    """
    per_informant = (coded[coded["tema"].eq(theme)]
                     .groupby(["unit", "kode_informan"])["otomatis"].max().reset_index())
    interviews = per_informant.groupby("unit").agg(
        n_informan=("kode_informan", "size"), n_informan_kesulitan=("otomatis", "sum"))
    interviews["proporsi_kesulitan_wawancara"] = (interviews["n_informan_kesulitan"]
                                                  / interviews["n_informan"])
    # The project's one definition of the L3 score (notebook 03 uses it for the panel).
    l3 = (application_summary(evaluasi, by="unit")
          .rename(columns={"n": "n_evaluasi", "share_difficulty": "proporsi_kesulitan_l3"})
          .set_index("unit")[["n_evaluasi", "l3_score", "proporsi_kesulitan_l3"]])
    out = interviews.join(l3, how="outer").reset_index()
    if effects is not None and {"unit", "estimate"} <= set(effects.columns):
        out = out.merge(effects[["unit", "estimate"]].rename(
            columns={"estimate": "efek_estimasi"}), on="unit", how="left")
    else:
        out["efek_estimasi"] = np.nan
    out["n_informan"] = out["n_informan"].fillna(0).astype("int64")
    out["n_informan_kesulitan"] = out["n_informan_kesulitan"].astype("Int64")
    out["n_evaluasi"] = out["n_evaluasi"].fillna(0).astype("int64")
    # The informant count is blanked too: a unit's count of 1, 2 or 4 informants is itself a
    # cell under min_cell_size (and tells who was interviewed in a small unit). The units add
    # up to totals published elsewhere (all informants, all evaluations), so where only one
    # unit is blanked, the next smallest is blanked with it.
    out = suppress_small_cells(out, "n_informan", min_n=min_cell_size,
                               value_cols=["n_informan", "n_informan_kesulitan",
                                           "proporsi_kesulitan_wawancara"], partition=[])
    out = out.rename(columns={"suppressed": "suppressed_wawancara"})
    out = suppress_small_cells(out, "n_evaluasi", min_n=min_cell_size,
                               value_cols=["l3_score", "proporsi_kesulitan_l3"], partition=[])
    out = out.rename(columns={"suppressed": "suppressed_l3"})
    return out.sort_values("unit").reset_index(drop=True)


def difficulty_by_group(coded: pd.DataFrame, groups: dict[str, Sequence[str]],
                        effects: pd.DataFrame | None = None,
                        theme: str = "kesulitan_penerapan",
                        min_cell_size: int = 5) -> pd.DataFrame:
    """Interview difficulty pooled over groups of units, beside each group's estimated effect.

    With a few informants per unit, per-unit interview shares are mostly suppressed; pooling
    the informants of a group of units (e.g. :func:`difficulty_groups`) keeps the comparison
    without small cells. When ``effects`` (notebook 04's table) holds estimands
    ``att_<group>`` (:func:`evalkit.effects.subgroup_estimand`), their estimates and
    intervals are joined, one row per outcome.

    Parameters
    ----------
    coded : pandas.DataFrame
        Output of :func:`~evalkit.interviews.code_segments`.
    groups : dict of str to list of str
        Group name → its units.
    effects : pandas.DataFrame, optional
        ``effects`` (``outcome``, ``estimand``, ``estimate``, ``ci_low``, ``ci_high``).
    theme : str, default "kesulitan_penerapan"
        The interview theme counted.
    min_cell_size : int, default 5
        Groups with fewer informants have their interview figures suppressed.

    Returns
    -------
    pandas.DataFrame
        ``kelompok``, ``n_unit``, ``n_unit_diwawancara``, ``n_informan``,
        ``n_informan_kesulitan``, ``proporsi_kesulitan_wawancara``, ``outcome``, ``estimate``,
        ``ci_low``, ``ci_high``, ``suppressed``.

    Examples
    --------
    >>> c = pd.DataFrame({"kode_informan": list("abcdefghij"), "unit": list("AAAAABBBBB"),
    ...     "tema": "kesulitan_penerapan", "otomatis": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]})
    >>> e = pd.DataFrame({"outcome": ["ikm"], "estimand": ["att_high"], "estimate": [1.5],
    ...                   "ci_low": [0.1], "ci_high": [2.9]})
    >>> t = difficulty_by_group(c, {"high": ["A"], "low": ["B", "C"]}, effects=e)
    >>> t[["kelompok", "proporsi_kesulitan_wawancara", "estimate"]].to_numpy().tolist()
    [['high', 0.6, 1.5], ['low', 0.2, nan]]

    """
    per_informant = (coded[coded["tema"].eq(theme)]
                     .groupby(["unit", "kode_informan"])["otomatis"].max().reset_index())
    membership = pd.DataFrame([(name, unit) for name, units in groups.items() for unit in units],
                              columns=["kelompok", "unit"])
    joined = membership.merge(per_informant, on="unit", how="left")
    grouped = joined.groupby("kelompok", sort=False)
    out = pd.DataFrame({
        "n_unit": grouped["unit"].nunique(),
        "n_unit_diwawancara": joined.dropna(subset=["kode_informan"])
        .groupby("kelompok", sort=False)["unit"].nunique(),
        "n_informan": grouped["kode_informan"].count(),
        "n_informan_kesulitan": grouped["otomatis"].sum(),
    }).reindex(list(groups)).fillna(0).astype("int64")
    out["proporsi_kesulitan_wawancara"] = out["n_informan_kesulitan"] / out["n_informan"].where(
        out["n_informan"].gt(0))
    out = out.rename_axis("kelompok").reset_index()
    # Before the effects are joined (one row per outcome): the groups add up to all
    # informants, so where only one group is blanked, the next smallest is blanked with it.
    out = suppress_small_cells(out, "n_informan", min_n=min_cell_size,
                               value_cols=["n_informan_kesulitan",
                                           "proporsi_kesulitan_wawancara"], partition=[])
    columns = ["outcome", "estimate", "ci_low", "ci_high"]
    if effects is not None and {"estimand", *columns} <= set(effects.columns):
        group_of = {subgroup_estimand(g): g for g in groups}
        est = effects.loc[effects["estimand"].isin(list(group_of)), ["estimand", *columns]]
        est = est.assign(kelompok=est["estimand"].map(group_of)).drop(columns="estimand")
        out = out.merge(est, on="kelompok", how="left")
    else:
        out = out.assign(outcome=pd.NA, estimate=np.nan, ci_low=np.nan, ci_high=np.nan)
    out["outcome"] = out["outcome"].astype("str")
    out["suppressed"] = out.pop("suppressed")   # the last column, as documented
    order = {name: n for n, name in enumerate(groups)}
    return (out.sort_values(["kelompok", "outcome"],
                            key=lambda s: s.map(order) if s.name == "kelompok" else s)
            .reset_index(drop=True))


# --- SKM suggestions -------------------------------------------------------------------------


def code_suggestions(skm: pd.DataFrame, codebook: Codebook, by: Sequence[str] = ("unit",),
                     min_cell_size: int = 5,
                     labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Code the SKM suggestion texts (``saran``) by the themes in scope ``saran``.

    Each response with a non-empty suggestion is one person; blank suggestions are counted
    in ``n_responden`` but are not suggestions.

    Parameters
    ----------
    skm : pandas.DataFrame
        The processed table ``skm`` (``saran`` already redacted).
    codebook : Codebook
        The themes (those in scope ``saran`` are coded).
    by : sequence of str, default ("unit",)
        Grouping columns; each gives its own block of rows beside the overall one.
    min_cell_size : int, default 5
        Groups with fewer suggestions are suppressed.
    labels : dict, optional
        Theme key → label, added as column ``label``.

    Returns
    -------
    pandas.DataFrame
        ``dimensi``, ``kelompok``, ``tema``, (``label``), ``n_saran`` (non-empty
        suggestions), ``n_saran_tema``, ``proporsi``, ``suppressed``.

    Examples
    --------
    >>> from evalkit.interviews import load_codebook
    >>> s = pd.DataFrame({"unit": ["A"] * 6, "saran": ["Petugas kurang ramah", "Antrian lama",
    ...     "", "Ruang tunggu panas", "Aplikasi sering error", "Sudah bagus"]})
    >>> t = code_suggestions(s, load_codebook())
    >>> t.query("dimensi == 'semua' and tema == 'teknologi_informasi'")["n_saran_tema"].iloc[0]
    np.int64(1)

    """
    text = skm["saran"].astype("str")
    has_text = text.notna() & text.str.strip().ne("")
    filled = skm.loc[has_text.to_numpy(), list(by)].copy()
    filled["_id"] = np.arange(len(filled))
    coded = code_texts(text[has_text.to_numpy()], codebook, source="saran")
    coded.index = filled.index
    long = coded.stack().rename("kode").reset_index(level="tema")
    long = filled.loc[long.index].assign(tema=long["tema"].astype("str").to_numpy(),
                                         kode=long["kode"].to_numpy())
    out = _frequency_table(long, "_id", "kode", list(by), min_cell_size)
    out = out.rename(columns={"n_orang": "n_saran", "n_orang_tema": "n_saran_tema"})
    if labels is not None:
        out.insert(3, "label", out["tema"].map(labels))
    return out.reset_index(drop=True)


__all__ = ["OTHER_UNIT", "theme_frequencies", "cooccurrence", "plot_cooccurrence",
           "published_quotes", "representative_quotes",
           "difficulty_by_unit", "difficulty_groups", "difficulty_by_group", "code_suggestions"]
