"""What the harness needs on every Python it supports (3.10 and newer).

tomllib: the standard library's from 3.11 on, and on 3.10 the package it
came from, tomli (Debian and Ubuntu: python3-tomli; `make deps` installs
it only where tomllib is missing).  Both have the same load(), loads() and
TOMLDecodeError; the rest of the harness imports `tomllib` from here.

StrEnum: 3.11's enum.StrEnum, which 3.10 lacks: an enum whose members are
strings and whose str() and format() give the value."""

import enum

try:
    import tomllib
except ModuleNotFoundError:
    import tomli as tomllib


class StrEnum(str, enum.Enum):
    """An enum of strings; str(member) and format(member) give its value,
    as enum.StrEnum's do from Python 3.11 on."""

    def __str__(self):
        return self.value

    def __format__(self, spec):
        return format(self.value, spec)


__all__ = ["tomllib", "StrEnum"]
