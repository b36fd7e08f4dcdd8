"""The expected-output format (docs/interfaces.md, section 6;
docs/harness.md) and the comparison of a console frame against it.

    %% ignore-exit-codes      drop `NAME: exit(N)` lines on both sides
    %% ignore-faults          drop fault notices on both sides
    %% ignore: REGEX          drop lines in which REGEX is found, both sides
    a literal line
    %% re: REGEX              one line that REGEX matches as a whole
    %% unordered              these lines, in any order:
    line from one process
    line from another
    %% end
    %% or
    a second acceptable output

Directives come before the first output line; `%% or` separates
alternatives; `%% re:` and `%% unordered` ... `%% end` may stand anywhere
in an alternative (`%% re:` inside a block too).  Every other line is
literal, whatever characters it holds: only a line that starts with `%%`
means something else, so no literal line turns into a pattern by accident;
a line starting with `%%` that is none of the above (`%%re:`, `%% unorderd`)
is an error, never a literal line.
Lines are compared without trailing spaces and CRs.
"""

import difflib
import re
from dataclasses import dataclass, field
from typing import List, Optional, Union

from harness.console import printable, split_lines

MARK = "%%"                 # every line starting with it is a directive
OR_LINE = "%% or"
RE_PREFIX = "%% re:"
UNORDERED_LINE = "%% unordered"
END_LINE = "%% end"
IGNORE_PREFIX = "ignore:"
IGNORE_EXIT_CODES = "ignore-exit-codes"
IGNORE_FAULTS = "ignore-faults"
DIRECTIVES = (IGNORE_EXIT_CODES, IGNORE_FAULTS, IGNORE_PREFIX + " REGEX")
# Alignment of a diff against patterns costs expected x actual steps;
# past this many the diff pairs lines by position instead.
ALIGN_LIMIT = 250000

_EXIT_RE = re.compile(r"^\S+: exit\(-?\d+\)$")
_FAULT_RES = (re.compile(r"^Page fault at "),
              re.compile(r" dying due to interrupt "))


class ExpectedFormatError(Exception):
    """An expected-output file breaks the format; the message says where."""


@dataclass(frozen=True)
class Pattern:
    """A `%% re: REGEX` line: matches a line that REGEX matches whole."""
    source: str
    regex: re.Pattern

    def matches(self, line):
        return self.regex.fullmatch(line) is not None

    def __str__(self):
        return "%s %s" % (RE_PREFIX, self.source)


@dataclass
class Unordered:
    """A `%% unordered` ... `%% end` block: its lines (literal strings or
    Patterns), to be found in any order, one actual line each."""
    items: List[Union[str, Pattern]] = field(default_factory=list)


Item = Union[str, Pattern, Unordered]


@dataclass
class Expected:
    """A parsed expected-output file: alternatives of items (a literal
    line is a plain string), and what to ignore on both sides."""
    alternatives: List[List[Item]]
    ignore_exit_codes: bool = False
    ignore_faults: bool = False
    ignore: List[re.Pattern] = field(default_factory=list)


@dataclass
class Comparison:
    """The result of comparing a frame with an Expected.

    index is the alternative that matched or, on a mismatch, the closest
    one; diff is empty on a match; first_difference names the first
    missing (or else unexpected) line of the diff."""
    matched: bool
    index: int
    diff: str
    first_difference: Optional[str] = None


def parse_expected(text, source="expected output"):
    """Parse the text of an expected-output file into an Expected.

    Raises ExpectedFormatError, naming SOURCE and the line, for an unknown
    directive, a directive after the first output line, a bad regular
    expression or a block that is not closed."""
    parser = _Parser(source)
    for number, line in enumerate(split_lines(text), start=1):
        parser.line(number, line)
    parser.close()
    return parser.expected


