# -*- perl -*-
# The Pintos-style check of Folio's test cow/cow-isolate: a run of
# `cow-isolate` with console=pintos must pass Pintos's common checks and
# print these lines inside its frame.
use strict;
use warnings;
use PintosCheck;
check_expected([<<'EOF']);
(cow-isolate) begin
(cow-isolate) child: sees the parent's data, bss, heap and stack
(cow-isolate) child: reads back its own writes
(cow-isolate) child: the parent's later writes are not visible
child: exit(0)
(cow-isolate) wait returns 0
(cow-isolate) parent: its own writes are intact, the child's are not visible
(cow-isolate) end
cow-isolate: exit(0)
EOF
pass;
