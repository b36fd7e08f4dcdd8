"""GDB helpers for the Folio kernel (docs/debugging.md).

Loaded by the gdbinit that `make debug` writes (`source harness/gdb/folio.py`),
or by hand in any gdb session that has build/kernel.elf (or the -Og build's
kernel.elf) as its symbol file.  Every helper only reads memory through the
debugger: none calls a kernel function, so using them never changes the
machine (no lock taken, no allocation, no page fault).

Commands (`help folio` lists them):

  folio-connect HOST:PORT [SECONDS]  target remote, retrying while QEMU starts
  folio-thread                       the running thread and its process
  folio-threads                      every thread
  folio-bt TID                       the stack of a thread that is not running
  folio-process [PID]                a process (default: the current one)
  folio-processes                    every process
  folio-page ADDR [PID]              the supplemental page record of user ADDR
  folio-pages [PID]                  every page record of a process
  folio-frame ADDR|PAGE|FRAME [PID]  a frame table entry and its holders
  folio-trapframe [EXPR]             the interrupted context (user or kernel)

Convenience functions: $folio_page(ADDR [, PID]), $folio_frame(ADDR [, PID]),
$folio_thread(), $folio_process([PID]) return typed pointers (0 when there
is none), e.g. `p *$folio_page($rsp)` or `p $folio_frame(0x601000)->pins`.

What the helpers assume of the kernel is written once here, from its
headers: the layout constants of kernel/layout.h, the hash of kernel/hash.c,
the block shape of mm/spt.h and the names of the static variables that
anchor each structure (`current` and `all_threads` in kernel/thread.c,
`all_processes` in proc/process.c, `frames`/`n_frames`/`base_pfn` in
mm/frame.c).  Field names come from the kernel's debug information.
"""

import functools
import time

import gdb

USER_TOP = 0x8004000000
DMAP_BASE = 0xffff800000000000
KERNEL_VMA = 0xffffffff80000000
PGSHIFT = 12
PGSIZE = 1 << PGSHIFT
MASK64 = (1 << 64) - 1
PTE_BITS = ((0, "P"), (1, "W"), (2, "U"), (5, "A"), (6, "D"), (63, "NX"))
PTE_ADDR = 0x000ffffffffff000
PTE_PS = 1 << 7
LIST_LIMIT = 1 << 20          # a longer list is a corrupted one
STATUS_NAMES = {0: "running", 1: "ready", 2: "blocked", 3: "dying"}


class FolioError(gdb.GdbError):
    """A helper cannot answer; the message says why."""


# --- reading the kernel's data -------------------------------------------


def static(path, name):
    """Return the value of static variable NAME of source file PATH."""
    try:
        return gdb.parse_and_eval("'%s'::%s" % (path, name))
    except gdb.error:
        pass
    sym = gdb.lookup_static_symbol(name)
    if sym is None:
        raise FolioError("no symbol %s of %s: is the kernel's ELF loaded "
                         "(file build/kernel.elf)?" % (name, path))
    return sym.value()


def struct_type(name):
    """Return gdb's type for `struct NAME`."""
    try:
        return gdb.lookup_type("struct " + name)
    except gdb.error:
        raise FolioError("no type struct %s in the symbol file" % name) \
            from None


def container_of(ptr, type_name, member):
    """The struct TYPE_NAME holding MEMBER at address PTR (list_entry)."""
    t = struct_type(type_name)
    offset = t[member].bitpos // 8
    return gdb.Value(int(ptr) - offset).cast(t.pointer())


def list_items(lst, type_name, member):
    """Yield the struct TYPE_NAME pointers linked into struct list LST
    through their list_elem MEMBER (kernel/list.h)."""
    tail = int(lst["tail"].address)
    e = lst["head"]["next"]
    for _ in range(LIST_LIMIT):
        if int(e) == tail or int(e) == 0:
            return
        yield container_of(e, type_name, member)
        e = e["next"]
    raise FolioError("list at 0x%x does not end: corrupted?"
                     % int(lst.address))


def read_u64(addr):
    """Read the 64-bit little-endian word at kernel address ADDR."""
    try:
        data = gdb.selected_inferior().read_memory(addr, 8)
    except gdb.MemoryError:
        raise FolioError("cannot read memory at 0x%x" % addr) from None
    return int.from_bytes(bytes(data), "little")