class _Parser:
    """The state of parse_expected() between lines."""

    def __init__(self, source):
        self.source = source
        self.expected = Expected(alternatives=[[]])
        self.in_preamble = True
        self.block = None           # the open Unordered, if any
        self.block_line = 0

    def error(self, number, text):
        return ExpectedFormatError("%s:%d: %s" % (self.source, number, text))

    def line(self, number, line):
        """Take line NUMBER of the file."""
        if line == OR_LINE:
            self.end_alternative(number)
            self.expected.alternatives.append([])
        elif line.startswith(RE_PREFIX):
            self.add(self.pattern(number, line[len(RE_PREFIX):].strip()))
        elif line == UNORDERED_LINE:
            if self.block is not None:
                raise self.error(number, "'%s' inside a block (opened at "
                                 "line %d)" % (UNORDERED_LINE,
                                               self.block_line))
            self.block, self.block_line = Unordered(), number
            self.add(self.block)
        elif line == END_LINE:
            if self.block is None:
                raise self.error(number, "'%s' without '%s'"
                                 % (END_LINE, UNORDERED_LINE))
            self.block = None
        elif line.startswith(MARK):
            self.directive(number, line[len(MARK):].strip(), line)
        else:
            self.add(line)

    def add(self, item):
        """Add an output item to the open block or alternative."""
        if self.block is not None and item is not self.block:
            self.block.items.append(item)
        else:
            self.expected.alternatives[-1].append(item)
        self.in_preamble = False

    def pattern(self, number, source):
        """Return the Pattern of `%% re: SOURCE` on line NUMBER."""
        try:
            return Pattern(source, re.compile(source))
        except re.error as err:
            raise self.error(number, "bad regular expression %r: %s"
                             % (source, err)) from None

    def directive(self, number, name, line):
        """Apply directive NAME (LINE, line NUMBER)."""
        if not line.startswith(MARK + " ") or not _known_directive(name):
            raise self.error(number, "unknown directive %r%s (known: %s; "
                             "and '%s', '%s' ... '%s', '%s' between output "
                             "lines; a literal line starting with '%s' is "
                             "written as a pattern, '%s LINE-AS-REGEX')" % (
                                 line, _suggestion(name),
                                 ", ".join("%% " + d for d in DIRECTIVES),
                                 RE_PREFIX + " REGEX", UNORDERED_LINE,
                                 END_LINE, OR_LINE, MARK, RE_PREFIX))
        if not self.in_preamble:
            raise self.error(number, "directive %r must come before the "
                             "first output line" % line)
        if name == IGNORE_EXIT_CODES:
            self.expected.ignore_exit_codes = True
        elif name == IGNORE_FAULTS:
            self.expected.ignore_faults = True
        else:
            pattern = self.pattern(number, name[len(IGNORE_PREFIX):].strip())
            self.expected.ignore.append(pattern.regex)

    def end_alternative(self, number):
        """Check that no block is left open at line NUMBER."""
        if self.block is not None:
            raise self.error(number, "block opened at line %d has no '%s'"
                             % (self.block_line, END_LINE))
        self.in_preamble = False

    def close(self):
        """Check the end of the file."""
        if self.block is not None:
            raise ExpectedFormatError("%s:%d: block has no '%s' before the "
                                      "end of the file" % (
                                          self.source, self.block_line,
                                          END_LINE))


def _known_directive(name):
    """Return True when NAME (a line without its `%%`) is a directive of
    the preamble."""
    return name in (IGNORE_EXIT_CODES, IGNORE_FAULTS) or \
        name.startswith(IGNORE_PREFIX)


def _suggestion(name):
    """Return ` (did you mean '%% X'?)` when NAME, the rest of a line
    that is no directive, is one once written after `%% `; else ``."""
    if not name:
        return ""
    fixed = "%s %s" % (MARK, name)
    if _known_directive(name) or fixed.startswith(RE_PREFIX) or \
            fixed in (OR_LINE, UNORDERED_LINE, END_LINE):
        return " (did you mean %r?)" % fixed
    return ""


def is_exit_line(line):
    """Return True for a kernel `NAME: exit(STATUS)` line."""
    return bool(_EXIT_RE.match(line))


