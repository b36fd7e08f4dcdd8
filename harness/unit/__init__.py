"""Unit tests of the harness and the image builder (no QEMU needed)."""
