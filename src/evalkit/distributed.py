"""Where the heavy steps run: in-process (the default) or on a Dask cluster.

``evalkit run --scheduler ADDRESS`` / ``--workers N`` make one client with :func:`connect`;
notebooks get the scheduler's address as the papermill parameter ``dask_scheduler`` and
connect with :func:`notebook_client` (``""`` = in-process, nothing changes), then print
:func:`describe_client` so the executed notebook shows where it ran. ``distributed`` is
imported only when a cluster is asked for.

Examples
--------
>>> connect() is None, notebook_client("") is None
(True, True)
>>> describe_client(None)
'in-process'

"""

from __future__ import annotations


def connect(scheduler: str | None = None, workers: int | None = None):
    """Return a ``distributed.Client`` to the cluster at ``scheduler`` or a new local one.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler, e.g. ``"tcp://10.0.0.5:8786"``.
    workers : int, optional
        Without ``scheduler``: start a ``LocalCluster`` of this many worker processes (one
        thread each, so pandas/numpy work of different partitions runs side by side).

    Returns
    -------
    distributed.Client or None
        None when neither is given: run in-process.

    Raises
    ------
    ValueError
        Both given, or ``workers`` below 1.

    Examples
    --------
    >>> connect(None, None) is None
    True

    """
    if scheduler and workers:
        raise ValueError("give either a scheduler address (an existing cluster) or a number "
                         "of local workers, not both.")
    if not scheduler and workers is None:
        return None
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}.")
    cluster = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                           dashboard_address=None)
    return Client(cluster)


def notebook_client(dask_scheduler: str):
    """Return the notebooks' client: connected to ``dask_scheduler``, None for ``""``.

    Examples
    --------
    >>> notebook_client("") is None
    True

    """
    return connect(scheduler=dask_scheduler) if dask_scheduler else None


def describe_client(client) -> str:
    """One line saying where the work ran, printed by the notebooks.

    Examples
    --------
    >>> describe_client(None)
    'in-process'

    """
    if client is None:
        return "in-process"
    workers = client.scheduler_info().get("workers", {})
    return f"Dask cluster at {client.scheduler.address} with {len(workers)} workers"


def processed_on(client, name: str, processed_dir, table):
    """Return the processed table ``name`` where the work runs (a Dask frame on a cluster).

    With ``client`` None, ``table`` (the pandas table already read) is returned as it is;
    with a client, a ``dask.dataframe`` over ``<processed_dir>/<name>.parquet``, which
    :func:`evalkit.ikm.compute_ikm` reduces on the cluster (the same numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> skm = pd.DataFrame({"unit": ["A"]})
    >>> processed_on(None, "skm", "data/processed", skm) is skm
    True

    """
    if client is None:
        return table
    import dask.dataframe as dd

    from evalkit.config import resolve_path

    return dd.read_parquet(resolve_path(processed_dir) / f"{name}.parquet")


__all__ = ["connect", "describe_client", "notebook_client", "processed_on"]
