/* bench-fs ROUNDS: the file-system benchmark (bench/run.py, fs_section).
 *
 * Disk counters (int $0x43 / $0x44), first, while the cache holds no
 * dirty block: the sectors a sequential 64 KiB write in 4 KiB writes and a
 * cold sequential 64 KiB read of the disk's file `cold` cost, and those of
 * a 1 MiB write, which the cache must write back during the run, against
 * the bytes moved.  Then path lookup: the median cycles of open + close,
 * over ROUNDS rounds, of the last of 1,000 entries of one directory, of
 * its first, of a file 10 directories deep and of one in the root.
 * Not a test: its timings depend on the machine. */
#include <stdint.h>
#include "cycles.h"
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "syscall.h"

#define WIDE 1000
#define MAX_ROUNDS 1000
#define KIB64 (64 * 1024)

static uint64_t samples[MAX_ROUNDS];
static char buf[4096];

/* The median cycles of ROUNDS opens and closes of PATH. */
static uint64_t
time_lookup (const char *path, int rounds)
{
  for (int i = 0; i < rounds; i++)
    {
      uint64_t start = cycles ();
      int fd = open (path);
      close (fd);
      samples[i] = cycles () - start;
      if (fd < 2)
        {
          printf ("bench-fs: cannot open %s\n", path);
          exit (1);
        }
    }
  return median_cycles (samples, rounds);
}

/* Write BYTES to new file PATH in 4 KiB writes; print the sectors the
   counters moved meanwhile. */
static void
write_file (const char *label, const char *path, int bytes)
{
  int fd;
  if (!create (path, 0) || (fd = open (path)) < 2)
    exit (1);
  long long r = get_fs_disk_read_cnt (), w = get_fs_disk_write_cnt ();
  for (int done = 0; done < bytes; done += sizeof buf)
    if (write (fd, buf, sizeof buf) != sizeof buf)
      exit (1);
  printf ("bench-fs: io=%s bytes=%d read_sectors=%lld write_sectors=%lld\n",
          label, bytes, get_fs_disk_read_cnt () - r, get_fs_disk_write_cnt () - w);
  close (fd);
}

int
main (int argc, char *argv[])
{
  int rounds = argc > 1 ? atoi (argv[1]) : 100;
  char path[64];
  if (rounds < 1 || rounds > MAX_ROUNDS)
    return 2;

  /* First, while the cache holds no dirty block. */
  write_file ("write-64k", "/w64", KIB64);
  int fd = open ("/cold");
  long long r = get_fs_disk_read_cnt (), w = get_fs_disk_write_cnt ();
  int got = 0, n;
  while ((n = read (fd, buf, sizeof buf)) > 0)
    got += n;
  printf ("bench-fs: io=cold-read-64k bytes=%d read_sectors=%lld write_sectors=%lld\n",
          got, get_fs_disk_read_cnt () - r, get_fs_disk_write_cnt () - w);
  write_file ("write-1m", "/w1m", 16 * KIB64);

  if (!mkdir ("/wide"))
    return 1;
  for (int i = 0; i < WIDE; i++)
    {
      snprintf (path, sizeof path, "/wide/f%d", i);
      if (!create (path, 0))
        return 1;
    }
  strlcpy (path, "", sizeof path);
  for (int i = 1; i <= 10; i++)
    {
      snprintf (path + strlen (path), sizeof path - strlen (path), "/d%d", i);
      if (!mkdir (path))
        return 1;
    }
  strlcat (path, "/leaf", sizeof path);
  if (!create (path, 0))
    return 1;

  printf ("bench-fs: lookup=wide-last cycles=%llu\n",
          (unsigned long long) time_lookup ("/wide/f999", rounds));
  printf ("bench-fs: lookup=wide-first cycles=%llu\n",
          (unsigned long long) time_lookup ("/wide/f0", rounds));
  printf ("bench-fs: lookup=deep-10 cycles=%llu\n",
          (unsigned long long) time_lookup (path, rounds));
  printf ("bench-fs: lookup=root cycles=%llu\n",
          (unsigned long long) time_lookup ("/cold", rounds));

  return 0;
}