def c_string(value):
    """A char array or pointer as a Python string."""
    try:
        return value.string(errors="replace")
    except gdb.error:
        return "?"


def vtop(addr):
    """Physical address of kernel address ADDR (kernel/layout.h vtop)."""
    return addr - KERNEL_VMA if addr >= KERNEL_VMA else addr - DMAP_BASE


def as_int(text_or_value):
    """Evaluate an argument (an expression or a gdb.Value) to an integer."""
    v = text_or_value
    if isinstance(v, str):
        v = gdb.parse_and_eval(v)
    return int(v) & MASK64


def block_pages():
    """Pages per block of the supplemental page table (SPT_BLOCK_PAGES)."""
    lo, hi = struct_type("spt_block")["page"].type.range()
    return hi - lo + 1


# --- threads and processes -----------------------------------------------


def current_thread():
    """The running thread (struct thread *)."""
    return static("kernel/thread.c", "current")


def all_threads():
    return list_items(static("kernel/thread.c", "all_threads"),
                      "thread", "allelem")


def all_processes():
    return list_items(static("proc/process.c", "all_processes"),
                      "process", "elem")


def find_process(pid):
    """The process with pid PID, or the current thread's when PID is None."""
    if pid is None:
        t = current_thread()
        p = t["process"]
        if int(p) == 0:
            raise FolioError("the running thread (tid %d, %s) has no process: "
                             "give a pid (folio-processes lists them)"
                             % (int(t["tid"]), c_string(t["name"])))
        return p
    for p in all_processes():
        if int(p["pid"]) == pid:
            return p
    raise FolioError("no process with pid %d" % pid)


def process_of_vm(vm):
    """The process whose struct vm is at address VM."""
    return container_of(vm, "process", "vm")


def describe_thread(t):
    status = int(t["status"])
    text = "thread %d '%s' (%s) at 0x%x" % (
        int(t["tid"]), c_string(t["name"]),
        STATUS_NAMES.get(status, "status %d" % status), int(t))
    p = t["process"]
    if int(p):
        text += ", process %d '%s'" % (int(p["pid"]), c_string(p["name"]))
    return text


def describe_process(p):
    return "process %d '%s' at 0x%x: %s, pml4 0x%x, %d page blocks%s" % (
        int(p["pid"]), c_string(p["name"]), int(p),
        "thread %d" % int(p["thread"]["tid"]) if int(p["thread"])
        else "its thread has not started",
        int(p["vm"]["pml4"]), int(p["vm"]["spt"]["count"]),
        ", killed" if bool(p["killed"]) else "")


def symbol_at(pc):
    """`name + offset` of the ELF symbol holding PC, or None."""
    text = gdb.execute("info symbol 0x%x" % pc, to_string=True)
    return None if text.startswith("No symbol") else \
        text.split(" in section ")[0].strip()


def describe_pc(pc):
    """Return address PC as `0x...: function at file:line`.  It is looked
    up at PC - 1, so that a call that ends its function names the caller,
    unless PC starts a function (a new thread's first `ret` goes to
    thread_trampoline)."""
    at = pc if (symbol_at(pc) or "+").find(" + ") < 0 else pc - 1
    block = gdb.block_for_pc(at)
    while block is not None and block.function is None:
        block = block.superblock
    if block is not None:
        name = block.function.name
    else:
        name = (symbol_at(at) or "??").split(" + ")[0]
    sal = gdb.find_pc_line(at)
    where = "%s:%d" % (sal.symtab.filename, sal.line) if sal.symtab else "??"
    return "0x%x: %s at %s" % (pc, name, where)


# What switch_threads (kernel/switch.S) leaves on a switched-out thread's
# stack, from its saved rsp up: %ds %es %fs %gs, r15 r14 r13 r12, rbp,
# rbx, then its return address.
SWITCH_SAVED_RBP = 8
SWITCH_RETURN = 10


def thread_stack(t, limit=64):
    """The return addresses on the stack of switched-out thread T: the one
    switch_threads left above the registers it pushes (SWITCH_RETURN),
    then the frame-pointer chain from the rbp it saved."""
    rsp = int(t["rsp"])
    rbp = read_u64(rsp + SWITCH_SAVED_RBP * 8)
    pcs = [read_u64(rsp + SWITCH_RETURN * 8)]
    for _ in range(limit):
        if rbp < DMAP_BASE:
            break
        pc, rbp = read_u64(rbp + 8), read_u64(rbp)
        if pc == 0:
            break
        pcs.append(pc)
    return pcs


