"""Unit tests of the CPU-state report (harness/probe.py), the QMP client
(harness/monitor.py) and the ELF facts it reads (harness/elfinfo.py), on
canned monitor answers and readelf text: no QEMU."""

import json
import socket
import threading

import pytest

from harness import probe
from harness.elfinfo import KernelLayout, parse_field_offsets
from harness.monitor import Monitor, MonitorError

INFO_REGISTERS = """\
RAX=0000000000000000 RBX=ffffffff80109e90 RCX=ffffffff8014918e RDX=ffffffff8011e014
RSI=ffffffff8014918f RDI=000000000000000b RBP=ffffffff80125f30 RSP=ffffffff80125f20
R8 =0000000000000001 R9 =ffffffff8011e5c8 R10=0000000000000074 R11=0000000000000001
R12=0000000000000000 R13=ffffffff80125fa0 R14=0000000000000000 R15=0000000000000000
RIP=ffffffff80109eab RFL=00000282 [--S----] CPL=0 II=0 A20=1 SMM=0 HLT=0
ES =0010 0000000000000000 ffffffff 00cf9300 DPL=0 DS   [-WA]
CS =0008 0000000000000000 ffffffff 00af9a00 DPL=0 CS64 [-R-]
GDT=     ffffffff80100190 00000037
CR0=80010033 CR2=0000000000000000 CR3=0000000000101000 CR4=000006a0
"""

THREAD = 0xffff800000200000
PROCESS = 0xffff800000300000
LAYOUT = KernelLayout(current=0xffffffff80126d48, offsets={
    "thread.name": 8, "thread.process": 96, "process.pid": 0,
    "process.name": 4})


class FakeMonitor:
    """Answers `info registers` and `x /Ngx ADDR` from canned state
    (MEMORY maps byte addresses to bytes); records the QMP commands it
    was given."""

    def __init__(self, registers=INFO_REGISTERS, memory=None):
        self.registers = [registers] if isinstance(registers, str) \
            else list(registers)
        self.memory = memory or {}
        self.commands = []

    def human(self, line):
        if line == "info registers":
            return self.registers.pop(0) if len(self.registers) > 1 \
                else self.registers[0]
        count, address = line.split()[1:]
        count, address = int(count[1:-2]), int(address, 16)
        raw = [self.memory.get(address + i) for i in range(8 * count)]
        if None in raw:
            return "Cannot access memory\n"
        words = [int.from_bytes(bytes(raw[i:i + 8]), "little")
                 for i in range(0, len(raw), 8)]
        return "%016x: %s\n" % (address, " ".join("0x%016x" % w for w in words))

    def execute(self, command, arguments=None, timeout=None):
        self.commands.append(command)
        return {}


def memory_with_process():
    """Guest memory holding `current` -> a thread 'loop' of process
    'loop' with pid 3, and a two-frame kernel stack."""
    memory = {}

    def store(address, data):
        if isinstance(data, int):
            data = data.to_bytes(8, "little")
        memory.update((address + i, b) for i, b in enumerate(data))
    store(LAYOUT.current, THREAD)
    store(THREAD, b"\0" * 8 + b"loop-thread".ljust(88, b"\0"))
    store(THREAD + 96, PROCESS)
    store(PROCESS, b"\3\0\0\0loop".ljust(40, b"\0"))
    store(0xffffffff80125f30, 0xffffffff80125f50)           # saved rbp
    store(0xffffffff80125f38, 0xffffffff8010ce05)           # return
    store(0xffffffff80125f50, 0)                            # the end
    store(0xffffffff80125f58, 0xffffffff8010aaaa)
    return memory


def test_parse_registers():
    regs = probe.parse_registers(INFO_REGISTERS)
    assert regs["RIP"] == 0xffffffff80109eab
    assert regs["R8"] == 1 and regs["CPL"] == 0 and regs["HLT"] == 0
    assert regs["CR3"] == 0x101000 and regs["CS"] == 8
    assert "GDT" not in regs


def test_state_names_thread_process_and_walks_the_stack(monkeypatch):
    monkeypatch.setattr(probe, "kernel_layout", lambda elf: LAYOUT)
    state = probe.read_state(FakeMonitor(memory=memory_with_process()), "k")
    assert (state.thread, state.process, state.pid) == ("loop-thread",
                                                        "loop", 3)
    assert state.frames == ["0xffffffff8010ce05", "0xffffffff8010aaaa"]
    assert state.who() == "kernel mode, process 'loop' (pid 3), thread " \
        "'loop-thread'"
    assert state.rip == "0xffffffff80109eab" and state.interrupts_on
    assert state.register_lines()[0].startswith("rax=0000000000000000 rbx=")


def test_user_mode_state_has_no_kernel_walk(monkeypatch):
    monkeypatch.setattr(probe, "kernel_layout", lambda elf: LAYOUT)
    user = INFO_REGISTERS.replace("CPL=0", "CPL=3")
    state = probe.read_state(FakeMonitor(user, memory_with_process()), "k")
    assert state.user_mode and state.frames == []
    assert state.who().startswith("user mode, process 'loop' (pid 3)")


def test_unreadable_thread_is_a_note(monkeypatch):
    monkeypatch.setattr(probe, "kernel_layout", lambda elf: LAYOUT)
    state = probe.read_state(FakeMonitor(memory={}), "k")
    assert state.thread is None
    assert state.notes[0].startswith("running thread unknown: cannot read")
    assert state.who() == "kernel mode"


