"""Checking many posts: the shared sweep (``sweep``), the local runner (``local``) and the Dask
runner (``cluster``), worker processes (``workers``), web archives (``warc``), the SQLite store
(``store``) and its Parquet export (``parquet``)."""