# --- the supplemental page table (mm/spt.c) ------------------------------


def bucket_of(key, n_buckets):
    """kernel/hash.c's bucket for KEY in a table of N_BUCKETS."""
    key ^= key >> 29
    key = (key * 0xbf58476d1ce4e5b9) & MASK64
    key ^= key >> 32
    return key & (n_buckets - 1)


def spt_block(vm, va):
    """The block of VM's table covering user address VA, or None."""
    span = block_pages() * PGSIZE
    base = va & ~(span - 1)
    table = vm["spt"]
    n = int(table["n_buckets"])
    if n == 0:
        return None
    e = table["buckets"][bucket_of(base, n)]
    for _ in range(LIST_LIMIT):
        if int(e) == 0:
            return None
        if int(e["key"]) == base:
            return container_of(e, "spt_block", "elem")
        e = e["next"]
    raise FolioError("hash chain does not end: corrupted table?")


def spt_find(vm, va):
    """spt_find(): the record (struct page *) of VA's page, or None."""
    block = spt_block(vm, va)
    if block is None:
        return None
    page = block["page"][(va >> PGSHIFT) % block_pages()]
    return page.address if int(page["ops"]) else None


def spt_blocks(vm):
    """Every block of VM's table, in bucket order."""
    table = vm["spt"]
    for i in range(int(table["n_buckets"])):
        e = table["buckets"][i]
        for _ in range(LIST_LIMIT):
            if int(e) == 0:
                break
            yield container_of(e, "spt_block", "elem")
            e = e["next"]


def pte_of(vm, va):
    """The page-table entry mapping user VA in VM, or None (no table)."""
    table = int(vm["pml4"])
    for shift in (39, 30, 21, 12):
        entry = read_u64(table + ((va >> shift) & 511) * 8)
        if shift == 12 or not entry & 1 or entry & PTE_PS:
            return entry if (shift == 12 or entry & PTE_PS) else None
        table = DMAP_BASE + (entry & PTE_ADDR)
    return None


def describe_pte(entry):
    if entry is None:
        return "no page table"
    if not entry & 1:
        return "not present (0x%x)" % entry
    flags = " ".join(name for bit, name in PTE_BITS if entry >> bit & 1)
    return "phys 0x%x %s%s" % (entry & PTE_ADDR, flags,
                               "" if entry & 2 else " (read-only)")


def kind_of(page):
    return c_string(page["ops"]["name"])


def frame_index(frame):
    first = static("mm/frame.c", "frames")
    return (int(frame) - int(first)) // struct_type("frame").sizeof


def describe_page(page, detail=True):
    """Lines describing record PAGE (struct page *)."""
    proc = process_of_vm(page["vm"])
    va = int(page["va"])
    frame = page["frame"]
    holders = frame_holders(frame) if int(frame) else 0
    where = ("in frame #%d (kva 0x%x, %d holder%s)"
             % (frame_index(frame), int(frame["kva"]), holders,
                "" if holders == 1 else "s")
             if int(frame) else "not resident")
    slot = int(page["slot"])
    lines = ["page 0x%x of process %d '%s': %s, %s, %s%s%s%s" % (
        va, int(proc["pid"]), c_string(proc["name"]), kind_of(page),
        "writable" if bool(page["writable"]) else "read-only", where,
        ", executable" if bool(page["executable"]) else "",
        ", dirty" if bool(page["dirty"]) else "",
        ", swap slot %d" % slot if slot >= 0 else "")]
    if not detail:
        return lines
    block = spt_block(page["vm"], va)
    lines.append("  record (struct page *) 0x%x in block 0x%x (%d of %d "
                 "records used)" % (int(page), int(block), int(block["used"]),
                                    block_pages()))
    lines.append("  PTE: %s" % describe_pte(pte_of(page["vm"], va)))
    kind = kind_of(page)
    if kind == "exec" and int(page["exec"]):
        load = page["exec"]
        pieces = ", ".join(
            "file+0x%x -> page+0x%x, %d bytes" % (
                int(load["piece"][i]["file_ofs"]),
                int(load["piece"][i]["page_ofs"]), int(load["piece"][i]["len"]))
            for i in range(int(load["n"])))
        lines.append("  exec source 0x%x: %s" % (int(load),
                                                 pieces or "zero-filled"))
    elif kind == "file":
        f = page["mmap"]
        lines.append("  mapping 0x%x, file offset %d, %d bytes of file data"
                     % (int(f["mapping"]), int(f["ofs"]), int(f["bytes"])))
    return lines


