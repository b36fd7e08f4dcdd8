# Folio: build the kernel, its ISO and the user programs; run and test.
#
#   make            kernel (build/kernel.elf), ISO (build/folio.iso), userland
#   make run        boot the demo (PROGRAM=..., ARGS=..., FILES=..., KOPTS=...)
#   make debug      boot a program or TEST=suite/name under GDB (docs/debugging.md)
#   make check      the whole test suite (pytest harness; FOLIO_BOOT=iso
#                   boots every test through the ISO, not only its ISO group)
#   make grade      the whole suite, then points per suite (harness/rubric.toml);
#                   SUBMISSION=DIR grades a submission against this tree
#   make autograder the Gradescope autograder bundle (build/autograder.zip)
#   make durations  the whole suite, then its times as the tests' reference
#                   durations (harness/durations.json: watchdogs, shards)
#   make backtrace  symbolize a pasted call stack (STACK='Call stack: ...')
#   make bench      the benchmarks: fork, disk I/O, swap, swap-heavy tests (docs/bench.md; ARGS=...)
#   make fuzz       a long system-call fuzzing campaign (harness/fuzz.py; ARGS=...)
#   make deps       install what is missing (Debian packages)
#
# CROSS=x86_64-elf- uses a cross toolchain instead of the host gcc.
# DEBUG_OPT=1 compiles the kernel -Og without link-time optimisation, so a
# debugger sees its locals (make debug builds that in build/debug-kernel).

