"""Engines run pipeline stages: on all local cores, or (later) on Spark."""

from sourcetrace.engines.local import LocalEngine, default_workers

__all__ = ["LocalEngine", "default_workers"]
