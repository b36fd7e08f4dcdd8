# Folio user programs: a fragment for the top-level Makefile, which defines
# BUILD, CC (and CROSS) and says `include userland/build.mk`.
#
#   make userland           build every user program
#   $(USER_PROGRAMS)        their paths: $(BUILD)/userland/<name>
#
# Sources:
#   userland/lib/*.c *.S    the user library -> $(BUILD)/userland/lib/libuser.a
#   userland/tests/NAME.c   program NAME, linked with userland/lib/user.ld
#   userland/tests/NAME/    program NAME from all the .c/.S files inside
#                           (linked without the user library when NAME is
#                           in USER_NOLIB_NAMES: it brings its own runtime)
#   userland/layout/        ld-layout.c linked with GNU ld's default script
#                           as ld-sep (-z separate-code) and ld-nosep;
#                           nx-shared-page.c linked with shared-page.ld
#                           (a data segment that starts in the text
#                           segment's last page)
#   bad-elf-*               malformed copies of child-simple, made by
#                           userland/elftool.py, for the exec tests
#   elf-huge-bss            vm-elf-huge with a 508 GiB segment of zeros
#                           (elftool.py huge-zero)
# Every linked program is checked by `elftool.py check` (static ELF64
# executable, no dynamic section, no PIE, sane PT_LOADs).
#
# All variables here start with USER_ so that they do not collide with the
# kernel's; all rules are static pattern rules or explicit rules.

BUILD ?= build
USER_PYTHON ?= $(if $(PYTHON),$(PYTHON),python3)
USER_AR ?= $(CROSS)ar
USER_OUT := $(BUILD)/userland

USER_CFLAGS := -std=gnu11 -ffreestanding -nostdlib -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -Iuserland/lib \
	-fno-pic -fno-pie -static -fno-stack-protector -mno-red-zone \
	-fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fno-omit-frame-pointer \
	-O1 -g -Wall -Wextra -MMD -MP
USER_LDFLAGS := -no-pie -nostdlib -static
USER_LDSCRIPT := userland/lib/user.ld
USER_SCRIPT_LDFLAGS := -T $(USER_LDSCRIPT) -Wl,-z,max-page-size=0x1000 \
	-Wl,--orphan-handling=error -Wl,--build-id=none
USER_ELFTOOL := userland/elftool.py

# The library.
USER_LIB_SRCS := $(wildcard userland/lib/*.c userland/lib/*.S)
USER_LIB_OBJS := $(patsubst userland/%,$(USER_OUT)/%.o,$(USER_LIB_SRCS))
USER_LIB := $(USER_OUT)/lib/libuser.a

# Programs: one .c file each, or a directory of sources.
USER_SINGLE_NAMES := $(basename $(notdir $(wildcard userland/tests/*.c)))
USER_DIR_NAMES := $(patsubst userland/tests/%/,%,$(wildcard userland/tests/*/))
USER_LAYOUT_NAMES := ld-sep ld-nosep nx-shared-page
USER_BAD_ELF_NAMES := bad-elf-magic bad-elf-class bad-elf-mach \
	bad-elf-type bad-elf-trunc bad-elf-phoff bad-elf-phsz bad-elf-memsz \
	bad-elf-kaddr bad-elf-kspan bad-elf-page0
USER_BAD_ELF_BASE := child-simple

# The system-call fuzzer must not depend on the library it tests.
USER_NOLIB_NAMES := fuzz

USER_PROGRAM_NAMES := $(USER_SINGLE_NAMES) $(USER_DIR_NAMES) \
	$(USER_LAYOUT_NAMES) $(USER_BAD_ELF_NAMES) elf-huge-bss
USER_PROGRAMS := $(addprefix $(USER_OUT)/,$(USER_PROGRAM_NAMES))

.PHONY: userland
userland: $(USER_PROGRAMS)

