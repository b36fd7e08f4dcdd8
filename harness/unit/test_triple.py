"""Unit tests of a triple fault told by its cause (harness/triple.py and
classify's reset step) on interrupt logs in QEMU's `-d int,cpu_reset`
format, and of a refused kernel command line."""

from harness import probe, triple
from harness.classify import Kind, classify, diagnose
from harness.unit.test_classify import BANNER, GOOD_LOG, run, want, where

STATE = ("RAX=0000000000000001 RBX=0000000000000002\n"
         "RIP=%(rip)s RFL=00000206 [-----P-] CPL=0 II=0 A20=1 SMM=0 HLT=0\n"
         "GDT=     ffffffff801001f0 00000037\n"
         "IDT=     ffffffff80153e00 %(limit)s\n"
         "CR0=80050033 CR2=0000000000000000 CR3=0000000000101000 "
         "CR4=00300ea0\n")


def event(number, vector, rip, error="0000", soft=0, limit="0000007f",
          cr2=None):
    """One delivery as QEMU logs it, with the CPU state after it."""
    tail = " CR2=%s" % cr2 if cr2 else " env->regs[R_EAX]=0000000000000001"
    return ("%6d: v=%s e=%s i=%d cpl=0 IP=0008:%s pc=%s SP=0010:"
            "ffffffff80132f08%s\n" % (number, vector, error, soft, rip, rip,
                                      tail)
            + STATE % {"rip": rip, "limit": limit})


def timer_chain(rip):
    """The log of the IDT cut to 8 gates: the timer at RIP, #GP, #DF."""
    return (event(7, "2e", "ffffffff801220c2")
            + event(8, "20", rip)
            + "check_exception old: 0xffffffff new 0xd\n"
            + event(9, "0d", rip, "0202")
            + "check_exception old: 0xd new 0xd\n"
            + event(10, "08", rip)
            + "check_exception old: 0x8 new 0xd\n"
            + "Triple fault\nCPU Reset (CPU 0)\nEAX=00000000 EBX=00000000\n")


def test_chain_started_by_the_timer_names_the_cut_idt():
    chain = triple.parse_chain(timer_chain("ffffffff8011a208"))
    assert chain.arrows() == "interrupt 0x20 -> #GP -> #DF -> reset"
    assert chain.start.external and chain.start.rip == 0xffffffff8011a208
    assert chain.cause() == ("vector 0x20 beyond the IDT's limit 0x7f "
                             "(gates 0 to 7)")
    assert chain.lines()[1:4] == [
        "  delivering interrupt 0x20 raised #GP",
        "  delivering #GP raised #GP, which made it #DF",
        "  delivering #DF raised #GP: triple fault"]


def test_a_log_without_a_triple_fault_has_no_chain():
    assert triple.parse_chain(event(1, "20", "ffffffff8011a208")) is None
    assert triple.parse_chain("") is None


def test_a_chain_started_by_an_instruction_is_placed_there():
    # a whole IDT (256 gates); the handler's stack is not mapped
    log = (event(3, "0e", "ffffffff80109ea2", "0002", limit="00000fff",
                 cr2="ffffc00000000000")
           + "check_exception old: 0xffffffff new 0xe\n"
           + event(4, "0e", "ffffffff80109ea2", "0002", limit="00000fff",
                   cr2="ffff80000015bff8")
           + "check_exception old: 0xe new 0xe\n"
           + event(5, "08", "ffffffff80109ea2", limit="00000fff")
           + "check_exception old: 0x8 new 0xe\nTriple fault\n")
    chain = triple.parse_chain(log)
    assert chain.arrows() == "#PF -> #PF -> #DF -> reset"
    assert chain.cause() is None            # gate 14 is inside the limit
    assert "  #PF: error code 0x2, cpl 0, rip ffffffff80109ea2 " \
        "cr2=ffffc00000000000" in chain.lines()
    diag = diagnose(want("reset"), run(BANNER, GOOD_LOG, status=0,
                                       chain=chain), where)[0]
    assert diag.kind == Kind.RESET
    assert diag.location == ("#PF -> #PF -> #DF -> reset at f_9ea2_False "
                             "at k.c:162")
    assert diag.reason == "triple fault: " + diag.location


def test_one_bug_is_one_place_wherever_the_timer_struck():
    # the same cut IDT, struck in two functions: one group in the summary
    places = set()
    for rip in ("ffffffff8011a208", "ffffffff80109ea2"):
        chain = triple.parse_chain(timer_chain(rip))
        verdict = classify(want(), run(BANNER, GOOD_LOG, status=0,
                                       chain=chain), where)
        assert verdict.kind == Kind.RESET
        places.add(verdict.location)
        assert "  rip 0x%s (in the kernel): f_%s_False at k.c:%d" % (
            rip, rip[-4:], int(rip[-2:], 16)) in verdict.diagnosis.details
    assert places == {"interrupt 0x20 -> #GP -> #DF -> reset: vector 0x20 "
                      "beyond the IDT's limit 0x7f (gates 0 to 7)"}


def test_reset_without_a_chain_says_why():
    diag = diagnose(want("reset"), run(
        BANNER, GOOD_LOG, status=0,
        chain_problem="the rerun ended without a triple fault"), where)[0]
    assert diag.reason.startswith("triple fault or unexpected reboot")
    assert "note: the rerun ended without a triple fault" in diag.details


def test_system_registers_are_read_at_the_reset():
    text = STATE % {"rip": "ffffffff8011a208", "limit": "0000007f"}
    state = probe.CpuState(probe.parse_registers(text),
                           probe.parse_tables(text))
    assert state.register_lines()[-1] == (
        "cr0=80050033 cr4=300ea0 idtr=ffffffff80153e00 limit 7f "
        "gdtr=ffffffff801001f0 limit 37")


REFUSED = (BANNER + "folio: unknown option 'user_pagez'\n"
           "folio: bad value 'abc' for option 'user_pages'\n"
           "folio: command line refused: 2 bad options (strict=0 ignores "
           "them)\n")


def test_a_refused_command_line_names_each_option_and_its_line(tmp_path):
    (tmp_path / "palloc.toml").write_text(
        '# user_pagez in a comment is skipped\nselftest = "palloc"\n'
        'options = "user_pagez=32 user_pages=abc"\n')
    case = want(directory=str(tmp_path), options="user_pagez=32 "
                "user_pages=abc")
    verdict = classify(case, run(REFUSED, "", status=39), where)
    assert verdict.kind == Kind.CMDLINE
    assert verdict.location == "option 'user_pagez', 'user_pages'"
    place = "%s:3" % (tmp_path / "palloc.toml")
    assert verdict.reason == (
        "kernel refused its command line (exit status 39): unknown option "
        "'user_pagez'; bad value 'abc' for option 'user_pages' (in %s)"
        % place)
    assert "folio: unknown option 'user_pagez' (%s)" % place in \
        verdict.diagnosis.details
    assert classify(want("refused", directory=str(tmp_path)),
                    run(REFUSED, "", status=39), where).passed
    # a refusal is no clean run for any other expect
    assert not classify(want("panic"), run(REFUSED, "", status=39),
                        where).passed
