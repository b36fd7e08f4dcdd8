"""Folio's test harness (docs/harness.md): test cases in harness/tests/,
unit tests of the harness itself in harness/unit/."""
