"""Use cases: take plain arguments and a unit of work, change the domain, commit, then publish."""
