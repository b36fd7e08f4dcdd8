#!/usr/bin/env python3
"""Folio user programs: check a linked executable, or make a malformed one.

    elftool.py check [--text-at ADDR] [--first-load-at ADDR]
                     [--first-load-has-header] FILE
        Fails (exit 1, reason on stderr) unless FILE is a static ELF64
        x86-64 ET_EXEC with no PT_INTERP/PT_DYNAMIC, whose PT_LOADs are
        non-empty, page-congruent (p_offset % 4096 == p_vaddr % 4096),
        inside the file and below the kernel (0x8004000000), and whose
        entry point lies in an executable PT_LOAD.

    elftool.py corrupt KIND GOOD-FILE OUT-FILE
        Writes a copy of GOOD-FILE broken in one way (KIND, see CORRUPTIONS)
        that a loader must refuse.

    elftool.py huge-zero GOOD-FILE OUT-FILE
        Writes a copy of GOOD-FILE with one more PT_LOAD, a writable
        segment of 508 GiB of zeros at 0x100000000 (HUGE_ZERO), which a
        loader must accept at no cost for its size.
"""

import struct
import sys

KERNEL_BASE = 0x8004000000
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_GNU_STACK = 1, 2, 3, 0x6474E551
PF_X = 1
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")


class Elf:
    """The ELF header and program headers of an image (bytes)."""

    def __init__(self, data):
        self.data = bytearray(data)
        (self.ident, self.type, self.machine, self.version, self.entry,
         self.phoff, self.shoff, self.flags, self.ehsize, self.phentsize,
         self.phnum, self.shentsize, self.shnum,
         self.shstrndx) = EHDR.unpack_from(self.data, 0)

    def phdrs(self):
        return [list(PHDR.unpack_from(self.data, self.phoff + i * PHDR.size))
                for i in range(self.phnum)]

    def put_phdr(self, index, ph):
        PHDR.pack_into(self.data, self.phoff + index * PHDR.size, *ph)

    def loads(self):
        return [(i, ph) for i, ph in enumerate(self.phdrs())
                if ph[0] == PT_LOAD]

    def section_addr(self, name):
        """Return the address of section NAME, or None."""
        if self.shoff == 0 or self.shstrndx == 0:
            return None
        sh = struct.Struct("<IIQQQQIIQQ")
        strtab = sh.unpack_from(self.data,
                                self.shoff + self.shstrndx * sh.size)
        for i in range(self.shnum):
            s = sh.unpack_from(self.data, self.shoff + i * sh.size)
            start = strtab[4] + s[0]
            end = self.data.index(b"\0", start)
            if self.data[start:end].decode() == name:
                return s[3]
        return None


def check(path, text_at=None, first_load_at=None, first_has_header=False):
    """Return a list of problems with executable PATH (empty when fine)."""
    with open(path, "rb") as f:
        data = f.read()
    problems = []
    if len(data) < EHDR.size or data[:4] != b"\x7fELF":
        return ["not an ELF file"]
    elf = Elf(data)
    if elf.ident[4] != 2 or elf.ident[5] != 1:
        problems.append("not ELF64 little-endian")
    if elf.type != 2:
        problems.append("e_type %d is not ET_EXEC (PIE or object?)"
                        % elf.type)
    if elf.machine != 62:
        problems.append("e_machine %d is not x86-64" % elf.machine)
    if elf.phentsize != PHDR.size or elf.phnum == 0:
        problems.append("bad program header table")
        return problems
    phdrs = elf.phdrs()
    for ph in phdrs:
        if ph[0] in (PT_DYNAMIC, PT_INTERP):
            problems.append("has a PT_DYNAMIC or PT_INTERP header")
    loads = [ph for ph in phdrs if ph[0] == PT_LOAD]
    if not loads:
        problems.append("no PT_LOAD")
        return problems
    entry_ok = False
    for (_, flags, off, vaddr, _, filesz, memsz, _) in loads:
        where = "PT_LOAD at %#x" % vaddr
        if memsz == 0:
            problems.append(where + " is empty")
        if filesz > memsz:
            problems.append(where + " has p_filesz > p_memsz")
        if off % 4096 != vaddr % 4096:
            problems.append(where + " is not page-congruent")
        if off + filesz > len(data):
            problems.append(where + " runs past the end of the file")
        if vaddr < 0x400000 or vaddr + memsz > KERNEL_BASE:
            problems.append(where + " lies outside 0x400000..kernel")
        if flags & PF_X and vaddr <= elf.entry < vaddr + memsz:
            entry_ok = True
    if not entry_ok:
        problems.append("entry %#x is not in an executable PT_LOAD"
                        % elf.entry)
    if text_at is not None:
        text = elf.section_addr(".text")
        if text != text_at:
            problems.append(".text at %s, expected %#x"
                            % (hex(text) if text is not None else "nowhere",
                               text_at))
    first = loads[0]
    if first_load_at is not None and first[3] != first_load_at:
        problems.append("first PT_LOAD at %#x, expected %#x"
                        % (first[3], first_load_at))
    if first_has_header and (first[2] != 0 or first[5] < elf.phoff
                             + elf.phnum * elf.phentsize):
        problems.append("first PT_LOAD does not map the ELF header and "
                        "program headers")
    return problems


