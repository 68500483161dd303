"""A two-process local Dask cluster for the tests of the Dask paths (one per test module)."""

import pytest


@pytest.fixture(scope="module")
def dask_client():
    """A ``distributed.Client`` on ``LocalCluster(n_workers=2, processes=True)``."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
