"""The ``stridelab`` command line: argument parsing and presentation only.

In: command-line arguments. Out: tables, JSON and files, produced by calling the library
(:mod:`stridelab.watch`, :mod:`stridelab.store`, :mod:`stridelab.ingest`,
:mod:`stridelab.analysis`).
"""

__all__: list[str] = []
