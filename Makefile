# Folio: build the kernel, its ISO and the user programs; run and test.
#
#   make            kernel (build/kernel.elf), ISO (build/folio.iso), userland
#   make run        boot the demo (PROGRAM=..., ARGS=... to choose)
#   make check      the whole test suite (pytest harness)
#   make bench      the benchmarks (fork: copy-on-write against eager copy)
#   make fuzz       a long system-call fuzzing campaign (harness/fuzz.py)
#   make deps       install what is missing (Debian packages)
#
# CROSS=x86_64-elf- uses a cross toolchain instead of the host gcc.

CROSS ?=
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
BUILD ?= build
DEBUG ?= 1
PYTHON := /usr/bin/python3

# Link-time optimisation lets the compiler inline small functions across
# files (list and hash operations, the frame and page helpers): under QEMU's
# emulation every call and return costs a lookup, and the fork benchmark
# runs in half the time with it (docs/bench.md).
KCFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -mno-red-zone \
	-mno-mmx -mno-sse -mno-sse2 -mno-avx -mcmodel=kernel \
	-fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-strict-aliasing -O2 -flto=auto -g -Wall -Wextra -Werror -I. -MMD -MP
ifeq ($(DEBUG),1)
KCFLAGS += -DFOLIO_DEBUG
endif

KSRCS := $(sort $(wildcard boot/*.S kernel/*.c kernel/*.S kernel/dev/*.c \
	mm/*.c proc/*.c proc/*.S fs/*.c))
KOBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(KSRCS))

.PHONY: all kernel iso run check deps bench fuzz clean
all: iso userland

kernel: $(BUILD)/kernel.elf
iso: $(BUILD)/folio.iso

$(BUILD)/kernel/%.c.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "AS $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(KOBJS) boot/kernel.ld
	@echo "LD $@"
	@$(CC) $(KCFLAGS) -nostdlib -static -Wl,-n,-z,max-page-size=4096,-z,noexecstack,--no-warn-rwx-segments,--build-id=none -T boot/kernel.ld -o $@ $(KOBJS)

# The ISO is built once per kernel build and shared by every test.
$(BUILD)/folio.iso: $(BUILD)/kernel.elf boot/grub.cfg
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	@cp $(BUILD)/kernel.elf $(BUILD)/iso/boot/folio.elf
	@cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	@echo "ISO $@"
	@grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

-include userland/build.mk
.PHONY: userland

-include $(KOBJS:.o=.d)

deps:
	@sh ci/deps.sh

PROGRAM ?= demo
ARGS ?=
run: deps all
	$(PYTHON) images/build --out $(BUILD)/run --boot \
		--program $(BUILD)/userland/$(PROGRAM) --cmdline "run $(strip $(PROGRAM) $(ARGS))"

check: deps all
	$(PYTHON) -m pytest harness -n auto --junitxml=$(BUILD)/results/junit.xml

# Benchmarks (not tests): see bench/run.py and docs/bench.md.  They run a
# release kernel (DEBUG=0: no junk-filling) built beside the test one.
bench: deps
	$(MAKE) --no-print-directory BUILD=$(BUILD)/release DEBUG=0 iso userland
	$(PYTHON) bench/run.py --build $(BUILD)/release

# The fuzzing campaign (not part of make check, which runs a few short
# seeds): many seeds, half of them under memory pressure with swap.
fuzz: deps all
	$(PYTHON) -m harness.fuzz

clean:
	rm -rf $(BUILD)
