/* survivor: one child after another dies a different way, each killed by
   the kernel with exit(-1) (its exit line bears its fork name); the
   parent sees -1 from wait every time and carries on. */
#include "test.h"

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int
overflow (int n)
{
  volatile char pad[1024];

  pad[0] = (char) n;
  return overflow (n + 1) + pad[0];     /* Not a tail call. */
}

static void
die (int how)
{
  static char buf[16];
  int fd;

  switch (how)
    {
    case 0:                     /* Read address 0. */
      (void) *(volatile int *) (uintptr_t) 0;
      break;
    case 1:                     /* Write address 0. */
      *(volatile int *) (uintptr_t) 0 = 1;
      break;
    case 2:                     /* Call address 0. */
      ((void (*) (void)) (uintptr_t) 0) ();
      break;
    case 3:                     /* Read unmapped user memory. */
      (void) *(volatile int *) UNMAPPED_USER;
      break;
    case 4:                     /* Read kernel memory. */
      (void) *(volatile char *) KERNEL_HIGH;
      break;
    case 5:                     /* Write the first kernel address. */
      *(volatile char *) KERNEL_BASE = 1;
      break;
    case 6:                     /* Jump into the kernel. */
      ((void (*) (void)) KERNEL_HIGH) ();
      break;
    case 7:                     /* A non-canonical address (#GP). */
      (void) *(volatile char *) 0x8000000000000000UL;
      break;
    case 8:                     /* Write our own code. */
      *(volatile char *) (uintptr_t) test_main = 0;
      break;
    case 9:                     /* Recurse until the stack runs out. */
      overflow (0);
      break;
    case 10:                    /* Push with rsp at address 0. */
      __asm__ volatile ("xor %%esp, %%esp\n\tpush %%rax" : : : "memory");
      break;
    case 11:                    /* An unknown system call. */
      syscall_raw (999, 0, 0, 0, 0, 0, 0);
      break;
    case 12:                    /* A kernel address as a write buffer. */
      write (STDOUT_FILENO, (const void *) KERNEL_BASE, 10);
      break;
    case 13:                    /* A read that runs off the end of .bss. */
      fd = open ("sample.txt");
      read (fd, buf, 0x7fffffff);
      break;
    }
}

void
test_main (void)
{
  static const char *names[] = { "null-read", "null-write", "null-call",
                                 "unmapped-read", "kernel-read",
                                 "kernel-write", "kernel-call",
                                 "noncanonical", "code-write",
                                 "stack-overflow", "null-rsp",
                                 "bad-syscall", "kernel-buffer",
                                 "huge-read" };
  int i;

  for (i = 0; i < (int) (sizeof names / sizeof names[0]); i++)
    {
      pid_t pid = fork (names[i]);
      if (pid == 0)
        {
          die (i);
          fail ("%s: still alive", names[i]);
        }
      if (pid < 0)
        fail ("fork failed");
      CHECK (wait (pid) == -1, "%s: wait returns -1", names[i]);
    }
  msg ("survived all 14 deaths");
}
