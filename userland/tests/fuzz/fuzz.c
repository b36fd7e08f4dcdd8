/* fuzz: a system-call fuzzer (issue 9).  Random calls from a seed, with a
   model of which of them must kill the caller, so that a kill the model
   did not predict, a call that should have killed but returned, a kernel
   panic, a hang or a leak is a finding.

     fuzz SEED CALLS [CHILDREN [trace] [victim]]
         The campaign: CHILDREN children (4 by default), one after the
         other, each making CALLS / CHILDREN calls from its own seed.  The
         parent prints one line per child and a last line, then ends the
         run with halt (system call 0).  `trace` prints every call on the
         console before it is made, to find a finding's call index.
         `victim` runs a victim process beside the children the whole
         time: it faults, forks and opens a file in a loop, and must exit
         0 (the parent prints its status before the last line): what
         the children do may cost it time, never a kill or a refusal that
         memory does not explain.
     fuzz idle            exits at once (an exec target)
     fuzz chaos SEED      random loads, stores, flags and segment
                          registers, jumps to bad addresses and to data
                          (no-execute), then exit (an exec target)

   A child's calls take arguments biased toward the edges: NULL, page 0,
   unmapped and kernel addresses, non-canonical ones, spans that cross
   from a mapped page into an unmapped one, huge and zero lengths, closed,
   duplicated and out-of-range descriptors, odd mmap addresses, lengths
   and offsets.  A call the model says must kill is made in a forked
   grandchild (the child waits and expects -1), so the child itself must
   survive every call: its exit status says whether it did.  Fork, exec
   and wait storms and chaos (random loads, stores, flags, selectors) run
   in grandchildren too.  The children redirect descriptors 0 and 1 to a
   file, so random writes never reach the console; each keeps the console
   at CONSOLE_FD, which no random call names.

   The memory the model knows (run_end follows adjacent regions):
     the image   0x400000 up to the end of .bss, read-write from .data on;
                 .bss is SCRATCH only, and the page after it is unmapped
     edge        one file page mapped at EDGE; the page after it is never
                 mapped, so EDGE + 4096 - k is a k-byte span into nothing
     mappings    the child's own successful mmaps, tracked
   Nothing in the program is built from the user library. */
#include "rt.h"

#define CONSOLE_FD 511
#define EDGE 0x30000000UL
#define MAP_BASE 0x10000000UL          /* random mmaps go here */
#define USER_TOP 0x8004000000UL
#define USER_STACK 0x47480000UL
#define MAX_MAPS 16
#define KILLED (-1)
#define RETURNED_MARK 77               /* a grandchild whose call returned */

/* The program's mutable state lives in .data, so that .bss holds only
   SCRATCH and the page after it is the first unmapped one: a span that
   runs off the end of SCRATCH goes into nothing, not into this state. */
#define STATE __attribute__ ((section (".data")))
static const char *prog STATE = "fuzz";
static bool trace STATE;
static uint64_t call_index STATE;
static int child_no STATE;

static unsigned char scratch[4 * PGSIZE] __attribute__ ((aligned (4096)));
extern char _edata[], _end[];
#define IMAGE_START 0x400000UL
#define IMAGE_END (((uint64_t) _end + PGSIZE - 1) & ~(PGSIZE - 1))
#define RW_START ((uint64_t) _edata & ~(PGSIZE - 1))
static const unsigned char ro[2 * PGSIZE] __attribute__ ((aligned (4096))) = {
  'r', 'o', 0
};

/* Names for fork (no spaces, never empty: kernel exit lines must stay
   `NAME: exit(N)`) and for the file calls. */
static const char *const fork_names[] = {
  "g", "grandchild", "a-name-of-exactly-31-bytes-xxxx",
  "a-name-much-longer-than-the-31-bytes-a-process-name-keeps",
};
static const char *const file_names[] = {
  "a", "b", "c", "d", "e", "", "edge", "fuzz", "sample.txt", "out",
  "fourteen-chars", "fifteen-chars-x",
  "a-name-of-63-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "a-name-of-64-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};
#define N_REMOVABLE 5                  /* create/remove only a..e */
/* Paths for the directory calls (mkdir, chdir, symlink and, through
   call_file, create and remove of a..e below them): "." and "..", the
   root, a link's own name, names over 14 bytes, missing components. */
