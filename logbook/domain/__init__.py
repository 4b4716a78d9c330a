"""The incident record, its enumerations, validation and the CSV schema: pure Python, no Qt, no engine."""
