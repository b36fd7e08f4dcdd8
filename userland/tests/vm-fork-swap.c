/* vm-fork-swap: fork copies pages that are in swap as well as resident
   ones: with user_pages=48 the parent writes a 512 KiB array (most of it
   ends up in swap), forks, and the child sees every word the parent
   wrote; the child rewrites the whole array, and after it has exited the
   parent still sees its own words. */
#include "test.h"

#define WORDS (128 * 1024)          /* 512 KiB of 32-bit words */
#define PAGES (WORDS * 4 / 4096)

static uint32_t arr[WORDS];

static uint32_t
value (size_t i, uint32_t who)
{
  return (uint32_t) (i * 2654435761u) ^ who;
}

static bool
all_are (uint32_t who)
{
  size_t i;
  for (i = 0; i < WORDS; i++)
    if (arr[i] != value (i, who))
      return false;
  return true;
}

void
test_main (void)
{
  size_t i, gone = 0;
  pid_t pid;

  for (i = 0; i < WORDS; i++)
    arr[i] = value (i, 0xaaaa5555);
  for (i = 0; i < PAGES; i++)
    gone += frame_of ((char *) arr + i * PGSIZE) == 0;
  CHECK (gone >= PAGES / 2, "wrote 512 KiB: most of it is not resident");
  pid = fork ("child");
  if (pid == 0)
    {
      CHECK (all_are (0xaaaa5555), "child: sees every word the parent wrote");
      for (i = 0; i < WORDS; i++)
        arr[i] = value (i, 0x5555aaaa);
      CHECK (all_are (0x5555aaaa), "child: rewrote them all");
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == 0, "wait returns 0");
  CHECK (all_are (0xaaaa5555), "parent: sees its own words");
}