static const char *const dir_paths[] = {
  "a", "b", "c", "/a", "a/b", "/a/b/c", "../a", ".", "..", "/", "a/..",
  "b/../b/d", "", "a//b/", "fifteen-chars-x/a", "out/a", "a/e",
};
/* Absolute: a child's chdir must not make them name nothing. */
static const char *const exec_lines[] = {
  "/fuzz idle", "/fuzz   idle  with  arguments", "/fuzz chaos 1",
  "/fuzz chaos 2", "/sample.txt", "/edge",
};

struct map
{
  uint64_t start, len;
  bool writable;
};
static struct map maps[MAX_MAPS] STATE;
static int n_maps STATE;

/* A pointer and the number of bytes readable from it (a hint for the
   length to pick). */
struct ptr
{
  uint64_t p, valid;
};

/* The end of the run of mapped memory (writable memory when WRITE) that
   holds P, following adjacent regions; P itself when P is in none. */
static uint64_t
run_end (uint64_t p, bool write)
{
  for (bool moved = true; moved;)
    {
      moved = false;
      uint64_t lo = write ? RW_START : IMAGE_START;
      if (p >= lo && p < IMAGE_END)
        p = IMAGE_END, moved = true;
      if (p >= EDGE && p < EDGE + PGSIZE)
        p = EDGE + PGSIZE, moved = true;
      for (int i = 0; i < n_maps; i++)
        if (p >= maps[i].start && p < maps[i].start + maps[i].len
            && (maps[i].writable || !write))
          p = maps[i].start + maps[i].len, moved = true;
    }
  return p;
}

/* Does a system call that reads (or, WRITE, fills) N bytes at P kill? */
static bool
buffer_kills (uint64_t p, uint64_t n, bool write)
{
  return n > 0 && (p + n < p || p + n > run_end (p, write));
}

static const uint64_t bad_addresses[] = {
  0, 1, 0xfff, 0x20101234, 0x3fffffff, USER_TOP - 8, USER_TOP,
  USER_TOP + 0x1000, 0x0000800000000000UL, 0xffff800000000000UL,
  0xffffffff80100000UL, 0x8000000000000000UL, 0xdead00000000beefUL,
  0xfffffffffffffff0UL,
};
#define N_BAD (sizeof bad_addresses / sizeof bad_addresses[0])

/* An offset in [0, SIZE), biased toward page boundaries. */
static uint64_t
offset_in (struct rng *r, uint64_t size)
{
  uint64_t page = rng_below (r, size / PGSIZE) * PGSIZE;
  switch (rng_below (r, 4))
    {
    case 0:
      return page;
    case 1:
      return page + PGSIZE - 1 - rng_below (r, 16);
    default:
      return rng_below (r, size);
    }
}

static struct ptr
pick_ptr (struct rng *r)
{
  struct ptr x = { 0, 0 };

  switch (rng_below (r, 8))
    {
    case 0:
    case 1:
      x.p = bad_addresses[rng_below (r, N_BAD)];
      break;
    case 2:
    case 3:
      x.p = (uint64_t) scratch + offset_in (r, sizeof scratch);
      break;
    case 4:
      x.p = (uint64_t) ro + offset_in (r, sizeof ro);
      break;
    case 5:
    case 6:
      x.p = EDGE + PGSIZE - 1 - rng_below (r, 64);
      break;
    default:
      if (n_maps)
        {
          struct map *m = &maps[rng_below (r, n_maps)];
          x.p = m->start + offset_in (r, m->len);
        }
      break;
    }
  x.valid = run_end (x.p, false) - x.p;
  return x;
}

/* A length for a buffer with VALID bytes: 0, within, exactly, one past,
   or huge. */
static uint64_t
pick_len (struct rng *r, uint64_t valid)
{
  switch (rng_below (r, 8))
    {
    case 0:
      return 0;
    case 1:
      return valid;
    case 2:
      return valid + 1;
    case 3:
      return rng_below (r, 2) ? 0xffffffffUL : 0x80000000UL;
    case 4:
      return 0x100000000UL + rng_below (r, 16);   /* `unsigned` cuts it */
    default:
      return valid ? 1 + rng_below (r, valid < 9000 ? valid : 9000) : 1;
    }
}