# --- the frame table (mm/frame.c) ----------------------------------------


def frame_holders(frame):
    return sum(1 for _ in list_items(frame["pages"], "page", "frame_elem"))


def frame_of_phys(pa):
    """The frame table entry of physical address PA, or an error."""
    base = int(static("mm/frame.c", "base_pfn"))
    n = int(static("mm/frame.c", "n_frames"))
    i = (pa >> PGSHIFT) - base
    if not 0 <= i < n:
        raise FolioError("physical address 0x%x is outside the user pool "
                         "(frames %d..%d)" % (pa, base, base + n - 1))
    return static("mm/frame.c", "frames")[i].address


def resolve_frame(value, pid=None):
    """The struct frame * meant by VALUE: a struct frame * or struct page *
    as is, a user address (through the process's page record), or a kernel
    address (the frame it lies in)."""
    t = value.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR:
        target = t.target().strip_typedefs()
        if target.code == gdb.TYPE_CODE_STRUCT and target.tag == "frame":
            return value
        if target.code == gdb.TYPE_CODE_STRUCT and target.tag == "page":
            if int(value["frame"]) == 0:
                raise FolioError("page 0x%x is not resident"
                                 % int(value["va"]))
            return value["frame"]
    addr = int(value) & MASK64
    if addr < USER_TOP:
        page = spt_find(find_process(pid)["vm"], addr)
        if page is None:
            raise FolioError("no page at user address 0x%x" % addr)
        if int(page["frame"]) == 0:
            raise FolioError("page 0x%x is not resident"
                             % (addr & ~(PGSIZE - 1)))
        return page["frame"]
    if addr >= DMAP_BASE:
        return frame_of_phys(vtop(addr))
    raise FolioError("0x%x is neither a user nor a kernel address" % addr)


def describe_frame(frame):
    kva = int(frame["kva"])
    key = int(frame["code_elem"]["key"])
    lines = ["frame #%d: phys 0x%x, kva 0x%x, %s, pins %d%s" % (
        frame_index(frame), vtop(kva) if kva else 0, kva,
        "in use" if bool(frame["used"]) else "free", int(frame["pins"]),
        ", shared-code key 0x%x" % key if key else "")]
    holders = list(list_items(frame["pages"], "page", "frame_elem"))
    lines.append("  holders (%d):" % len(holders))
    for page in holders:
        lines.append("    " + describe_page(page, detail=False)[0])
        lines.append("      PTE: %s" % describe_pte(
            pte_of(page["vm"], int(page["va"]))))
    return lines


# --- commands ------------------------------------------------------------


def reads_memory(invoke):
    """Turn a failed read of the machine's memory, anywhere in INVOKE, into
    one error that says why it happens."""
    @functools.wraps(invoke)
    def checked(*args):
        try:
            return invoke(*args)
        except gdb.MemoryError as err:
            raise FolioError("%s: the kernel's memory is not readable here "
                             "(before the kernel runs, `continue` to a "
                             "breakpoint first)" % err) from None
    return checked


def parse_args(arg, names, required=0):
    """Split ARG into at most len(NAMES) expressions, REQUIRED of them."""
    words = gdb.string_to_argv(arg)
    if not required <= len(words) <= len(names):
        raise FolioError("usage: %s" % " ".join(names))
    return words


def emit(lines):
    for line in lines:
        gdb.write(line + "\n")


