"""Demo community and the bulk generator for benchmarks (the importer is community/importing)."""