static int
pick_fd (struct rng *r)
{
  static const int odd[] = { -1, 2, 20, 512, 1000, 0x7fffffff,
                             (int) 0x80000000 };
  if (rng_below (r, 5) == 0)
    return odd[rng_below (r, sizeof odd / sizeof odd[0])];
  return (int) rng_below (r, 12);
}

/* One of bad_addresses that no tracked mapping covers: 0x20101234 lies
   where random mmaps go, and a 512 MiB mapping at MAP_BASE holds it. */
static uint64_t
pick_unmapped (struct rng *r)
{
  uint64_t p;
  do
    p = bad_addresses[rng_below (r, N_BAD)];
  while (run_end (p, false) != p);
  return p;
}

/* A string pointer and whether the kernel must kill for it: pool names,
   a valid name written across a page boundary, a span of non-NUL bytes
   running into the unmapped page after EDGE, or a bad address. */
static uint64_t
pick_string (struct rng *r, const char *const *pool, size_t n, bool *kills)
{
  *kills = false;
  switch (rng_below (r, 6))
    {
    case 0:
      *kills = true;
      return pick_unmapped (r);
    case 1:
      {
        uint64_t k = 1 + rng_below (r, 30);
        rt_fill ((void *) (EDGE + PGSIZE - 64), 'x', 64);
        *kills = true;
        return EDGE + PGSIZE - k;
      }
    case 2:
      {
        const char *name = pool[rng_below (r, n)];
        size_t len = rt_strlen (name);
        char *at = (char *) scratch + PGSIZE - 1 - rng_below (r, len + 1);
        for (size_t i = 0; i <= len; i++)
          at[i] = name[i];
        return (uint64_t) at;
      }
    default:
      return (uint64_t) pool[rng_below (r, n)];
    }
}

static void
finding (const char *what, long detail)
{
  rt_print (CONSOLE_FD, "(%s) FINDING child %d call %lu: %s (%ld)\n", prog,
            child_no, call_index, what, detail);
  rt_exit (1);
}

/* Run the call in a grandchild that must be killed. */
static void
must_kill (long n, long a, long b, long c, long d, long e, long f)
{
  long pid = SYS1 (SYS_FORK, "doomed");
  if (pid == 0)
    {
      sys6 (n, a, b, c, d, e, f);
      rt_exit (RETURNED_MARK);
    }
  if (pid < 0)
    return;                             /* no memory: nothing to learn */
  long status = SYS1 (SYS_WAIT, pid);
  if (status != KILLED)
    {
      rt_print (CONSOLE_FD, "(%s) call %ld(%lx, %lx, %lx, %lx, %lx, %lx)\n",
                prog, n, a, b, c, d, e, f);
      finding ("a call that must kill returned; grandchild status", status);
    }
}

/* In trace mode, print the call about to be made. */
static void
show (bool kills, long n, long a, long b, long c, long d, long e, long f)
{
  if (trace)
    rt_print (CONSOLE_FD, "(%s) child %d call %lu: %s%ld(%lx, %lx, %lx, %lx, "
              "%lx, %lx)\n", prog, child_no, call_index, kills ? "must kill: " : "",
              n, a, b, c, d, e, f);
}

static void
issue (bool kills, long n, long a, long b, long c, long d, long e, long f)
{
  show (kills, n, a, b, c, d, e, f);
  if (kills)
    must_kill (n, a, b, c, d, e, f);
  else
    sys6 (n, a, b, c, d, e, f);
}

/* --- chaos: random loads, stores, flags and selectors --- */

