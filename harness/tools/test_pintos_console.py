"""The kernel option console=pintos: a Folio run passes a Pintos-style
checker (harness/pintos/), each Pintos line stands where Pintos prints it
and tells the truth (memory size, tick count), and a line whose event did
not happen (power-off after a panic or a reset) is not printed."""

import os
import re
import subprocess

import pytest

from harness import debug
from harness.cases import Case, CaseId
from harness.runner import machine_for
from harness.tools.support import REPO
from images import qemu

PINTOS = os.path.join(REPO, "harness", "pintos")
BANNER = re.compile(r"^Pintos booting with ([\d,]+) kB RAM\.\.\.$")
TIMER = re.compile(r"^Timer: (\d+) ticks$")


def boot(folio, tmp_path, target, seconds):
    """Boot TARGET to its end the session's way (directly, unless
    --via iso); return (QEMU's status, console lines, wall seconds)."""
    console = tmp_path / "run.output"
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    argv = qemu.qemu_argv(machine_for(target.case, folio, str(work),
                                      str(console), str(work / "kernel.log")))
    end = qemu.run(argv, seconds * folio.timeout_factor,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return end.status, console.read_text().replace("\r", "").split(
        "\n"), end.seconds


def case(name, kopts="console=pintos"):
    return debug.case_target(name, os.path.join(REPO, "build", "userland"),
                             kopts=kopts)


def selftest(name, kopts="console=pintos", memory="64M"):
    return debug.Target(label="selftest " + name, name=name,
                        case=Case(key=CaseId("selftest", name),
                                  directory=REPO, selftest=name,
                                  options=kopts, memory=memory),
                        userland=os.path.join(REPO, "build", "userland"))


def pintos_lines(lines):
    """The indexes of the Pintos lines and of the frame lines in LINES."""
    def where(pred):
        return [i for i, line in enumerate(lines) if pred(line)]
    return {
        "banner": where(BANNER.match),
        "boot": where(lambda l: l == "Boot complete."),
        "open": where(lambda l: l.startswith("Executing '")),
        "close": where(lambda l: l.startswith("Execution of '")),
        "timer": where(TIMER.match),
        "off": where(lambda l: l == "Powering off..."),
    }


def test_a_folio_test_passes_the_pintos_checker(folio, tmp_path):
    status, lines, _ = boot(folio, tmp_path, case("cow/cow-isolate"), 60)
    assert status == qemu.EXIT_POWER_OFF, lines
    done = subprocess.run(["perl", "-I", PINTOS,
                           os.path.join(PINTOS, "cow-isolate.ck"),
                           str(tmp_path / "run"), str(tmp_path / "run.result")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=60)
    assert (tmp_path / "run.result").read_text() == "PASS\n", \
        (tmp_path / "run.result").read_text() + "\n".join(lines)
    assert done.returncode == 0
    at = pintos_lines(lines)
    assert all(len(v) == 1 for v in at.values()), lines
    order = [at[k][0] for k in ("banner", "boot", "open", "close", "timer",
                                "off")]
    assert order == sorted(order), lines
    assert at["open"][0] == at["boot"][0] + 1      # Boot complete, then run
    assert at["timer"][0] == at["close"][0] + 1 and \
        at["off"][0] == at["timer"][0] + 1


def kb(lines):
    return int(BANNER.match(lines[pintos_lines(lines)["banner"][0]])
               .group(1).replace(",", ""))


def test_memory_size_is_the_memory_map_total(folio, tmp_path):
    _, small, _ = boot(folio, tmp_path, selftest("trivial"), 60)
    _, large, _ = boot(folio, tmp_path, selftest("trivial", memory="128M"), 60)
    # QEMU's map: 639 kB below 640 KiB, then from 1 MiB to the top of RAM
    # less the last 128 KiB; the two runs differ by exactly 64 MiB.
    assert 63 * 1024 < kb(small) <= 64 * 1024
    assert kb(large) - kb(small) == 64 * 1024


def test_timer_counts_the_ticks_that_passed(folio, tmp_path):
    # selftest threads sleeps one thread for 11 ticks (kernel/thread_test.c)
    status, lines, wall = boot(folio, tmp_path, selftest("threads"), 60)
    assert status == qemu.EXIT_POWER_OFF
    ticks = int(TIMER.match(lines[pintos_lines(lines)["timer"][0]]).group(1))
    assert 11 <= ticks <= 100 * wall + 100, (ticks, wall)


@pytest.mark.parametrize("test, status", [("panic", qemu.EXIT_PANIC),
                                          ("triple", qemu.EXIT_RESET)])
def test_no_power_off_lines_when_the_run_never_ended(folio, tmp_path, test,
                                                     status):
    got, lines, _ = boot(folio, tmp_path, selftest(test), 60)
    assert got == status, lines
    at = pintos_lines(lines)
    assert len(at["banner"]) == 1 and len(at["boot"]) == 1, lines
    assert at["timer"] == [] and at["off"] == [] and at["close"] == [], lines
    done = subprocess.run(["perl", "-I", PINTOS,
                           os.path.join(PINTOS, "cow-isolate.ck"),
                           str(tmp_path / "run")],
                          stdout=subprocess.PIPE, timeout=60)
    reason = "Kernel panic" if test == "panic" else 'no "Timer: N ticks"'
    assert done.returncode == 1 and reason in done.stdout.decode()


def test_console_folio_prints_only_folio_lines(folio, tmp_path):
    status, lines, _ = boot(folio, tmp_path, selftest("trivial", ""), 60)
    assert status == qemu.EXIT_POWER_OFF
    at = pintos_lines(lines)
    assert at["banner"] == at["boot"] == at["timer"] == [], lines
    assert len(at["off"]) == 1


def test_a_bad_console_value_refuses_the_command_line(folio, tmp_path):
    status, lines, _ = boot(folio, tmp_path,
                            selftest("trivial", "console=dos"), 60)
    assert status == qemu.EXIT_REFUSED
    assert "folio: bad value 'dos' for option 'console'" in lines
    assert pintos_lines(lines)["banner"] == []
