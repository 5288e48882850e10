"""Tables, their mapping onto the domain classes, repositories and read queries."""
