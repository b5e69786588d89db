"""Door-to-door sweeps (逐户排查): starting, assigning buildings, door visits, coverage."""
