"""Developer tools outside the runtime package: the sample municipality generator and the benchmarks."""
