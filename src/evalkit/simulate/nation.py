"""A national SKM survey, SKM part alone: many local governments, tens of millions of rows.

:func:`simulate_nation_skm` writes the processed ``skm`` columns the IKM reads (``unit``,
``period``, ``pemda``, ``u1``…``u9`` as nullable ``Int8``, blanks allowed) as a partitioned
Parquet dataset ``<out>/period=<P>/part-<j>.parquet``, generated partition by partition
(a block of units in one quarter), so memory stays at one partition whatever the total.
Answers follow the city simulator's model (:mod:`evalkit.simulate.service`): a latent unit
level, the element offsets, a respondent effect and noise, cut at 1.5 / 2.5 / 3.5. It is the
input of the scale benchmark (``benchmarks/ikm_dask.py``) and of Dask tests; it has no
training roll-out and no injected faults (cleaning is not what it measures).

Examples
--------
>>> import tempfile, pandas as pd
>>> folder = tempfile.mkdtemp()
>>> info = simulate_nation_skm(folder, NationConfig.tiny(), seed=1)
>>> skm = pd.read_parquet(folder)
>>> len(skm) == info["n_responses"], skm["unit"].nunique() == info["n_units"]
(True, True)

"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evalkit.ikm.elements import ELEMENTS
from evalkit.periods import period_range, shift
from evalkit.simulate.service import ELEMENT_OFFSET, draw_latent_answers, scores_of

#: File in the dataset folder describing what was generated (and marking it as simulated).
NATION_INFO = "_nation.json"  # "_": Parquet readers skip it


@dataclass(frozen=True)
class NationConfig:
    """Sizes of the national survey; presets :meth:`tiny` (tests) and :meth:`nation`.

    Examples
    --------
    >>> cfg = NationConfig.nation()
    >>> cfg.n_governments * cfg.units_per_government, cfg.n_quarters
    (10280, 4)

    """

    n_governments: int = 514               #: kabupaten/kota
    units_per_government: int = 20         #: service units (perangkat daerah) per government
    first_period: str = "2025Q1"           #: first quarter
    n_quarters: int = 4                    #: quarters
    responses_per_unit_quarter: float = 486.0  #: mean responses (Poisson) per unit and quarter
    share_blank: float = 0.02              #: answers left blank (each element independently)
    rows_per_partition: int = 1_000_000    #: about this many rows per Parquet file

    @classmethod
    def nation(cls) -> NationConfig:
        """Every kabupaten/kota, 20 units each, a year: about 20 million responses."""
        return cls()

    @classmethod
    def tiny(cls) -> NationConfig:
        """Three governments, two quarters, a few thousand rows in several files (tests)."""
        return cls(n_governments=3, units_per_government=4, n_quarters=2,
                   responses_per_unit_quarter=120.0, rows_per_partition=800)

    def scaled(self, n_responses: float) -> NationConfig:
        """Scale the layout to about ``n_responses`` rows (units scaled, not periods).

        Examples
        --------
        >>> cfg = NationConfig.nation().scaled(2_000_000)
        >>> cfg.n_governments
        51

        """
        per_government = (self.units_per_government * self.n_quarters
                          * self.responses_per_unit_quarter)
        return NationConfig(**{**asdict(self),
                               "n_governments": max(1, round(n_responses / per_government))})


def _partition(rng: np.random.Generator, units: np.ndarray, levels: np.ndarray,
               period: str, cfg: NationConfig) -> pa.Table:
    """One block of units in one quarter, drawn at once (vectorised, no loop over rows)."""
    n_per_unit = rng.poisson(cfg.responses_per_unit_quarter, len(units))
    n = int(n_per_unit.sum())
    unit_index = np.repeat(np.arange(len(units)), n_per_unit)
    latent = draw_latent_answers(rng, levels[unit_index, None] + ELEMENT_OFFSET[None, :], n)
    score = scores_of(latent).astype(np.int8)
    blank = rng.random((n, 9)) < cfg.share_blank
    index = pa.array(unit_index, pa.int32())
    governments = pd.Series(units).str.split("/").str[0].to_numpy(dtype=object)
    columns = {  # text taken from the few unit names, not built per row
        "pemda": pa.array(governments, pa.string()).take(index),
        "unit": pa.array(units.astype(object), pa.string()).take(index),
        "period": pa.array(np.full(n, period, dtype=object), pa.string()),
    }
    for k, element in enumerate(ELEMENTS):
        columns[element] = pa.array(score[:, k], pa.int8(), mask=blank[:, k])
    return pa.table(columns).cast(_SCHEMA)


#: The processed skm table's pandas types (answers nullable Int8), kept in the files'
#: metadata so ``pd.read_parquet`` gives Int8, not float64.
_SCHEMA = pa.Schema.from_pandas(pd.DataFrame(
    {"pemda": pd.Series(dtype="str"), "unit": pd.Series(dtype="str"),
     "period": pd.Series(dtype="str"), **{e: pd.Series(dtype="Int8") for e in ELEMENTS}}),
    preserve_index=False)


def simulate_nation_skm(out: str | os.PathLike[str], config: NationConfig | None = None,
                        seed: int = 20261204) -> dict:
    """Write a national SKM survey as a Parquet dataset partitioned by period.

    Parameters
    ----------
    out : path
        Dataset folder; cleared first when it holds an earlier generated survey
        (``_nation.json``), refused when it holds anything else.
    config : NationConfig, optional
        Default :meth:`NationConfig.nation` (about 20 million rows).
    seed : int
        Same seed and config give the same data.

    Returns
    -------
    dict
        What ``_nation.json`` records: the config, ``n_units``, ``n_responses``,
        ``n_files`` and the true unit levels' mean and SD.

    Examples
    --------
    See the module docstring.

    """
    config = config or NationConfig.nation()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not (out / NATION_INFO).exists():
            raise FileExistsError(f"{out} is not empty and holds no {NATION_INFO}: give an "
                                  "empty or new folder for the simulated national survey.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    governments = [f"pemda-{g:03d}" for g in range(config.n_governments)]
    units = np.array([f"{g}/unit-{u:02d}" for g in governments
                      for u in range(config.units_per_government)])
    # a unit's level: its government's plus its own (local governments differ, too)
    levels = (rng.normal(2.9, 0.2, config.n_governments).repeat(config.units_per_government)
              + rng.normal(0, 0.25, len(units)))
    units_per_file = max(1, int(config.rows_per_partition
                                // max(config.responses_per_unit_quarter, 1)))
    last = shift(pd.Series([config.first_period]), config.n_quarters - 1).iloc[0]
    periods = period_range(config.first_period, last)
    n_rows, n_files = 0, 0
    for t, period in enumerate(periods):
        folder = out / f"period={period}"
        folder.mkdir()
        for j, start in enumerate(range(0, len(units), units_per_file)):
            block = slice(start, start + units_per_file)
            table = _partition(np.random.default_rng([seed, t, j]), units[block],
                               levels[block], period, config)
            # the period is the folder's (hive partitioning), not a column of the file
            pq.write_table(table.drop_columns("period"), folder / f"part-{j:05d}.parquet")
            n_rows += table.num_rows
            n_files += 1
    info = {"config": asdict(config), "seed": seed, "n_units": len(units),
            "n_responses": n_rows, "n_files": n_files, "periods": periods,
            "unit_level_mean": float(levels.mean()), "unit_level_sd": float(levels.std())}
    (out / NATION_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


__all__ = ["NATION_INFO", "NationConfig", "simulate_nation_skm"]