static void
chaos (uint64_t seed)
{
  static const unsigned short selectors[] = { 0, 3, 0x18, 0x1b, 0x20, 0x23,
                                              0x10, 0x2b, 0xffff, 0x7 };
  struct rng r;
  rng_seed (&r, seed);
  for (int i = 0; i < 24; i++)
    {
      struct ptr x = pick_ptr (&r);
      unsigned short sel = rng_below (&r, 3)
        ? selectors[rng_below (&r, sizeof selectors / sizeof selectors[0])]
        : (unsigned short) rng_next (&r);
      uint64_t flags = rng_next (&r) & (rng_below (&r, 2) ? 0xcd5 : ~0UL);
      switch (rng_below (&r, 7))
        {
        case 0:
          (void) *(volatile unsigned char *) x.p;
          break;
        case 1:
          *(volatile unsigned char *) x.p = (unsigned char) i;
          break;
        case 2:
          __asm__ volatile ("pushq %0; popfq" : : "r" (flags) : "cc", "memory");
          break;
        case 3:
          switch (rng_below (&r, 5))
            {
            case 0: __asm__ volatile ("mov %0, %%ds" : : "r" ((long) sel)); break;
            case 1: __asm__ volatile ("mov %0, %%es" : : "r" ((long) sel)); break;
            case 2: __asm__ volatile ("mov %0, %%fs" : : "r" ((long) sel)); break;
            case 3: __asm__ volatile ("mov %0, %%gs" : : "r" ((long) sel)); break;
            default: __asm__ volatile ("mov %0, %%ss" : : "r" ((long) sel)); break;
            }
          break;
        case 4:
          SYS1 (SYS_TELL, -1);
          SYS3 (SYS_WRITE, 1, scratch, 1 + rng_below (&r, 64));
          break;
        case 5:
          /* A jump to a bad address, or to data: pick_ptr never points
             into .text, so each target is unmapped, outside user space or
             a no-execute page, and the page fault kills. */
          if (rng_below (&r, 4) == 0)
            ((void (*) (void)) (rng_below (&r, 2) ? bad_addresses[rng_below (&r, N_BAD)]
                                                  : x.p)) ();
          break;
        default:
          __asm__ volatile ("pushfq; andq $~0x40500, (%%rsp); popfq" : : : "cc");
          break;
        }
    }
  rt_exit (0);
}

/* --- storms: what a grandchild does --- */

static void storm_body (struct rng *r, int depth) __attribute__ ((noreturn));

/* Fork a grandchild that runs storm_body; wait for it unless ORPHAN.
   Returns its pid (or the failed fork's result). */
static long
storm_fork (struct rng *r, int depth, bool orphan)
{
  bool kills;
  uint64_t name = pick_string (r, fork_names, 4, &kills);
  if (kills)
    {
      issue (true, SYS_FORK, name, 0, 0, 0, 0, 0);
      return -1;
    }
  uint64_t child_seed = rng_next (r);
  show (false, SYS_FORK, name, depth, orphan, 0, 0, 0);
  long pid = SYS1 (SYS_FORK, name);
  if (pid == 0)
    {
      struct rng cr;
      rng_seed (&cr, child_seed);
      storm_body (&cr, depth + 1);
    }
  if (pid > 0 && !orphan)
    SYS1 (SYS_WAIT, pid);
  return pid;
}

static void
storm_body (struct rng *r, int depth)
{
  static const int statuses[] = { 0, 1, -1, 255, 0x7fffffff, (int) 0x80000000 };
  switch (rng_below (r, depth < 2 ? 5 : 3))
    {
    case 0:
      rt_exit (statuses[rng_below (r, sizeof statuses / sizeof statuses[0])]);
    case 1:
      {
        bool kills;
        uint64_t line = pick_string (r, exec_lines,
                                     sizeof exec_lines / sizeof exec_lines[0],
                                     &kills);
        SYS1 (SYS_EXEC, line);
        rt_exit (-1);
      }
    case 2:
      chaos (rng_next (r));
      rt_exit (0);
    case 3:
      for (int i = 0, n = 1 + rng_below (r, 4); i < n; i++)
        storm_fork (r, depth, false);
      rt_exit (0);
    default:
      /* Orphans: the grandchild leaves them running and exits; they never
         fork, so the pids the child sees do not depend on scheduling. */
      storm_fork (r, 2, true);
      rt_exit (0);
    }
}

/* --- the calls --- */

static void
call_buffer (struct rng *r, int sysno)
{
  struct ptr x = pick_ptr (r);
  uint64_t len = pick_len (r, x.valid);
  bool kills = buffer_kills (x.p, (uint32_t) len, sysno == SYS_READ);
  issue (kills, sysno, pick_fd (r), x.p, len, 0, 0, 0);
}

