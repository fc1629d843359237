"""The benchmark suite: how quick the program is with a hospital's worth of patients,
each figure beside a baseline measured in the same run (the machine may be busy; the
ratio is the figure that matters). Run with ``python -m benchmarks``; see README."""
