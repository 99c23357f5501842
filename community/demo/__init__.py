"""Demo community, bulk generator for benchmarks, and the JSON Lines importer."""
