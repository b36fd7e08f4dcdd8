/* demo: what `make run` boots.  A short tour of Folio's user ABI: the
 * arguments, a file written and read back, a child forked with
 * copy-on-write (the shared frame, then the private copy after a write),
 * a memory-mapped file, and the exit status a parent collects. */
#include <stdint.h>
#include "stdio.h"
#include "string.h"
#include "syscall.h"

static char page[4096] __attribute__ ((aligned (4096))) = "shared before the write";

int
main (int argc, char *argv[])
{
  printf ("Hello from Folio's demo: %d argument%s\n", argc - 1, argc == 2 ? "" : "s");
  for (int i = 1; i < argc; i++)
    printf ("  argv[%d] = '%s'\n", i, argv[i]);

  /* A file: create, write, read back. */
  const char *text = "a line written to a file on the payload disk\n";
  int fd;
  char buf[64] = { 0 };
  if (!create ("demo.txt", 0) || (fd = open ("demo.txt")) < 2)
    return 1;
  write (fd, text, strlen (text));
  seek (fd, 0);
  read (fd, buf, sizeof buf - 1);
  printf ("file demo.txt (%d bytes): %s", filesize (fd), buf);

  /* fork: parent and child share the page until the child writes it. */
  uintptr_t before = frame_of (page);
  pid_t pid = fork ("demo-child");
  if (pid == 0)
    {
      int same = frame_of (page) == before;
      page[0] = 'S';
      printf ("child: the page was %s the parent's, and after a write it is %s\n",
              same ? "shared with" : "not shared with",
              frame_of (page) != before ? "a private copy" : "still shared");
      exit (42);
    }
  int status = wait (pid);
  printf ("parent: child exited with %d; my page still reads '%s'\n", status, page);

  /* mmap: the file's bytes appear in memory, loaded on first touch. */
  char *map = mmap ((void *) 0x10000000, 4096, 0, fd, 0);
  if (map)
    {
      printf ("mapped demo.txt at %p, frame before touching: %s\n", map,
              frame_of (map) ? "present" : "none");
      printf ("first word through the mapping: %.6s\n", map);
      munmap (map);
    }
  close (fd);
  printf ("Goodbye.\n");
  return 0;
}