def test_sample_skips_interrupt_handlers(monkeypatch):
    monkeypatch.setattr(probe, "kernel_layout", lambda elf: LAYOUT)
    monkeypatch.setattr(probe, "SAMPLE_GAP", 0)
    in_handler = INFO_REGISTERS.replace("RFL=00000282", "RFL=00000082")
    monitor = FakeMonitor([in_handler, INFO_REGISTERS], memory_with_process())
    state = probe.sample_running(monitor, "k")
    assert state.interrupts_on
    assert monitor.commands == ["stop", "cont", "stop"]


def test_sample_gives_up_after_a_few_tries(monkeypatch):
    monkeypatch.setattr(probe, "kernel_layout", lambda elf: LAYOUT)
    monkeypatch.setattr(probe, "SAMPLE_GAP", 0)
    in_handler = INFO_REGISTERS.replace("RFL=00000282", "RFL=00000082")
    monitor = FakeMonitor(in_handler, memory_with_process())
    assert not probe.sample_running(monitor, "k").interrupts_on
    assert monitor.commands.count("stop") == probe.SAMPLES


def entry(depth, tag, **attributes):
    """One entry of `readelf --debug-dump=info` output."""
    lines = [" <%d><2d>: Abbrev Number: 8 (DW_TAG_%s)" % (depth, tag)]
    lines += ["    <2e>   DW_AT_%-13s: %s" % (name, value)
              for name, value in attributes.items()]
    return "\n".join(lines) + "\n"


READELF = (
    entry(1, "structure_type", name="(indirect string, offset: 0x1ae7): "
          "thread", declaration=1)
    + entry(1, "structure_type", name="(indirect string, offset: 0x1ae7): "
            "thread", byte_size=568)
    + entry(2, "member", name="tid", data_member_location=0)
    + entry(2, "member", name="(indirect string, offset: 0x10): name",
            data_member_location=8)
    + entry(2, "member", name="process", data_member_location=96)
    + " <2><58>: Abbrev Number: 0\n"
    + entry(1, "structure_type", name="other")
    + entry(2, "member", name="name", data_member_location=40))


def test_field_offsets_from_readelf():
    offsets = parse_field_offsets(READELF.splitlines(),
                                  {"thread": ("name", "process"),
                                   "other": ("name",), "none": ("x",)})
    assert offsets == {"thread.name": 8, "thread.process": 96,
                       "other.name": 40}


@pytest.fixture
def qmp_server(tmp_path):
    """A fake QMP server on a unix socket: answers each command with the
    replies its script gives, after the greeting."""
    path = str(tmp_path / "q.sock")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(1)
    script = []

    def serve():
        conn, _ = listener.accept()
        stream = conn.makefile("rwb")
        stream.write(b'{"QMP": {"version": {}}}\n')
        stream.flush()
        for line in stream:
            command = json.loads(line)["execute"]
            for reply in (script.pop(0) if script else [{"return": {}}]):
                if reply == "silence":
                    continue
                stream.write(json.dumps(reply).encode() + b"\n")
            stream.flush()
            if command == "quit":
                break
        conn.close()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, script
    listener.close()


def test_monitor_commands_events_and_errors(qmp_server):
    path, script = qmp_server
    script += [[{"return": {}}],
               [{"event": "STOP"}, {"return": "RIP=1\n"}],
               [{"error": {"desc": "no such command"}}],
               ["silence"]]
    monitor = Monitor(path)
    assert monitor.try_connect()
    assert monitor.human("info registers") == "RIP=1\n"
    assert [e["event"] for e in monitor.events] == ["STOP"]
    with pytest.raises(MonitorError, match="no such command"):
        monitor.execute("bogus")
    with pytest.raises(MonitorError, match="no answer"):
        monitor.execute("stop", timeout=0.2)
    monitor.close()


def test_monitor_without_socket(tmp_path):
    monitor = Monitor(str(tmp_path / "none.sock"))
    assert not monitor.try_connect()
    with pytest.raises(MonitorError, match="no QMP socket"):
        monitor.connect(0.05)
    with pytest.raises(MonitorError, match="not connected"):
        monitor.execute("stop")


def test_watcher_reads_the_cpu_of_a_reset_then_lets_qemu_quit(
        qmp_server, monkeypatch):
    path, script = qmp_server
    monkeypatch.setattr(probe, "kernel_layout", lambda elf: LAYOUT)
    script += [[{"return": {}}],                          # capabilities
               [{"return": {"status": "running"}},        # query-status
                {"event": "SHUTDOWN",
                 "data": {"guest": True, "reason": "guest-reset"}}],
               [{"return": INFO_REGISTERS}]]              # info registers
    # then every `x` is refused (no memory), and quit answers {}
    script += [[{"return": "Cannot access memory\n"}]] * 2
    watcher = probe.Watcher(path, "kernel.elf")
    watcher.poll()                  # connects; the event is waiting
    watcher.poll()                  # answers it
    assert watcher.done and watcher.problem is None
    assert watcher.reset_state.rip == "0xffffffff80109eab"
    assert watcher.reset_state.notes[0].startswith("running thread unknown")
    watcher.poll()                  # nothing more to do
    watcher.at_deadline(None)
    assert watcher.hang_state is None


def test_watcher_without_qemu_says_why(tmp_path):
    watcher = probe.Watcher(str(tmp_path / "none.sock"), "kernel.elf",
                            patience=0.05)
    watcher.poll()
    assert not watcher.done
    watcher.at_deadline(None)
    assert watcher.problem.startswith("CPU state at the timeout unknown: "
                                      "no QMP socket")