# Compiling: userland/X.c -> $(BUILD)/userland/X.c.o (and .S likewise).
USER_ALL_SRCS := $(USER_LIB_SRCS) \
	$(wildcard userland/tests/*.c userland/tests/*/*.c \
	           userland/tests/*/*.S userland/layout/*.c)
USER_ALL_OBJS := $(patsubst userland/%,$(USER_OUT)/%.o,$(USER_ALL_SRCS))

# The flags the objects were compiled with, as for the kernel: other
# flags recompile every program.
USER_FLAGS_FILE := $(USER_OUT)/cflags
$(USER_FLAGS_FILE): FORCE
	@mkdir -p $(dir $@)
	@echo '$(USER_CFLAGS)' | cmp -s - $@ || echo '$(USER_CFLAGS)' > $@

$(filter %.c.o,$(USER_ALL_OBJS)): $(USER_OUT)/%.c.o: userland/%.c $(USER_FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(filter %.S.o,$(USER_ALL_OBJS)): $(USER_OUT)/%.S.o: userland/%.S $(USER_FLAGS_FILE)
	@mkdir -p $(@D)
	@echo "CC $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	@echo "AR $@"
	@$(USER_AR) rcs $@ $^

# Linking with our script: text at 0x400000.  CHECK is the elftool check;
# a fourth argument `nolib` links without the user library.
# $(call user_link,OBJECTS,EXTRA-LDFLAGS,CHECK-OPTIONS[,nolib])
define user_link
	@mkdir -p $(@D)
	@echo "LINK $@"
	@$(CC) $(USER_LDFLAGS) $(2) -o $@ $(1) $(if $(filter nolib,$(4)),,$(USER_LIB)) -lgcc
	@$(USER_PYTHON) $(USER_ELFTOOL) check $(3) $@ || { rm -f $@; exit 1; }
endef

$(addprefix $(USER_OUT)/,$(USER_SINGLE_NAMES)): $(USER_OUT)/%: \
		$(USER_OUT)/tests/%.c.o $(USER_LIB) $(USER_LDSCRIPT) $(USER_ELFTOOL)
	$(call user_link,$<,$(USER_SCRIPT_LDFLAGS),--text-at 0x400000)

define user_dir_program
$(USER_OUT)/$(1): $(patsubst userland/%,$(USER_OUT)/%.o,$(wildcard userland/tests/$(1)/*.c userland/tests/$(1)/*.S)) \
		$(if $(filter $(1),$(USER_NOLIB_NAMES)),,$(USER_LIB)) $(USER_LDSCRIPT) $(USER_ELFTOOL)
	$$(call user_link,$$(filter %.o,$$^),$$(USER_SCRIPT_LDFLAGS),--text-at 0x400000,$(if $(filter $(1),$(USER_NOLIB_NAMES)),nolib))
endef
$(foreach name,$(USER_DIR_NAMES),$(eval $(call user_dir_program,$(name))))

USER_SEP_LDFLAGS := -Wl,-z,separate-code
USER_NOSEP_LDFLAGS := -Wl,-z,noseparate-code

# GNU ld's own default layout (no linker script), with and without
# -z separate-code; the check insists that the first PT_LOAD starts at
# file offset 0, i.e. maps the ELF header.
$(USER_OUT)/ld-sep: $(USER_OUT)/layout/ld-layout.c.o $(USER_LIB) $(USER_ELFTOOL)
	$(call user_link,$<,$(USER_SEP_LDFLAGS),--first-load-has-header --first-load-at 0x400000)

$(USER_OUT)/ld-nosep: $(USER_OUT)/layout/ld-layout.c.o $(USER_LIB) $(USER_ELFTOOL)
	$(call user_link,$<,$(USER_NOSEP_LDFLAGS),--first-load-has-header --first-load-at 0x400000)

# Two segments sharing a page, for the loader's no-execute rule.
USER_SHARED_LDFLAGS := -T userland/layout/shared-page.ld -Wl,-z,max-page-size=0x1000 \
	-Wl,--build-id=none
$(USER_OUT)/nx-shared-page: $(USER_OUT)/layout/nx-shared-page.c.o $(USER_LIB) \
		userland/layout/shared-page.ld $(USER_ELFTOOL)
	$(call user_link,$<,$(USER_SHARED_LDFLAGS),--text-at 0x400000)

# vm-elf-huge with a 508 GiB segment of zeros (issue 18).
$(USER_OUT)/elf-huge-bss: $(USER_OUT)/vm-elf-huge $(USER_ELFTOOL)
	@echo "HUGEZERO $@"
	@$(USER_PYTHON) $(USER_ELFTOOL) huge-zero $< $@

# Malformed executables for the exec tests.
$(addprefix $(USER_OUT)/,$(USER_BAD_ELF_NAMES)): $(USER_OUT)/bad-elf-%: \
		$(USER_OUT)/$(USER_BAD_ELF_BASE) $(USER_ELFTOOL)
	@echo "BADELF $@"
	@$(USER_PYTHON) $(USER_ELFTOOL) corrupt $* $< $@

-include $(USER_ALL_OBJS:.o=.d)