static void
call_mmap (struct rng *r)
{
  static const uint64_t lens[] = { 0, 1, 4095, 4096, 8192, 3 * 4096 + 5,
                                   64 * 4096, 0x20000000, 0xffffffffffffffffUL };
  static const long offsets[] = { 0, 0, 4096, 1, -4096, 0x7ffff000,
                                  0x100000000L };
  uint64_t addr;
  switch (rng_below (r, 6))
    {
    case 0:
      addr = bad_addresses[rng_below (r, N_BAD)];
      break;
    case 1:
      addr = rng_below (r, 2) ? EDGE : (uint64_t) scratch;
      break;
    case 2:
      addr = MAP_BASE + rng_below (r, 64) * PGSIZE + (rng_below (r, 4) ? 0 : 8);
      break;
    default:
      addr = MAP_BASE + rng_below (r, 64) * PGSIZE;
      break;
    }
  uint64_t len = lens[rng_below (r, sizeof lens / sizeof lens[0])];
  bool writable = rng_below (r, 2);
  long off = offsets[rng_below (r, sizeof offsets / sizeof offsets[0])];
  int fd = pick_fd (r);
  show (false, SYS_MMAP, addr, len, writable, fd, off, 0);
  uint64_t got = (uint64_t) sys6 (SYS_MMAP, addr, len, writable, fd, off, 0);
  if (got && got != addr)
    finding ("mmap returned another address", got);
  if (got && n_maps < MAX_MAPS)
    {
      uint64_t pages = ((len + PGSIZE - 1) & ~(PGSIZE - 1)) / PGSIZE;
      maps[n_maps++] = (struct map) { got, pages * PGSIZE, writable };
      /* Touch up to 96 of its pages, writing when it may: memory
         pressure, evictions and write-backs under a small pool. */
      if (rng_below (r, 2))
        for (uint64_t i = 0; i < pages && i < 96; i++)
          {
            volatile unsigned char *b = (unsigned char *) got + i * PGSIZE
                                        + rng_below (r, PGSIZE);
            if (writable)
              *b = (unsigned char) i;
            else
              (void) *b;
          }
    }
  else if (got)
    SYS1 (SYS_MUNMAP, got);             /* the table is full: keep it exact */
}

static void
call_munmap (struct rng *r)
{
  if (n_maps && rng_below (r, 3))
    {
      int i = rng_below (r, n_maps);
      issue (false, SYS_MUNMAP, maps[i].start, 0, 0, 0, 0, 0);
      maps[i] = maps[--n_maps];
      return;
    }
  /* Not a mapping's start: nothing happens. */
  uint64_t addr = rng_below (r, 2) ? bad_addresses[rng_below (r, N_BAD)]
                                   : MAP_BASE + 8 + rng_below (r, 64) * PGSIZE;
  issue (false, SYS_MUNMAP, addr, 0, 0, 0, 0, 0);
}

static void
call_file (struct rng *r, int sysno)
{
  bool kills;
  bool removable = sysno == SYS_CREATE || sysno == SYS_REMOVE;
  uint64_t name = pick_string (r, file_names,
                               removable ? N_REMOVABLE
                               : sizeof file_names / sizeof file_names[0],
                               &kills);
  static const uint64_t sizes[] = { 0, 1, 4096, 100000, 0xffffffffUL };
  issue (kills, sysno, name, sizes[rng_below (r, 5)], 0, 0, 0, 0);
}

/* mkdir, chdir, symlink (two paths: a bad pointer in either kills) and
   readdir (kills when its 15-byte buffer is not writable, whatever the
   descriptor). */
static void
call_dir (struct rng *r, int sysno)
{
  bool kills, kills2;
  size_t n = sizeof dir_paths / sizeof dir_paths[0];
  if (sysno == SYS_READDIR)
    {
      struct ptr x = pick_ptr (r);
      issue (buffer_kills (x.p, 15, true), sysno, pick_fd (r), x.p, 0, 0, 0, 0);
      return;
    }
  uint64_t path = pick_string (r, dir_paths, n, &kills);
  if (sysno != SYS_SYMLINK)
    {
      issue (kills, sysno, path, 0, 0, 0, 0, 0);
      return;
    }
  uint64_t target = pick_string (r, dir_paths, n, &kills2);
  issue (kills || kills2, sysno, target, path, 0, 0, 0, 0);
}

