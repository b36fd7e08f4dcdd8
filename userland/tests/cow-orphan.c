/* cow-orphan: a process exits while its child still shares its pages,
   and the child is not disturbed.

   The first process (cow-orphan) forks "parent".  The parent writes four
   pages, notes the frame of the first, forks "orphan" (which shares all
   four) and exits at once.  The first process waits for the parent, so
   the parent has exited, its references dropped, before it creates the
   file "go".  The orphan waits for "go", then checks that its four pages
   hold the parent's data, that its first page is still in the frame the
   parent had, and that writing it, as the last holder, keeps that frame
   (no copy).  It then creates "done" and exits; the first process waits
   for "done" before ending.

   The orphan's exit line is the only one whose place is free: it may come
   anywhere after the orphan's last message, so the expected output lists
   the four possible places. */
#include "test.h"

#define PAGES 4
#define WORDS (PGSIZE / sizeof (uint32_t))

static volatile uint32_t data[PAGES * WORDS] __attribute__ ((aligned (4096)));

static uint32_t
value (size_t i)
{
  return (uint32_t) i * 2654435761u ^ 0x0badcafeu;
}

static void
orphan (uintptr_t pf)
{
  size_t i;

  await_file ("go");
  for (i = 0; i < PAGES * WORDS; i++)
    if (data[i] != value (i))
      fail ("orphan: word %zu is 0x%08x, expected 0x%08x", i, data[i],
            value (i));
  msg ("orphan: sees the data its parent left");
  CHECK (frame_of ((const void *) data) == pf,
         "orphan: its first page is in the frame the parent had");
  data[0] = 0;
  CHECK (frame_of ((const void *) data) == pf && data[0] == 0
         && data[1] == value (1),
         "orphan: as the last holder it writes without a copy");
  if (!create ("done", 0))
    fail ("create done");
  exit (0);
}

static void
parent (void)
{
  uintptr_t pf;
  size_t i;
  pid_t pid;

  for (i = 0; i < PAGES * WORDS; i++)
    data[i] = value (i);
  pf = frame_of ((const void *) data);
  if (pf == 0)
    fail ("parent: its first page has no frame");
  pid = fork ("orphan");
  if (pid == 0)
    orphan (pf);
  if (pid < 0)
    fail ("parent: fork failed");
  msg ("parent: forked a child that shares its pages; exiting");
  exit (0);
}

void
test_main (void)
{
  pid_t pid = fork ("parent");

  if (pid == 0)
    parent ();
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "the parent has exited");
  if (!create ("go", 0))
    fail ("create go");
  await_file ("done");
  msg ("the orphan has finished");
}
