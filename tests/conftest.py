"""Shared fixtures: small simulated cities and their cleaned tables, built once a session.

Tests never read ``data/processed`` of the checkout (it may not exist on a fresh clone,
and nbval's notebooks rewrite it); they clean into temporary folders instead.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # tests never open windows

SMALL_CITY_SEED = 7


@pytest.fixture(scope="session")
def small_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Raw exports of a small simulated city (a few units, a few hundred ASN)."""
    from evalkit.simulate import SimulationConfig, simulate_city

    out = tmp_path_factory.mktemp("small_raw")
    simulate_city(out, SimulationConfig.small(), seed=SMALL_CITY_SEED)
    return out


@pytest.fixture(scope="session")
def small_processed(small_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small city cleaned into Parquet tables, as notebook 01 does."""
    from evalkit.ingest import clean_all

    out = tmp_path_factory.mktemp("small_processed")
    clean_all(small_raw, out, progress=False)
    return out


@pytest.fixture(scope="session")
def city_processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled city (data/raw) cleaned into a temporary folder."""
    from evalkit.config import RAW_DIR
    from evalkit.ingest import clean_all

    out = tmp_path_factory.mktemp("city_processed")
    clean_all(RAW_DIR, out, progress=False)
    return out