def is_fault_line(line):
    """Return True for a fault notice (`Page fault at ...`,
    `... dying due to interrupt ...`)."""
    return any(regex.search(line) for regex in _FAULT_RES)


def ignored(line, expected):
    """Return True when EXPECTED's directives drop LINE."""
    return (expected.ignore_exit_codes and is_exit_line(line)) or \
        (expected.ignore_faults and is_fault_line(line)) or \
        any(regex.search(line) for regex in expected.ignore)


def filter_lines(lines, expected):
    """Return LINES without the lines EXPECTED's directives ignore."""
    return [line for line in lines if not ignored(line, expected)]


def _filter_items(items, expected):
    """Return ITEMS without the literal lines EXPECTED ignores (patterns
    are kept: they are what the grader wrote to match)."""
    kept = []
    for item in items:
        if isinstance(item, Unordered):
            kept.append(Unordered(_filter_items(item.items, expected)))
        elif not (isinstance(item, str) and ignored(item, expected)):
            kept.append(item)
    return kept


def _one_matches(item, line):
    """Return True when a literal line or Pattern ITEM matches LINE."""
    return item == line if isinstance(item, str) else item.matches(line)


def _block_pairs(items, lines):
    """Return a largest one-to-one matching of a block's ITEMS to LINES
    that they match, as a list: line index -> item index or None
    (augmenting paths; blocks are small)."""
    owner = [None] * len(lines)         # line index -> item index

    def place(i, seen):
        for j, line in enumerate(lines):
            if j not in seen and _one_matches(items[i], line):
                seen.add(j)
                if owner[j] is None or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False
    for i in range(len(items)):
        place(i, set())
    return owner


def _block_matches(items, lines):
    """Return True when LINES are ITEMS in some order: a perfect matching
    of the block's items to the lines."""
    return len(items) == len(lines) and \
        None not in _block_pairs(items, lines)


def _width(item):
    """Return how many actual lines ITEM stands for."""
    return len(item.items) if isinstance(item, Unordered) else 1


def matches(items, lines):
    """Return True when LINES are exactly the ITEMS of one alternative."""
    if sum(_width(item) for item in items) != len(lines):
        return False
    at = 0
    for item in items:
        width = _width(item)
        if isinstance(item, Unordered):
            if not _block_matches(item.items, lines[at:at + width]):
                return False
        elif not _one_matches(item, lines[at]):
            return False
        at += width
    return True


def compare(expected, frame_lines):
    """Compare FRAME_LINES (already cleaned) with EXPECTED.

    Returns a Comparison; on a mismatch its diff is a unified diff against
    the closest alternative."""
    actual = filter_lines(frame_lines, expected)
    candidates = [_filter_items(alt, expected)
                  for alt in expected.alternatives]
    for index, candidate in enumerate(candidates):
        if matches(candidate, actual):
            return Comparison(True, index, "")
    shown = [display_lines(candidate, actual) for candidate in candidates]
    index = closest(shown, actual)
    diff = render_diff(shown[index], actual, index, len(candidates))
    return Comparison(False, index, diff, first_difference(diff))


def display_lines(items, actual):
    """Return the expected side of a diff of ITEMS against ACTUAL: each
    literal line as it is; each pattern that matches the actual line
    aligned with it shown as that line, so that only real differences
    show; any other as written (`%% re: ...`).  A block's lines are
    paired with the actual lines aligned with the block one to one, by
    the matching the verdict uses: a matched item shows as its line, in
    that line's place; an unmatched one as written."""
    flat = []                       # (matchers, text) per expected line
    blocks = []                     # (first flat index, Unordered)
    for item in items:
        if isinstance(item, Unordered):
            blocks.append((len(flat), item))
            flat += [(item.items, str(sub)) for sub in item.items]
        else:
            flat.append(([item], str(item)))
    if all(isinstance(item, str) for item in items):
        return [text for _, text in flat]
    pairs = _align(flat, actual)
    shown = [actual[pairs[i]] if i in pairs else text
             for i, (_, text) in enumerate(flat)]
    for start, block in blocks:
        slots = range(start, start + len(block.items))
        _show_block(block.items, [pairs.get(i) for i in slots], actual,
                    shown, start)
    return shown


