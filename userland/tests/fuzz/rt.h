/* fuzz: the tiny runtime (raw system calls, strings, output). */
#ifndef FUZZ_RT_H
#define FUZZ_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  SYS_HALT, SYS_EXIT, SYS_FORK, SYS_EXEC, SYS_WAIT, SYS_CREATE, SYS_REMOVE,
  SYS_OPEN, SYS_FILESIZE, SYS_READ, SYS_WRITE, SYS_SEEK, SYS_TELL,
  SYS_CLOSE, SYS_MMAP, SYS_MUNMAP, SYS_CHDIR, SYS_MKDIR, SYS_READDIR,
  SYS_ISDIR, SYS_INUMBER, SYS_SYMLINK, SYS_DUP2, SYS_COUNT
};

#define PGSIZE 4096UL

/* The raw call: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9. */
static inline long
sys6 (long n, long a, long b, long c, long d, long e, long f)
{
  register long r10 __asm__ ("r10") = d;
  register long r8 __asm__ ("r8") = e;
  register long r9 __asm__ ("r9") = f;
  long ret;

  __asm__ volatile ("syscall"
                    : "=a" (ret)
                    : "a" (n), "D" (a), "S" (b), "d" (c), "r" (r10),
                      "r" (r8), "r" (r9)
                    : "rcx", "r11", "memory", "cc");
  return ret;
}

#define SYS0(n) sys6 ((n), 0, 0, 0, 0, 0, 0)
#define SYS1(n, a) sys6 ((n), (long) (a), 0, 0, 0, 0, 0)
#define SYS2(n, a, b) sys6 ((n), (long) (a), (long) (b), 0, 0, 0, 0)
#define SYS3(n, a, b, c) sys6 ((n), (long) (a), (long) (b), (long) (c), 0, 0, 0)

void rt_exit (int status) __attribute__ ((noreturn));
size_t rt_strlen (const char *s);
bool rt_streq (const char *a, const char *b);
long rt_atol (const char *s);
void rt_fill (void *dst, int byte, size_t n);
/* printf-like output to FD with %d %u %ld %lu %x %lx %s; one write. */
void rt_print (int fd, const char *fmt, ...);

/* A random number generator: xorshift64*, seeded with splitmix64. */
struct rng
{
  uint64_t s;
};
void rng_seed (struct rng *r, uint64_t seed);
uint64_t rng_next (struct rng *r);
/* A number in [0, N). */
uint64_t rng_below (struct rng *r, uint64_t n);

#endif
