"""TOML reading on every Python the harness supports: the standard
library's tomllib from 3.11 on, and on 3.10 the package it came from,
tomli (Debian and Ubuntu: python3-tomli; `make deps` installs it only
where tomllib is missing).  Both have the same load(), loads() and
TOMLDecodeError; the rest of the harness imports `tomllib` from here."""

try:
    import tomllib
except ModuleNotFoundError:
    import tomli as tomllib

__all__ = ["tomllib"]
