"""Folio's image builder: payload and swap disks and the QEMU command line
(docs/interfaces.md, sections 1 and 4; docs/images.md)."""
