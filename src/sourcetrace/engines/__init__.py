"""Engines run the steps of the pipeline: on all local cores, or (later) on Spark."""

from sourcetrace.engines.contract import Engine, MapStep, StepReport
from sourcetrace.engines.local import LocalEngine, default_workers

__all__ = ["Engine", "LocalEngine", "MapStep", "StepReport", "default_workers"]
