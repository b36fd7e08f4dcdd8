/* Folio user library: the test conventions.
 *
 * A test program either defines `void test_main (void)` and lets the
 * library's main() print "(NAME) begin", run it and print "(NAME) end", or
 * defines main() itself.  NAME (test_name) is argv[0], set before main().
 *
 *   msg ("x = %d", x)     prints "(NAME) x = 42"
 *   fail ("bad")          prints "(NAME) FAIL: bad" and exits with 1
 *   CHECK (ok, "thing")   evaluates ok FIRST, then prints "(NAME) thing",
 *                         then fails if ok was false (so a check like
 *                         CHECK (wait (pid) == 5, ...) prints only after
 *                         the child has exited)
 *
 * Each of these lines is one write system call. */
#ifndef FOLIO_USER_TEST_H
#define FOLIO_USER_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "syscall.h"

extern const char *test_name;

void test_main (void);
void msg (const char *format, ...) PRINTF_FORMAT (1, 2);
void fail (const char *format, ...) PRINTF_FORMAT (1, 2)
  __attribute__ ((noreturn));

#define CHECK(SUCCESS, ...)                     \
  do                                            \
    {                                           \
      bool check_ok_ = (SUCCESS);               \
      msg (__VA_ARGS__);                        \
      if (!check_ok_)                           \
        fail (__VA_ARGS__);                     \
    }                                           \
  while (0)

/* Fails unless the N bytes at GOT equal those at WANT, naming the first
   difference; WHAT names the data in the message. */
void check_bytes (const void *got, const void *want, size_t n,
                  const char *what);

/* fork (NAME); the child execs CMDLINE.  Returns the child's pid in the
   parent (fails the test if fork fails). */
pid_t spawn (const char *name, const char *cmdline);

/* Forks N children, named PREFIX followed by their number (0..N-1), all
   running at once: child K runs FN (K), which must not return (it ends
   with exit).  The parent gets their pids in PIDS; a failed fork fails
   the test. */
void fork_children (const char *prefix, int n, void (*fn) (int),
                    pid_t *pids);

/* Runs FN (ARG) in a child named NAME that the kernel must kill: prints
   "(TEST) NAME: killed" once wait returns -1, and fails the test when it
   returns anything else (a child that survives FN says so and exits 0). */
void check_killed (const char *name, void (*fn) (const void *),
                   const void *arg);

/* Copies string S into a static two-page buffer so that it starts BEFORE
   bytes before the page boundary in the middle (so it crosses it when
   longer than BEFORE) and returns the copy.  Each call reuses the buffer. */
char *across_page (const char *s, size_t before);

/* Creates file PATH holding TEXT (without its NUL); fails the test when
   it cannot. */
void put_file (const char *path, const char *text);

/* Wait until another process creates file NAME: Folio has no sleep, so
   this polls open(); the bound (far past any test's timeout) only keeps
   the loop finite, and running out of it fails the test. */
void await_file (const char *name);

/* The address space (see docs/userland.md). */
#define PGSIZE 4096UL
#define USER_STACK 0x47480000UL      /* Top of the user stack. */
#define KERNEL_BASE 0x8004000000UL   /* First kernel virtual address. */
#define KERNEL_HIGH 0xffffffff80100000UL  /* Deep in kernel space. */
#define UNMAPPED_USER 0x20101234UL   /* Nothing is ever mapped here. */

#define pg_round_down(A) ((uintptr_t) (A) & ~(PGSIZE - 1))
#define pg_round_up(A) (((uintptr_t) (A) + PGSIZE - 1) & ~(PGSIZE - 1))

/* The stack pointer when _start was entered (set by the library). */
extern uintptr_t __entry_rsp;

/* End of the program's .bss (from the linker).  The page that holds
   _end - 1 is mapped; the page from pg_round_up (_end) is not (the
   program has no heap), so a buffer that runs past that page boundary
   straddles into unmapped memory. */
extern char _end[];

static inline char *
first_unmapped_page (void)
{
  return (char *) pg_round_up (_end);
}

#endif /* FOLIO_USER_TEST_H */
