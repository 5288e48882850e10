"""The queue's rules in plain Python: no Flask, no SQLAlchemy, reachable from a unit test."""
