/* cpu-exceptions: every CPU exception a program can raise kills it with
   exit -1 and a kernel-log line naming the vector and the rip; the kernel
   and the other processes go on.  One child per case; the test's log
   patterns check the vector of each (docs/kernel.md has the table of
   vectors, including those a program cannot raise).

   Vectors 4 (#OF) and 5 (#BR) have no instruction in 64-bit mode: `into`
   and `bound` are invalid opcodes there, so they raise #UD.  #NM cannot
   happen (CR0.TS is never set, CR0.EM is clear), nor #NP, #TS, #DF or
   #MC (no not-present segment, no task switch, no double fault from user
   mode, machine checks off). */
#include "test.h"

static void
div_zero (void)
{
  __asm__ volatile ("xorl %%ecx, %%ecx\n\t"
                    "divl %%ecx" : : "a" (1), "d" (0) : "ecx");
}

static void
div_overflow (void)
{
  __asm__ volatile ("movl $-1, %%ecx\n\t"
                    "idivl %%ecx" : : "a" (0x80000000), "d" (-1) : "ecx");
}

static void
single_step (void)
{
  __asm__ volatile ("pushfq\n\t"
                    "orq $0x100, (%%rsp)\n\t"
                    "popfq\n\t"
                    "nop\n\t"
                    "nop" : : : "memory", "cc");
}

static void
single_step_syscall (void)
{
  /* tell (-1) with TF set: the kernel runs with TF clear; the trap
     arrives in user mode after the instruction that follows. */
  __asm__ volatile ("pushfq\n\t"
                    "orq $0x100, (%%rsp)\n\t"
                    "popfq\n\t"
                    "syscall\n\t"
                    "nop" : : "a" ((long) SYS_TELL), "D" (-1L)
                    : "rcx", "r11", "memory", "cc");
}

static void
icebp (void)
{
  __asm__ volatile (".byte 0xf1");
}

static void
breakpoint (void)
{
  __asm__ volatile ("int3");
}

static void
int_3 (void)
{
  __asm__ volatile (".byte 0xcd, 0x03");
}

static void
into (void)
{
  __asm__ volatile (".byte 0xce");
}

static void
bound (void)
{
  __asm__ volatile (".byte 0x62, 0x00");
}

static void
ud2 (void)
{
  __asm__ volatile ("ud2");
}

static void
stack_noncanonical (void)
{
  __asm__ volatile ("movabsq $0x8000000000000000, %%rsp\n\t"
                    "pushq $0" : : : "memory");
}

static void
data_noncanonical (void)
{
  __asm__ volatile ("movabsq $0x8000000000000000, %%rax\n\t"
                    "movq (%%rax), %%rax" : : : "rax", "memory");
}

static void
jump_noncanonical (void)
{
  __asm__ volatile ("movabsq $0x8000000000000000, %%rax\n\t"
                    "jmp *%%rax" : : : "rax");
}

static void
read_null (void)
{
  __asm__ volatile ("movq 0, %%rax" : : : "rax", "memory");
}

static void
read_kernel (void)
{
  __asm__ volatile ("movq (%0), %%rax" : : "r" (KERNEL_HIGH) : "rax", "memory");
}

static void
misaligned_ac (void)
{
  static char buf[16] __attribute__ ((aligned (16)));
  __asm__ volatile ("pushfq\n\t"
                    "orq $0x40000, (%%rsp)\n\t"
                    "popfq\n\t"
                    "movl 1(%0), %%eax" : : "r" (buf) : "rax", "memory", "cc");
}

static void
x87_divide (void)
{
  unsigned short cw = 0x037b;           /* default 0x037f, ZM unmasked */
  __asm__ volatile ("fninit\n\t"
                    "fldcw %0\n\t"
                    "fld1\n\t"
                    "fldz\n\t"
                    "fdivrp\n\t"            /* 1 / 0: pending, unmasked */
                    "fwait" : : "m" (cw) : "memory", "st");
}

static void
sse_divide (void)
{
  unsigned int mxcsr = 0x1f80 & ~0x200;    /* ZM unmasked */
  float one = 1.0f, zero = 0.0f;
  __asm__ volatile ("ldmxcsr %0\n\t"
                    "movss %1, %%xmm0\n\t"
                    "divss %2, %%xmm0" : : "m" (mxcsr), "m" (one), "m" (zero)
                    : "xmm0", "memory");
}

/* DEFAULT: raised by the frozen CPU model (QEMU's TCG); a case that is
   not is run only when named on the command line. */
static const struct
{
  const char *name;
  void (*raise) (void);
  bool by_default;
} cases[] = {
  { "de-div0", div_zero, true },
  { "de-idiv", div_overflow, true },
  { "db-tf", single_step, true },
  { "db-tf-sc", single_step_syscall, true },
  { "db-icebp", icebp, true },
  { "bp-int3", breakpoint, true },
  { "bp-int-3", int_3, true },
  { "ud-into", into, true },
  { "ud-bound", bound, true },
  { "ud-ud2", ud2, true },
  { "ss-rsp", stack_noncanonical, true },
  { "gp-addr", data_noncanonical, true },
  { "gp-jump", jump_noncanonical, true },
  { "pf-null", read_null, true },
  { "pf-kernel", read_kernel, true },
  { "mf-x87", x87_divide, true },
  { "ac-align", misaligned_ac, false },  /* TCG checks no alignment */
  { "xm-sse", sse_divide, false },      /* TCG ignores MXCSR masks */
};
#define N_CASES (sizeof cases / sizeof cases[0])

static void
raise_case (const void *arg)
{
  ((void (*) (void)) arg) ();
}

static void
run_case (size_t i)
{
  check_killed (cases[i].name, raise_case, (const void *) cases[i].raise);
}

int
main (int argc, char *argv[])
{
  size_t i;
  int a;

  msg ("begin");
  if (argc == 1)
    for (i = 0; i < N_CASES; i++)
      {
        if (cases[i].by_default)
          run_case (i);
      }
  for (a = 1; a < argc; a++)
    {
      for (i = 0; i < N_CASES && strcmp (cases[i].name, argv[a]); i++)
        continue;
      if (i == N_CASES)
        fail ("no case named %s", argv[a]);
      run_case (i);
    }
  msg ("end");
  return 0;
}
