"""stridelab: a local-first movement lab for runners.

The library core is organised by stage of the data flow:

- :mod:`stridelab.watch`: FIT/TCX/GPX files in, :class:`~stridelab.watch.Activity` objects out.
- :mod:`stridelab.store`: activities, athletes and shoes in a SQL database (SQLite by default).
- :mod:`stridelab.ingest`: paths, folders and zip archives in, an import report out.
- :mod:`stridelab.analysis`: stored activities in, movement-lens analyses out
  (cadence–speed curve, spring–mass model, training load, shoe rotation).
- :mod:`stridelab.synthetic`: exactly known sample data (a synthetic run as a real FIT file).
- :mod:`stridelab.cli`: the ``stridelab`` command, a thin shell over the above.

Nothing happens at import time.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
