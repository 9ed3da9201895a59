"""Engines run the steps of the pipeline: on all local cores, or on Spark."""

from typing import Literal

from sourcetrace.engines.contract import Engine, MapStep, StepReport
from sourcetrace.engines.local import LocalEngine, default_workers
from sourcetrace.engines.spark import SparkUnavailableError  # pyspark itself is imported only when Spark starts

EngineName = Literal["local", "spark"]
ENGINES: tuple[EngineName, ...] = ("local", "spark")


def start_engine(name: EngineName = "local", *, workers: int | None = None, master: str | None = None) -> Engine:
    """The engine called ``name``: ``local`` on ``workers`` processes (default:
    all cores), or ``spark`` at ``master`` (default ``local[*]``). The Spark
    module, and pyspark with it, is imported only when asked for."""
    if name == "spark":
        from sourcetrace.engines.spark import DEFAULT_MASTER, SparkEngine

        return SparkEngine(master or DEFAULT_MASTER)
    if name != "local":
        raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    return LocalEngine(workers)


__all__ = [
    "ENGINES",
    "Engine",
    "EngineName",
    "LocalEngine",
    "MapStep",
    "SparkUnavailableError",
    "StepReport",
    "default_workers",
    "start_engine",
]
