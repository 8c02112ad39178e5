"""Training and baselines for learned extraction stages; never imported by ingest at run time."""