def _show_block(items, aligned, actual, shown, start):
    """Fill SHOWN[START:START + len(ITEMS)], the display of a block whose
    slots _align paired with the actual lines ALIGNED (an index or None
    per slot): each slot whose line an item takes in a largest one-to-one
    matching shows that line; the other slots show the items left
    unmatched, as written, in the block's order."""
    taken = [j for j in aligned if j is not None]
    owner = _block_pairs(items, [actual[j] for j in taken])
    matched = {taken[k] for k, i in enumerate(owner) if i is not None}
    left = iter(str(items[i]) for i in range(len(items)) if i not in owner)
    for slot, j in enumerate(aligned):
        shown[start + slot] = actual[j] if j in matched else next(left)


def _align(flat, actual):
    """Return {expected index: actual index} pairing FLAT's lines with
    ACTUAL lines they match, as many as can be in order (longest common
    subsequence); by position when the frame is too big for that."""
    def hit(i, j):
        return any(_one_matches(m, actual[j]) for m in flat[i][0])
    n, m = len(flat), len(actual)
    if n * m > ALIGN_LIMIT:
        return {i: i for i in range(min(n, m)) if hit(i, i)}
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = best[i + 1][j + 1] + 1 if hit(i, j) else \
                max(best[i + 1][j], best[i][j + 1])
    pairs, i, j = {}, 0, 0
    while i < n and j < m:
        if hit(i, j) and best[i][j] == best[i + 1][j + 1] + 1:
            pairs[i] = j
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def closest(candidates, actual):
    """Return the index of the candidate most similar to ACTUAL (the first
    one on a tie)."""
    scores = [difflib.SequenceMatcher(None, c, actual, autojunk=False).ratio()
              for c in candidates]
    return scores.index(max(scores))


def render_diff(expected_lines, actual_lines, index=0, count=1):
    """Return a readable unified diff from EXPECTED_LINES to ACTUAL_LINES,
    headed by which alternative it is against when there are several."""
    label = "expected"
    if count > 1:
        label = "expected (alternative %d of %d, the closest)" % (index + 1,
                                                                 count)
    diff = list(difflib.unified_diff(expected_lines, actual_lines,
                                     fromfile=label,
                                     tofile="actual (console frame)",
                                     lineterm="", n=3))
    if not expected_lines and not actual_lines:
        return ""
    if not expected_lines:
        diff.append("(the expected output is empty)")
    if not actual_lines:
        diff.append("(the console frame is empty)")
    return "\n".join(printable(line) for line in diff)


def first_difference(diff):
    """Return `missing line: X` for the first expected line a DIFF lacks,
    else `unexpected line: Y` for its first extra line, else None.  The
    diff's two header lines (`--- expected`, `+++ actual`) come before
    its first hunk (`@@`) and are no lines of either side."""
    lines = diff.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith("@@")),
                 len(lines))
    lines = lines[start + 1:]
    for sign, what in (("-", "missing line"), ("+", "unexpected line")):
        found = next((l for l in lines if l.startswith(sign)), None)
        if found is not None:
            return "%s: %s" % (what, found[1:])
    return None


def color_diff(diff):
    """Return DIFF with ANSI colours for a terminal: removed lines red,
    added lines green, hunk headers cyan."""
    out = []
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            out.append("\x1b[1m%s\x1b[0m" % line)
        elif line.startswith("-"):
            out.append("\x1b[31m%s\x1b[0m" % line)
        elif line.startswith("+"):
            out.append("\x1b[32m%s\x1b[0m" % line)
        elif line.startswith("@@"):
            out.append("\x1b[36m%s\x1b[0m" % line)
        else:
            out.append(line)
    return "\n".join(out)


def load_expected(path):
    """Read and parse the expected-output file at PATH."""
    with open(path, "rb") as src:
        text = src.read().decode("utf-8", "replace")
    return parse_expected(text, str(path))