def _set_ident(index, value):
    def corrupt(elf):
        elf.data[index] = value
    return corrupt


def _set_header(offset, fmt, value):
    def corrupt(elf):
        struct.pack_into(fmt, elf.data, offset, value)
    return corrupt


def _truncate(elf):
    """Keep the headers but cut the file before the first segment's data."""
    first = elf.loads()[0][1]
    del elf.data[first[2] + 16:]


def _load_past_eof(elf):
    """The first PT_LOAD claims more file bytes than the file has."""
    index, ph = elf.loads()[0]
    ph[5] = len(elf.data) - ph[2] + 0x10000
    ph[6] = max(ph[6], ph[5])
    elf.put_phdr(index, ph)


def _memsz_below_filesz(elf):
    """A PT_LOAD whose p_memsz is smaller than its p_filesz."""
    index, ph = elf.loads()[0]
    ph[6] = ph[5] // 2
    elf.put_phdr(index, ph)


def _extra_load(vaddr, memsz):
    """Turn the PT_GNU_STACK header into one more (read-only) PT_LOAD at
    VADDR.  The program's own segments stay intact, so a loader that
    wrongly accepts the file runs it and it prints its usual output."""
    def corrupt(elf):
        for i, ph in enumerate(elf.phdrs()):
            if ph[0] == PT_GNU_STACK:
                elf.put_phdr(i, [PT_LOAD, 4, 0, vaddr, vaddr, 0x1000, memsz,
                                 0x1000])
                return
        raise SystemExit("elftool: no PT_GNU_STACK header to reuse")
    return corrupt


CORRUPTIONS = {
    "magic": _set_ident(1, ord("X")),           # \x7fXLF
    "class": _set_ident(4, 1),                  # ELFCLASS32
    "mach": _set_header(18, "<H", 3),           # EM_386
    "type": _set_header(16, "<H", 1),           # ET_REL
    "trunc": _truncate,
    "phoff": _set_header(32, "<Q", 0x7fff0000),  # e_phoff far past the end
    "phsz": _load_past_eof,
    "memsz": _memsz_below_filesz,
    "kaddr": _extra_load(0xffffffff80000000, 0x1000),   # kernel space
    "kspan": _extra_load(KERNEL_BASE - 0x1000, 0x2000), # crosses into it
    "page0": _extra_load(0, 0x1000),                    # maps page 0
}


# The segment huge-zero adds: the top 508 GiB of user space, no file bytes.
HUGE_ZERO = (0x100000000, 0x7f00000000)


def huge_zero(src, dst):
    with open(src, "rb") as f:
        elf = Elf(f.read())
    _extra_load(*HUGE_ZERO)(elf)
    index = [i for i, ph in enumerate(elf.phdrs())
             if ph[0] == PT_LOAD and ph[3] == HUGE_ZERO[0]][0]
    ph = elf.phdrs()[index]
    ph[1] = 6                       # PF_R | PF_W
    ph[5] = 0                       # p_filesz: zeros only
    elf.put_phdr(index, ph)
    with open(dst, "wb") as f:
        f.write(elf.data)


def corrupt(kind, src, dst):
    with open(src, "rb") as f:
        elf = Elf(f.read())
    if kind not in CORRUPTIONS:
        raise SystemExit("elftool: unknown corruption %r (known: %s)"
                         % (kind, " ".join(sorted(CORRUPTIONS))))
    CORRUPTIONS[kind](elf)
    with open(dst, "wb") as f:
        f.write(elf.data)


def main(argv):
    if len(argv) >= 2 and argv[1] == "corrupt" and len(argv) == 5:
        corrupt(argv[2], argv[3], argv[4])
        return 0
    if len(argv) == 4 and argv[1] == "huge-zero":
        huge_zero(argv[2], argv[3])
        return 0
    if len(argv) >= 3 and argv[1] == "check":
        args = argv[2:]
        options = {"text_at": None, "first_load_at": None,
                   "first_has_header": False}
        while len(args) > 1:
            opt = args.pop(0)
            if opt == "--text-at":
                options["text_at"] = int(args.pop(0), 0)
            elif opt == "--first-load-at":
                options["first_load_at"] = int(args.pop(0), 0)
            elif opt == "--first-load-has-header":
                options["first_has_header"] = True
            else:
                raise SystemExit("elftool: unknown option %r" % opt)
        problems = check(args[0], **options)
        for p in problems:
            print("elftool: %s: %s" % (args[0], p), file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
