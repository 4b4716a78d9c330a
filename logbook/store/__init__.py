"""Storage: the engine and its pragmas, migrations, and the repository where every query lives."""
