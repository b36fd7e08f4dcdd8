/* cpu-priv: what a program cannot do to the CPU.  Each case runs in a
   child that must be killed (exit -1, a kernel-log notice naming the
   vector): I/O ports (IOPL is 0 and the TSS has no I/O bitmap), raising
   IOPL or clearing IF with popf (the CPU ignores both at CPL 3, so the
   `in` or `hlt` after it still faults), privileged instructions, the
   system tables, MSRs, control and debug registers, the other fast
   system-call instructions, `int` to any vector but 3 and 0x42..0x44, returns
   and loads that would name a kernel or a system segment, and, where the
   CPU has UMIP, the instructions that read the descriptor-table
   registers. */
#include "test.h"

#define CASE(name, body)                                              \
  static void name (const void *unused)                                 \
  {                                                                     \
    (void) unused;                                                      \
    __asm__ volatile (body ::: "rax", "rcx", "rdx", "rdi", "memory", "cc"); \
  }

CASE (io_in_port, "inb $0x80, %%al")
CASE (io_out_exit, "movb $0x10, %%al; outb %%al, $0xf4")   /* debug exit */
CASE (io_in_dx, "movw $0x3f8, %%dx; inb %%dx, %%al")
CASE (io_ins, "movw $0x3f8, %%dx; leaq -64(%%rsp), %%rdi; insb")
CASE (io_outs, "movw $0x3f8, %%dx; leaq -64(%%rsp), %%rsi; outsb")
CASE (iopl_popf, "pushfq; orq $0x3000, (%%rsp); popfq; inb $0x80, %%al")
CASE (if_popf_hlt, "pushfq; andq $~0x200, (%%rsp); popfq; hlt")
CASE (cli, "cli")
CASE (sti, "sti")
CASE (hlt, "hlt")
CASE (lgdt, "lgdt (%%rsp)")
CASE (lidt, "lidt (%%rsp)")
CASE (lldt, "xorl %%eax, %%eax; lldt %%ax")
CASE (ltr, "movl $0x28, %%eax; ltr %%ax")
CASE (lmsw, "xorl %%eax, %%eax; lmsw %%ax")
CASE (clts, "clts")
CASE (invd, "invd")
CASE (wbinvd, "wbinvd")
CASE (invlpg, "movl $0x400000, %%eax; invlpg (%%rax)")
CASE (cr0_write, "xorl %%eax, %%eax; movq %%rax, %%cr0")
CASE (cr3_read, "movq %%cr3, %%rax")
CASE (cr4_write, "xorl %%eax, %%eax; movq %%rax, %%cr4")
CASE (dr7_read, "movq %%dr7, %%rax")
CASE (rdmsr_efer, "movl $0xc0000080, %%ecx; rdmsr")
CASE (wrmsr_lstar, "movl $0xc0000082, %%ecx; xorl %%eax, %%eax; "
      "xorl %%edx, %%edx; wrmsr")
CASE (rdpmc, "xorl %%ecx, %%ecx; rdpmc")
CASE (swapgs, "swapgs")
CASE (sysret, "sysretq")
CASE (sysexit, "sysexitq")
CASE (sysenter, "sysenter")
CASE (xgetbv, "xorl %%ecx, %%ecx; xgetbv")
CASE (int_00, "int $0x00")
CASE (int_01, "int $0x01")
CASE (int_02, "int $0x02")
CASE (int_04, "int $0x04")
CASE (int_08, "int $0x08")
CASE (int_0e, "int $0x0e")
CASE (int_20, "int $0x20")
CASE (int_2e, "int $0x2e")
CASE (int_41, "int $0x41")
CASE (int_80, "int $0x80")
CASE (int_ff, "int $0xff")
CASE (iret_ring0, "movq %%rsp, %%rax; pushq $0x10; pushq %%rax; pushfq; "
      "pushq $0x08; leaq 1f(%%rip), %%rax; pushq %%rax; iretq; 1:")
CASE (lret_kcode, "pushq $0x08; leaq 1f(%%rip), %%rax; pushq %%rax; "
      "lretq; 1:")
CASE (lret_udata, "pushq $0x1b; leaq 1f(%%rip), %%rax; pushq %%rax; "
      "lretq; 1:")
CASE (ds_kdata, "movl $0x10, %%eax; movl %%eax, %%ds")
CASE (ds_kdata_rpl3, "movl $0x13, %%eax; movl %%eax, %%ds")
CASE (ss_kdata, "movl $0x10, %%eax; movl %%eax, %%ss")
CASE (ss_null, "xorl %%eax, %%eax; movl %%eax, %%ss")
CASE (fs_tss, "movl $0x2b, %%eax; movl %%eax, %%fs")
CASE (gs_tss_high, "movl $0x33, %%eax; movl %%eax, %%gs")
CASE (es_past_gdt, "movl $0x3b, %%eax; movl %%eax, %%es")
CASE (sgdt, "sgdt -16(%%rsp)")
CASE (sidt, "sidt -16(%%rsp)")
CASE (sldt, "sldt %%ax")
CASE (str, "str %%ax")
CASE (smsw, "smsw %%ax")

/* UMIP: the last five cases are refused only on a CPU that has it. */
static const struct
{
  const char *name;
  void (*try) (const void *);
} cases[] = {
  { "io-in-port", io_in_port }, { "io-out-exit", io_out_exit },
  { "io-in-dx", io_in_dx }, { "io-ins", io_ins }, { "io-outs", io_outs },
  { "iopl-popf", iopl_popf }, { "if-popf-hlt", if_popf_hlt },
  { "cli", cli }, { "sti", sti }, { "hlt", hlt },
  { "lgdt", lgdt }, { "lidt", lidt }, { "lldt", lldt }, { "ltr", ltr },
  { "lmsw", lmsw }, { "clts", clts }, { "invd", invd },
  { "wbinvd", wbinvd }, { "invlpg", invlpg }, { "cr0-write", cr0_write },
  { "cr3-read", cr3_read }, { "cr4-write", cr4_write },
  { "dr7-read", dr7_read }, { "rdmsr-efer", rdmsr_efer },
  { "wrmsr-lstar", wrmsr_lstar }, { "rdpmc", rdpmc },
  { "swapgs", swapgs }, { "sysret", sysret }, { "sysexit", sysexit },
  { "sysenter", sysenter }, { "xgetbv", xgetbv },
  { "int-00", int_00 }, { "int-01", int_01 }, { "int-02", int_02 },
  { "int-04", int_04 }, { "int-08", int_08 }, { "int-0e", int_0e },
  { "int-20", int_20 }, { "int-2e", int_2e }, { "int-41", int_41 },
  { "int-80", int_80 }, { "int-ff", int_ff },
  { "iret-ring0", iret_ring0 }, { "lret-kcode", lret_kcode },
  { "lret-udata", lret_udata }, { "ds-kdata", ds_kdata },
  { "ds-kdata-rpl3", ds_kdata_rpl3 }, { "ss-kdata", ss_kdata },
  { "ss-null", ss_null }, { "fs-tss", fs_tss },
  { "gs-tss-high", gs_tss_high }, { "es-past-gdt", es_past_gdt },
  { "sgdt", sgdt }, { "sidt", sidt }, { "sldt", sldt }, { "str", str },
  { "smsw", smsw },
};

void
test_main (void)
{
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    check_killed (cases[i].name, cases[i].try, NULL);
}