# Build in parallel, a job per processor, unless the command line gives
# -j itself (make -j1: one step at a time; it overrides this) or this is a
# make called by make, which shares its caller's jobs.  The targets that
# check the packages first (deps) build after the check, by calling make
# again.
ifeq ($(MAKELEVEL)$(filter -j%,$(MAKEFLAGS)),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif
BUILD_ALL = +@$(MAKE) --no-print-directory all

CROSS ?=
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
BUILD ?= build
DEBUG ?= 1
DEBUG_OPT ?= 0
# The Python that runs every Python step (the harness, images/build,
# harness/grade, harness/symbolize, bench/run.py, userland/elftool.py):
# 3.10 or newer, with pytest and pytest-xdist (and tomli before 3.11).
# `make check PYTHON=python3.12` runs them all with another one.
PYTHON ?= /usr/bin/python3

# Link-time optimisation lets the compiler inline small functions across
# files (list and hash operations, the frame and page helpers): under QEMU's
# emulation every call and return costs a lookup, and the fork benchmark
# runs in half the time with it (docs/bench.md).  The call-frame
# information goes to .debug_frame (-fno-asynchronous-unwind-tables; the
# link map drops .eh_frame), so that a debugger unwinds every frame; the
# code is the same.  Debug information is DWARF 4: for a DWARF 5 line
# program that starts without naming its file, as some of GCC 12's
# link-time partitions do, binutils 2.40's addr2line gives the file as
# `<artificial>`, and a panic in the first functions of such a partition
# would be reported without its source file.
ifeq ($(DEBUG_OPT),1)
KOPT := -Og
else
KOPT := -O2 -flto=auto
endif
KCFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -mno-red-zone \
	-mno-mmx -mno-sse -mno-sse2 -mno-avx -mcmodel=kernel \
	-fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-strict-aliasing -fno-asynchronous-unwind-tables $(KOPT) -g -gdwarf-4 -Wall -Wextra -Werror -I. -MMD -MP
ifeq ($(DEBUG),1)
KCFLAGS += -DFOLIO_DEBUG
endif

KSRCS := $(sort $(wildcard boot/*.S kernel/*.c kernel/*.S kernel/dev/*.c \
	mm/*.c proc/*.c proc/*.S fs/*.c))
KOBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KSRCS))

.PHONY: all kernel iso run check grade autograder durations backtrace deps bench fuzz clean
all: iso userland

kernel: $(BUILD)/kernel.elf
iso: $(BUILD)/folio.iso

# The flags the objects were compiled with: a build folder switched to
# other flags (DEBUG, DEBUG_OPT) recompiles everything.
KFLAGS_FILE := $(BUILD)/kernel/cflags
$(KFLAGS_FILE): FORCE
	@mkdir -p $(dir $@)
	@echo '$(KCFLAGS)' | cmp -s - $@ || echo '$(KCFLAGS)' > $@
.PHONY: FORCE
FORCE:

$(BUILD)/kernel/%.c.o: %.c Makefile $(KFLAGS_FILE)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S Makefile $(KFLAGS_FILE)
	@mkdir -p $(dir $@)
	@echo "AS $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(KOBJS) boot/kernel.ld
	@echo "LD $@"
	@$(CC) $(KCFLAGS) -nostdlib -static -Wl,-n,-z,max-page-size=4096,-z,noexecstack,--no-warn-rwx-segments,--build-id=none -T boot/kernel.ld -o $@ $(KOBJS)

# The ISO is built once per kernel build and shared by every test.  It
# holds a GRUB core image for El Torito with boot/grub.cfg and the two
# modules that read the CD built in, the modules that grub.cfg loads with
# `insmod` (and theirs, boot/grub-closure.sh) as plain files, and the
# kernel without symbols or debug information (the harness and gdb read
# build/kernel.elf).  GRUB decompresses its core image with LZMA, which
# under TCG costs more than reading the same modules uncompressed from the
# CD; and it reads a kernel's symbol table whole.  docs/kernel.md, "Boot
# path", has the figures.
GRUB_DIR := /usr/lib/grub/i386-pc
GRUB_CORE_MODULES := biosdisk iso9660
GRUB_LOADED_MODULES := $(shell sed -n 's/^insmod //p' boot/grub.cfg)
# $(call make-iso,KERNEL,ISO,STAGING): the ISO of KERNEL, from folder
# STAGING; the do-nothing kernel's ISO (below) is built the same way.
define make-iso
	@rm -rf $(3) && mkdir -p $(3)/boot/grub/i386-pc
	@$(OBJCOPY) --strip-all $(1) $(3)/boot/folio.elf
	@echo "ISO $(2)"
	@cp $(patsubst %,$(GRUB_DIR)/%.mod,$(shell boot/grub-closure.sh $(GRUB_DIR) $(GRUB_LOADED_MODULES))) \
		$(3)/boot/grub/i386-pc/
	@grep -v -e '^#' -e '^$$$$' boot/grub.cfg >$(3).cfg
	@grub-mkimage -O i386-pc-eltorito -d $(GRUB_DIR) -p /boot/grub -c $(3).cfg \
		-o $(3)/boot/grub/eltorito.img $(GRUB_CORE_MODULES) \
		2>$(3).log || { cat $(3).log; exit 1; }
	@xorriso -as mkisofs -quiet -R -b boot/grub/eltorito.img -no-emul-boot \
		-boot-load-size 4 -boot-info-table -o $(2) $(3) \
		2>$(3).log || { cat $(3).log; exit 1; }
endef
$(BUILD)/folio.iso: $(BUILD)/kernel.elf boot/grub.cfg boot/grub-closure.sh
	$(call make-iso,$<,$@,$(BUILD)/iso)

# The do-nothing kernel (bench/floor.S), the floor of each boot path in
# make bench: booted directly (floor.elf) and from its own ISO, which is
# built exactly as Folio's (docs/bench.md, "Boot time").
.PHONY: floor
floor: $(BUILD)/floor.elf $(BUILD)/floor.iso
$(BUILD)/floor.elf: bench/floor.S bench/floor.ld boot/headers.h Makefile
	@mkdir -p $(dir $@)
	@echo "FLOOR $@"
	@$(CC) -I. -c bench/floor.S -o $(BUILD)/floor.o
	@$(CC) -nostdlib -static -Wl,-n,--build-id=none -T bench/floor.ld -o $@ $(BUILD)/floor.o
$(BUILD)/floor.iso: $(BUILD)/floor.elf boot/grub.cfg boot/grub-closure.sh
	$(call make-iso,$<,$@,$(BUILD)/floor-iso)

-include userland/build.mk
.PHONY: userland

-include $(KOBJS:.o=.d)

deps:
	@PYTHON=$(PYTHON) sh ci/deps.sh

PROGRAM ?= demo
ARGS ?=
FILES ?=
KOPTS ?=
TIMEOUT ?=
RUN_TIMEOUT := 60
RUN_DIR ?= $(BUILD)/run
# ARGS: the program's arguments, quoted as in a shell (ARGS='"a" b'); it
# reaches the recipes through the environment, quotes intact, never
# through make's text.  An argument holding a space is refused: the
# kernel splits its command line at spaces.
export ARGS
# FILES: data files for the disk ([NAME=]PATH ...); KOPTS: kernel options
# (an unknown one, or a bad value, makes the kernel refuse: status 39);
# TIMEOUT: kill QEMU after so many seconds (default $(RUN_TIMEOUT); status
# 124, with where the CPU was); RUN_DIR: where the disks go.
# Fails unless the program exits with 0 and the kernel powers off cleanly.
# It boots the ISO, the artifact a user ships (everything else boots the
# kernel directly: docs/interfaces.md, section 1), and says how long QEMU
# ran.
run: deps
	$(BUILD_ALL)
	@$(PYTHON) images/build --out $(RUN_DIR) --boot --check-exit --via iso \
		--program $(BUILD)/userland/$(PROGRAM) $(addprefix --file ,$(FILES)) \
		--cmdline "$(strip $(KOPTS) run $(PROGRAM))" --args "$$ARGS" \
		--timeout $(or $(TIMEOUT),$(RUN_TIMEOUT))

# make debug PROGRAM=... ARGS=... [FILES=... KOPTS=...] or TEST=suite/name:
# QEMU waits for GDB (GDBPORT=N; 1234 by default); gdb starts here when on
# a terminal (GDB=no: only print how to attach; TIMEOUT=S then ends QEMU
# after S seconds).  QEMU_LOG=1: QEMU logs every interrupt and reset to
# qemu-int.log in the work directory (triple faults).  docs/debugging.md.
DEBUG_BUILD := $(BUILD)/debug-kernel
GDB ?= auto
GDBPORT ?=
TEST ?=
QEMU_LOG ?=
.PHONY: debug qemu-gdb debug-kernel
debug-kernel:
	@$(MAKE) --no-print-directory BUILD=$(DEBUG_BUILD) DEBUG_OPT=1 iso

debug qemu-gdb: deps
	@$(MAKE) --no-print-directory userland debug-kernel
	@$(PYTHON) -m harness.debug \
		$(if $(TEST),--test $(TEST),--program $(PROGRAM) --args "$$ARGS") \
		$(addprefix --file ,$(FILES)) --kopts "$(KOPTS)" \
		--iso $(DEBUG_BUILD)/folio.iso --kernel-elf $(DEBUG_BUILD)/kernel.elf \
		--userland $(BUILD)/userland --gdb $(GDB) $(if $(GDBPORT),--port $(GDBPORT)) \
		$(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(QEMU_LOG),--qemu-log)

# Every full harness run writes build/results/results.json and junit.xml
# (a partial one, -k or one file, writes them in build/results/partial/).
check: deps
	$(BUILD_ALL)
	$(PYTHON) -m pytest harness -n auto

# The whole suite, then the grade: failing tests do not stop it; it writes
# build/results/grade.json, grade and gradescope.json (docs/harness.md,
# "Grading").  SUBMISSION=DIR grades DIR's own paths (the rubric's
# [submission] paths) on a copy of this tree, in build/grade/<name>/.
SUBMISSION ?=
grade: deps
	$(BUILD_ALL)
ifeq ($(SUBMISSION),)
	-$(PYTHON) -m pytest harness -n auto -q --tb=no
	$(PYTHON) harness/grade
else
	$(PYTHON) harness/grade --submission '$(SUBMISSION)'
endif

# The Gradescope autograder bundle (docs/harness.md, "Grading a course").
AUTOGRADER ?= $(BUILD)/autograder.zip
autograder:
	$(PYTHON) -m harness.autograder --out '$(AUTOGRADER)'

# The reference durations of the tests, from one whole run of a correct
# kernel (docs/harness.md, "Watchdogs"); a failed test refuses the lot.
durations: deps
	$(BUILD_ALL)
	$(PYTHON) -m pytest harness -n auto -q
	$(PYTHON) harness/durations build/results/results.json

# Functions and lines of a kernel call stack, as Pintos's backtrace:
# make backtrace STACK='Call stack: 0x...'; without STACK, paste the lines
# (a whole panic works too) and end with Ctrl-D.
backtrace:
	@$(PYTHON) harness/symbolize $(if $(STACK),'$(STACK)')

# Benchmarks (not tests): see bench/run.py and docs/bench.md.  They run a
# release kernel (DEBUG=0: no junk-filling) built beside the test one.
# ARGS: options of bench/run.py, e.g. ARGS='--only fork --repeats 3'.
bench: deps
	$(MAKE) --no-print-directory BUILD=$(BUILD)/release DEBUG=0 iso floor userland
	$(PYTHON) bench/run.py --build $(BUILD)/release $(ARGS)

# The fuzzing campaign (not part of make check, which runs a few short
# seeds): many seeds, half of them under memory pressure with swap; a
# dozen more under injected kernel allocation failures; then 50 boots of a
# many-process program, each with its leak check.  ARGS: options of
# harness/fuzz.py, e.g. ARGS='--seeds 4 --calls 2000 --repeat 0'.
fuzz: deps
	$(BUILD_ALL)
	$(PYTHON) -m harness.fuzz $(ARGS)

clean:
	rm -rf $(BUILD)