static void
one_call (struct rng *r)
{
  static const long wild_numbers[] = { 23, 24, 100, 0x7fffffff, -1,
                                       0x100000001L, (long) 0x8000000000000000UL };
  int what = rng_below (r, 26);
  switch (what)
    {
    case SYS_HALT:                      /* the parent halts, at the end */
    case SYS_EXIT:
    case SYS_EXEC:
    case SYS_FORK:
      {
        bool orphan = rng_below (r, 8) == 0;   /* an orphan never forks */
        storm_fork (r, orphan ? 2 : 0, orphan);
        break;
      }
    case SYS_WAIT:
      {
        static const long pids[] = { -1, 0, 1, 2, 0x7fffffff, (long) 0x80000000 };
        long pid = rng_below (r, 2) ? pids[rng_below (r, 6)]
                                    : (long) rng_below (r, 400);
        issue (false, SYS_WAIT, pid, 0, 0, 0, 0, 0);
        break;
      }
    case SYS_CREATE:
    case SYS_REMOVE:
    case SYS_OPEN:
      call_file (r, what);
      break;
    case SYS_READ:
    case SYS_WRITE:
      call_buffer (r, what);
      break;
    case SYS_MMAP:
      call_mmap (r);
      break;
    case SYS_MUNMAP:
      call_munmap (r);
      break;
    case SYS_CHDIR:
    case SYS_MKDIR:
    case SYS_READDIR:
    case SYS_SYMLINK:
      call_dir (r, what);
      break;
    case SYS_COUNT:
    case SYS_COUNT + 1:
    case SYS_COUNT + 2:
      issue (true, wild_numbers[rng_below (r, 7)], rng_next (r), rng_next (r),
             0, 0, 0, 0);
      break;
    default:                 /* filesize seek tell close isdir inumber dup2 */
      {
        long second = rng_below (r, 2) ? pick_fd (r) : (long) rng_next (r);
        if ((int) second == CONSOLE_FD)
          second--;                     /* dup2 must not replace the console */
        issue (false, what, pick_fd (r), second, rng_next (r), rng_next (r),
               0, 0);
        break;
      }
    }
}

static void
run_child (uint64_t seed, int k, uint64_t calls)
{
  struct rng r;
  rng_seed (&r, seed * 1000003 + k);
  child_no = k;
  if ((uint64_t) scratch + sizeof scratch != IMAGE_END || RW_START <= (uint64_t) ro)
    finding ("the program's layout is not the one the model assumes", IMAGE_END);
  long out = SYS1 (SYS_OPEN, "out");
  long edge = SYS1 (SYS_OPEN, "edge");
  if (out < 2 || edge < 2 || SYS2 (SYS_DUP2, out, 0) != 0
      || SYS2 (SYS_DUP2, out, 1) != 1
      || sys6 (SYS_MMAP, EDGE, PGSIZE, 1, edge, 0, 0) != (long) EDGE)
    finding ("could not set up (out, edge)", out);
  SYS1 (SYS_CLOSE, out);
  SYS1 (SYS_CLOSE, edge);
  for (call_index = 0; call_index < calls; call_index++)
    one_call (&r);
  rt_exit (0);
}

/* --- the victim --- */

#define VICTIM_OPEN_FAILED 1
#define VICTIM_CHILD_FAILED 2

/* Until the file "victim-stop" exists: open and read its own file
   "victim" (no random call names either), fork a child that writes to
   every page of SCRATCH (copy-on-write faults) and exits 0, and wait for
   it.  Exits 0, or VICTIM_OPEN_FAILED or VICTIM_CHILD_FAILED for the
   first thing that did not work; before the latter it prints which fork
   it was (counted from 0), what fork returned and what wait returned.  A
   fork that returns -1 is allowed: the children may have taken the
   memory. */
