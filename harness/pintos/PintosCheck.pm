# PintosCheck: the checks a Pintos test script (`.ck`) makes on a kernel's
# console, written for Folio from the conventions of Pintos's test suite,
# so that a run with the kernel option console=pintos can be judged the
# way Pintos judges its own runs (docs/interfaces.md, section 3).
#
# A check script is called as
#
#     perl -I harness/pintos SCRIPT.ck BASE [RESULT]
#
# reads the console from BASE.output, and writes `PASS`, or `FAIL` and
# the reasons, to RESULT (standard output without one).  The exit status
# is 0 for PASS and 1 for FAIL, 2 when the script cannot run.
#
# The checks, in order (the first that fails ends the script):
#   - the console is not empty;
#   - no line holds `PANIC` (a kernel panic);
#   - no line holds `FAIL` (a test that reported failure);
#   - `Pintos booting` appears at most once (more means the machine
#     rebooted: a triple fault);
#   - no line holds `TIMEOUT`;
#   - the banner `Pintos booting with ... kB RAM...`, `Boot complete`,
#     `Timer: N ticks` and `Powering off` each appear;
#   - the lines between `Executing '...':` and `Execution of '...'
#     complete.` equal one of the acceptable outputs.
package PintosCheck;

use strict;
use warnings;
use Exporter 'import';

our @EXPORT = qw(check_expected common_checks core_output compare_output
                 read_console pass fail);

my ($base, $result_file) = @ARGV;
if (!defined $base) {
    print STDERR "usage: perl -I harness/pintos SCRIPT.ck BASE [RESULT]\n";
    exit 2;
}

# Write the verdict and end the script.
sub finish {
    my ($verdict, @reasons) = @_;
    my $text = join('', $verdict, "\n", map { "$_\n" } @reasons);
    if (defined $result_file) {
        open(my $out, '>', $result_file)
            or do { print STDERR "$result_file: $!\n"; exit 2 };
        print $out $text;
        close($out);
    } else {
        print $text;
    }
    exit($verdict eq 'PASS' ? 0 : 1);
}

sub pass { finish('PASS') }
sub fail { finish('FAIL', @_) }

# The console lines of BASE.output, without line ends (a CR before the
# newline, or after it when a port sends "\n\r", is dropped too).
sub read_console {
    my $path = "$base.output";
    open(my $in, '<', $path) or do { print STDERR "$path: $!\n"; exit 2 };
    my @lines;
    while (my $line = <$in>) {
        $line =~ s/\r?\n\z//;
        $line =~ s/\A\r//;
        $line =~ s/\r\z//;
        push(@lines, $line);
    }
    close($in);
    return @lines;
}

sub first_match {
    my ($pattern, @lines) = @_;
    for my $line (@lines) {
        return $line if $line =~ $pattern;
    }
    return undef;
}

sub check_panic {
    my ($run, @output) = @_;
    my $panic = first_match(qr/PANIC/, @output) // return;
    my @reasons = ("Kernel panic in $run: $panic");
    my $stack = first_match(qr/^Call stack:/, @output);
    push(@reasons, $stack) if defined $stack;
    fail(@reasons);
}

sub check_keyword {
    my ($run, $keyword, @output) = @_;
    my $line = first_match(qr/\Q$keyword\E/, @output) // return;
    fail("$run: $keyword: $line");
}

sub check_reboots {
    my ($run, @output) = @_;
    my $boots = grep { /Pintos booting/ } @output;
    fail("$run rebooted " . ($boots - 1) . " time(s), probably a triple fault")
        if $boots > 1;
}

