"""The ISO group of make check (harness/isogroup.py)."""

import os

from harness import isogroup

TESTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "tests")


def test_spread_keeps_the_ends_and_spaces_the_rest():
    names = ["t%02d" % i for i in range(31)]
    assert isogroup.spread(names, 4) == ["t00", "t10", "t20", "t30"]
    assert isogroup.spread(names[:3], 10) == names[:3]
    assert isogroup.spread(reversed(names[:12]), 10)[0] == "t00"
    assert len(set(isogroup.spread(names[:11], 10))) == 10


def test_every_suite_gives_ten_and_the_kernel_suite_all(tmp_path):
    for suite, count in (("kernel", 14), ("big", 25), ("small", 3)):
        (tmp_path / suite).mkdir()
        (tmp_path / suite / "suite.toml").write_text("")
        for i in range(count):
            (tmp_path / suite / ("c%02d.toml" % i)).write_text("")
    group = isogroup.iso_group(str(tmp_path))
    by_suite = {s: {g for g in group if g.startswith(s + "/")}
                for s in ("kernel", "big", "small")}
    assert len(by_suite["kernel"]) == 14 and len(by_suite["small"]) == 3
    assert len(by_suite["big"]) == 10
    assert "big/c00" in group and "big/c24" in group
    assert not any(g.endswith("/suite") for g in group)


def test_both_ways_programs_count_for_their_suite(tmp_path):
    for suite, count in (("big", 25), ("small", 3)):
        (tmp_path / suite).mkdir()
        for i in range(count):
            (tmp_path / suite / ("c%02d.toml" % i)).write_text("")
    both = ("big/c03", "big/c04", "small/c01")
    group = isogroup.iso_group(str(tmp_path), both_ways=both)
    big = {g for g in group if g.startswith("big/")}
    # eight more make ten with the two booted both ways, which the
    # harness itself then boots directly
    assert len(big) == 8 and not big & set(both)
    assert "big/c00" in big and "big/c24" in big
    assert {g for g in group if g.startswith("small/")} == \
        {"small/c00", "small/c02"}


def test_spread_of_one_or_none():
    assert isogroup.spread(["b", "a", "c"], 1) == ["a"]
    assert isogroup.spread(["b", "a", "c"], 0) == []


def test_the_real_suites():
    group = isogroup.iso_group(TESTS)
    for suite in os.listdir(TESTS):
        names = isogroup.suite_names(TESTS, suite)
        chosen = [g for g in group if g.startswith(suite + "/")]
        both = [p for p in isogroup.BOTH_WAYS if p.startswith(suite + "/")]
        assert not set(chosen) & set(both)
        assert len(chosen) + len(both) == (
            len(names) if suite == "kernel"
            else max(len(both), min(10, len(names)))), suite


def test_the_both_ways_programs_exist():
    assert len(set(isogroup.BOTH_WAYS)) >= 20
    for case_id in isogroup.BOTH_WAYS:
        assert os.path.exists(os.path.join(TESTS, case_id + ".toml")), case_id


def test_watchdog_tests_are_never_chosen(tmp_path):
    (tmp_path / "s").mkdir()
    for i in range(12):
        (tmp_path / "s" / ("c%02d.toml" % i)).write_text(
            'run = "x"\nexpect = "timeout"\ntimeout = 1\n' if i in (0, 5)
            else 'run = "x"\n')
    (tmp_path / "s" / "c11.toml").write_text("not toml [")
    group = isogroup.iso_group(str(tmp_path), both_ways=())
    assert "s/c00" not in group and "s/c05" not in group
    assert len(group) == 10 and "s/c11" in group