static void __attribute__ ((noreturn))
victim (void)
{
  uint64_t forks = 0;
  for (;;)
    {
      if (SYS1 (SYS_OPEN, "victim-stop") >= 0)
        rt_exit (0);
      char byte;
      long fd = SYS1 (SYS_OPEN, "victim");
      if (fd < 2 || SYS3 (SYS_READ, fd, &byte, 1) != 1)
        rt_exit (VICTIM_OPEN_FAILED);
      SYS1 (SYS_CLOSE, fd);
      long pid = SYS1 (SYS_FORK, "victim-child");
      if (pid == 0)
        {
          for (size_t i = 0; i < sizeof scratch; i += PGSIZE)
            scratch[i]++;
          rt_exit (0);
        }
      long status = pid > 0 ? SYS1 (SYS_WAIT, pid) : 0;
      if (status != 0)
        {
          rt_print (CONSOLE_FD, "(%s) victim: FINDING: fork %lu: wait (%ld) "
                    "returned %ld\n", prog, forks, pid, status);
          rt_exit (VICTIM_CHILD_FAILED);
        }
      forks++;
    }
}

/* Fork the victim; its pid, or the failed fork's result. */
static long
start_victim (void)
{
  SYS2 (SYS_CREATE, "victim", 1);
  long pid = SYS1 (SYS_FORK, "fuzz-victim");
  if (pid == 0)
    victim ();
  return pid;
}

/* Tell the victim to stop, wait for it and print its status; 1 when that
   is a finding (not 0), else 0. */
static int
stop_victim (long pid)
{
  SYS2 (SYS_CREATE, "victim-stop", 0);
  long status = pid > 0 ? SYS1 (SYS_WAIT, pid) : pid;
  if (status == 0)
    {
      rt_print (CONSOLE_FD, "(%s) victim: exit 0\n", prog);
      return 0;
    }
  rt_print (CONSOLE_FD, "(%s) victim: FINDING: status %ld (1: its file could "
            "not be opened or read, 2: a child it forked did not exit 0, -1: "
            "killed or never forked)\n", prog, status);
  return 1;
}

static int
campaign (uint64_t seed, uint64_t calls, int children, bool with_victim)
{
  int findings = 0;
  long victim_pid = 0;

  if (SYS2 (SYS_DUP2, 1, CONSOLE_FD) != CONSOLE_FD)
    return 2;
  SYS2 (SYS_CREATE, "edge", PGSIZE);
  SYS2 (SYS_CREATE, "out", 0);
  rt_print (CONSOLE_FD, "(%s) seed %lu: %lu calls in %d children\n", prog,
            seed, calls, children);
  if (with_victim)
    victim_pid = start_victim ();
  for (int k = 0; k < children; k++)
    {
      uint64_t slice = calls / children + (k < (int) (calls % children));
      long pid = SYS1 (SYS_FORK, "fuzz-child");
      if (pid == 0)
        run_child (seed, k, slice);
      long status = pid > 0 ? SYS1 (SYS_WAIT, pid) : pid;
      if (status == 0)
        rt_print (CONSOLE_FD, "(%s) child %d: %lu calls\n", prog, k, slice);
      else
        {
          findings++;
          rt_print (CONSOLE_FD, "(%s) child %d: FINDING: status %ld (seed %lu; "
                    "`fuzz %lu %lu %d trace` replays it)\n", prog, k, status,
                    seed, seed, calls, children);
        }
    }
  if (with_victim)
    findings += stop_victim (victim_pid);
  rt_print (CONSOLE_FD, "(%s) done: %lu calls, %d findings\n", prog, calls,
            findings);
  SYS0 (SYS_HALT);
  return 0;
}

int
fuzz_main (int argc, char **argv)
{
  prog = argc > 0 ? argv[0] : "fuzz";
  if (argc >= 2 && rt_streq (argv[1], "idle"))
    return 0;
  if (argc >= 3 && rt_streq (argv[1], "chaos"))
    chaos (rt_atol (argv[2]));
  if (argc < 3)
    {
      rt_print (1, "usage: fuzz SEED CALLS [CHILDREN [trace] [victim]] | idle | chaos SEED\n");
      return 2;
    }
  bool with_victim = false;
  for (int i = 4; i < argc; i++)
    {
      trace |= rt_streq (argv[i], "trace");
      with_victim |= rt_streq (argv[i], "victim");
    }
  return campaign (rt_atol (argv[1]), rt_atol (argv[2]),
                   argc >= 4 ? (int) rt_atol (argv[3]) : 4, with_victim);
}