sub common_checks {
    my ($run, @output) = @_;
    fail("$run produced no output at all") if !@output;
    check_panic($run, @output);
    check_keyword($run, 'FAIL', @output);
    check_reboots($run, @output);
    check_keyword($run, 'TIMEOUT', @output);
    fail("$run did not start up properly: no \"Pintos booting\" line")
        if !first_match(qr/Pintos booting with.*kB RAM\.\.\./, @output);
    fail("$run did not start up properly: no \"Boot complete\" line")
        if !first_match(qr/Boot complete/, @output);
    fail("$run did not shut down properly: no \"Timer: N ticks\" line")
        if !first_match(qr/Timer: \d+ ticks/, @output);
    fail("$run did not shut down properly: no \"Powering off\" line")
        if !first_match(qr/Powering off/, @output);
}

# The lines between the first `Executing '...':` and the next
# `Execution of '...' complete.`
sub core_output {
    my ($run, @output) = @_;
    my ($start, $end);
    for my $i (0 .. $#output) {
        if (!defined $start) {
            $start = $i + 1 if $output[$i] =~ /^Executing '.*':$/;
        } elsif ($output[$i] =~ /^Execution of '.*' complete\.$/) {
            $end = $i;
            last;
        }
    }
    fail("$run did not start a thread or process") if !defined $start;
    fail("$run started but never finished") if !defined $end;
    return @output[$start .. $end - 1];
}

my %FILTERS = (
    IGNORE_EXIT_CODES => sub { $_[0] !~ /^[\w.-]+: exit\(-?\d+\)$/ },
    IGNORE_USER_FAULTS => sub {
        $_[0] !~ /^Page fault at .* in user context\.$/
            && $_[0] !~ /: dying due to interrupt 0x0e /;
    },
);

# A line diff of EXPECTED against ACTUAL (array refs): the longest common
# subsequence, then ` ` for shared lines, `-` expected only, `+` actual.
sub diff_lines {
    my ($want, $got) = @_;
    my ($n, $m) = (scalar @$want, scalar @$got);
    my @len = map { [(0) x ($m + 1)] } 0 .. $n;
    for my $i (reverse 0 .. $n - 1) {
        for my $j (reverse 0 .. $m - 1) {
            $len[$i][$j] = $want->[$i] eq $got->[$j]
                ? $len[$i + 1][$j + 1] + 1
                : ($len[$i + 1][$j] >= $len[$i][$j + 1]
                   ? $len[$i + 1][$j] : $len[$i][$j + 1]);
        }
    }
    my ($i, $j, @out) = (0, 0);
    while ($i < $n || $j < $m) {
        if ($i < $n && $j < $m && $want->[$i] eq $got->[$j]) {
            push(@out, "  $want->[$i]"); $i++; $j++;
        } elsif ($i < $n && ($j == $m || $len[$i + 1][$j] >= $len[$i][$j + 1])) {
            push(@out, "- $want->[$i]"); $i++;
        } else {
            push(@out, "+ $got->[$j]"); $j++;
        }
    }
    return @out;
}

# Pass when the core lines of OUTPUT (after the OPTIONS filters) equal one
# of the acceptable outputs; fail with a diff against each otherwise.
sub compare_output {
    my ($run, $options, $output, @acceptable) = @_;
    my @core = core_output($run, @$output);
    for my $name (sort keys %$options) {
        my $keep = $FILTERS{$name} or do {
            print STDERR "unknown option $name\n";
            exit 2;
        };
        @core = grep { $keep->($_) } @core;
    }
    my @reasons;
    for my $text (@acceptable) {
        my @want = split(/\n/, $text);
        return if join("\n", @want) eq join("\n", @core) && @want == @core;
        push(@reasons, 'Acceptable output:', map({ "  $_" } @want),
             'Differences (- acceptable, + actual):', diff_lines(\@want, \@core));
    }
    fail("$run output differs from every acceptable output", @reasons);
}

# check_expected([OPTION => 1, ...], [TEXT, TEXT, ...]): the common checks,
# then the comparison with the acceptable outputs (each a string of
# newline-terminated lines).
sub check_expected {
    my $acceptable = pop(@_);
    my %options = @_;
    my @output = read_console();
    common_checks('run', @output);
    compare_output('run', \%options, \@output, @$acceptable);
}

1;
