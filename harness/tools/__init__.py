"""Tests of the tools around the kernel (`make debug`, `make run`, the
Pintos console and its checker): they boot QEMU through those tools."""