class FolioPrefix(gdb.Command):
    """Folio kernel helpers (harness/gdb/folio.py, docs/debugging.md).

folio-connect HOST:PORT [SECONDS]  connect to QEMU, retrying while it starts
folio-thread, folio-threads        the running thread, every thread
folio-bt TID                       the kernel stack of a thread not running
folio-process [PID], folio-processes
folio-page ADDR [PID]              supplemental page record of a user address
folio-pages [PID]                  every page record of a process
folio-frame ADDR|PAGE|FRAME [PID]  frame table entry and its holders
folio-trapframe [EXPR]             the context an interrupt or system call saved
Functions: $folio_page(ADDR[,PID]) $folio_frame(ADDR[,PID]) $folio_thread()
$folio_process([PID])."""

    def __init__(self):
        super().__init__("folio", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        gdb.write(self.__doc__ + "\n")


class Connect(gdb.Command):
    """folio-connect HOST:PORT [SECONDS]: `target remote HOST:PORT`, retried
every 0.2 s for up to SECONDS (30) while QEMU is starting."""

    def __init__(self):
        super().__init__("folio-connect", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        words = parse_args(arg, ["HOST:PORT", "[SECONDS]"], 1)
        limit = float(words[1]) if len(words) > 1 else 30.0
        deadline = time.monotonic() + limit
        while True:
            try:
                gdb.execute("target remote %s" % words[0], from_tty)
                return
            except gdb.error as err:
                if time.monotonic() >= deadline:
                    raise FolioError("no QEMU listening on %s after %g s: %s"
                                     % (words[0], limit, err)) from None
                time.sleep(0.2)


class Thread(gdb.Command):
    """folio-thread: the running thread and its process."""

    def __init__(self):
        super().__init__("folio-thread", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        parse_args(arg, [])
        t = current_thread()
        lines = [describe_thread(t)]
        if int(t["process"]):
            lines.append("  " + describe_process(t["process"]))
        pc = int(gdb.parse_and_eval("$pc")) & MASK64
        lines.append("  the CPU is in %s mode (rip 0x%x)"
                     % ("user" if pc < USER_TOP else "kernel", pc))
        emit(lines)


class Threads(gdb.Command):
    """folio-threads: every thread (* marks the running one)."""

    def __init__(self):
        super().__init__("folio-threads", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        parse_args(arg, [])
        running = int(current_thread())
        emit(("* " if int(t) == running else "  ") + describe_thread(t)
             for t in all_threads())


class ThreadBacktrace(gdb.Command):
    """folio-bt TID: the kernel stack of a thread that is not running (a
blocked or ready one), from what switch_threads saved; for the running
thread use `bt`."""

    def __init__(self):
        super().__init__("folio-bt", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        tid = as_int(parse_args(arg, ["TID"], 1)[0])
        for t in all_threads():
            if int(t["tid"]) == tid:
                break
        else:
            raise FolioError("no thread %d (folio-threads lists them)" % tid)
        if int(t) == int(current_thread()):
            raise FolioError("thread %d is running: use bt" % tid)
        emit([describe_thread(t)] +
             ["  #%d %s" % (i, describe_pc(pc))
              for i, pc in enumerate(thread_stack(t))])


class Process(gdb.Command):
    """folio-process [PID]: a process (default: the running thread's)."""

    def __init__(self):
        super().__init__("folio-process", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        words = parse_args(arg, ["[PID]"])
        pid = as_int(words[0]) if words else None
        emit([describe_process(find_process(pid))])


class Processes(gdb.Command):
    """folio-processes: every process."""

    def __init__(self):
        super().__init__("folio-processes", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        parse_args(arg, [])
        emit(describe_process(p) for p in all_processes())


class Page(gdb.Command):
    """folio-page ADDR [PID]: the supplemental page record of user address
ADDR in process PID (default: the running thread's process), found as
spt_find() finds it: the block's hash bucket, then the record's index."""

    def __init__(self):
        super().__init__("folio-page", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        words = parse_args(arg, ["ADDR", "[PID]"], 1)
        addr = as_int(words[0])
        proc = find_process(as_int(words[1]) if len(words) > 1 else None)
        page = spt_find(proc["vm"], addr)
        if page is None:
            emit(["no page at 0x%x in process %d '%s' (a hole, or no block)"
                  % (addr, int(proc["pid"]), c_string(proc["name"]))])
            return
        emit(describe_page(page))


class Pages(gdb.Command):
    """folio-pages [PID]: every page record of a process, by address."""

    def __init__(self):
        super().__init__("folio-pages", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        words = parse_args(arg, ["[PID]"])
        proc = find_process(as_int(words[0]) if words else None)
        pages = []
        for block in spt_blocks(proc["vm"]):
            for i in range(block_pages()):
                page = block["page"][i]
                if int(page["ops"]):
                    pages.append(page.address)
        pages.sort(key=lambda p: int(p["va"]))
        emit(describe_page(p, detail=False)[0] for p in pages)
        emit(["%d pages" % len(pages)])


class Frame(gdb.Command):
    """folio-frame ADDR|PAGE|FRAME [PID]: the frame table entry holding a
user address of process PID (default: the running one), a kernel address,
a struct page * or a struct frame *, with its reverse map: every page
that holds the frame, with its page-table entry."""

    def __init__(self):
        super().__init__("folio-frame", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        words = parse_args(arg, ["ADDR|PAGE|FRAME", "[PID]"], 1)
        pid = as_int(words[1]) if len(words) > 1 else None
        emit(describe_frame(resolve_frame(gdb.parse_and_eval(words[0]), pid)))


def find_trapframe():
    """The struct intr_frame * nearest to the selected gdb frame: the
    argument `f` of the innermost function that has one."""
    frame = gdb.selected_frame()
    want = struct_type("intr_frame").pointer()
    while frame is not None:
        try:
            value = frame.read_var("f")
            if value.type.strip_typedefs() == want:
                return value
        except (ValueError, gdb.error):
            pass
        frame = frame.older()
    raise FolioError("no struct intr_frame *f in the stack: give one")


class Trapframe(gdb.Command):
    """folio-trapframe [EXPR]: the context saved by an interrupt, exception
or system call (a struct intr_frame *; default: the innermost argument `f`
of that type on the stack): where it came from, in which mode."""

    def __init__(self):
        super().__init__("folio-trapframe", gdb.COMMAND_USER)

    @reads_memory
    def invoke(self, arg, from_tty):
        words = parse_args(arg, ["[EXPR]"])
        f = gdb.parse_and_eval(words[0]) if words else find_trapframe()
        rip = int(f["rip"])
        mode = "user" if int(f["cs"]) & 3 == 3 else "kernel"
        symbol = gdb.execute("info symbol 0x%x" % rip, to_string=True).strip()
        emit(["intr_frame 0x%x: vector %d, error code 0x%x, from %s mode"
              % (int(f), int(f["vec_no"]), int(f["error_code"]), mode),
              "  rip 0x%x (%s)" % (rip, symbol),
              "  rsp 0x%x rbp 0x%x rflags 0x%x"
              % (int(f["rsp"]), int(f["rbp"]), int(f["rflags"])),
              "  rax 0x%x rdi 0x%x rsi 0x%x rdx 0x%x"
              % (int(f["rax"]), int(f["rdi"]), int(f["rsi"]), int(f["rdx"]))])


# --- convenience functions -----------------------------------------------


def _pid(args):
    return as_int(args[0]) if args else None


class PageFunction(gdb.Function):
    """$folio_page(ADDR [, PID]): the struct page * of user address ADDR
(0 when there is none)."""

    def __init__(self):
        super().__init__("folio_page")

    @reads_memory
    def invoke(self, addr, *pid):
        page = spt_find(find_process(_pid(pid))["vm"], as_int(addr))
        return page if page is not None else \
            gdb.Value(0).cast(struct_type("page").pointer())


class FrameFunction(gdb.Function):
    """$folio_frame(ADDR [, PID]): the struct frame * holding ADDR (a user
address of process PID, or a kernel address)."""

    def __init__(self):
        super().__init__("folio_frame")

    @reads_memory
    def invoke(self, addr, *pid):
        return resolve_frame(addr, _pid(pid))


class ThreadFunction(gdb.Function):
    """$folio_thread(): the running struct thread *."""

    def __init__(self):
        super().__init__("folio_thread")

    @reads_memory
    def invoke(self):
        return current_thread()


class ProcessFunction(gdb.Function):
    """$folio_process([PID]): a struct process * (default: the running)."""

    def __init__(self):
        super().__init__("folio_process")

    @reads_memory
    def invoke(self, *pid):
        return find_process(_pid(pid))


for _command in (FolioPrefix, Connect, Thread, Threads, ThreadBacktrace,
                 Process, Processes,
                 Page, Pages, Frame, Trapframe, PageFunction, FrameFunction,
                 ThreadFunction, ProcessFunction):
    _command()
