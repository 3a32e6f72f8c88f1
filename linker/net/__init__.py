"""The network: one HTTP session factory with its guards (``fetch``), the socket-level deadline
and pinned addresses (``transport``), which addresses may be fetched (``safety``), recorded
and replayed exchanges (``evidence``) and the Wayback Machine (``wayback``)."""
