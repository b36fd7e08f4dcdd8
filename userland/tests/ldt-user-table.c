/* ldt-user-table: a program cannot make the CPU use a descriptor table it
   wrote itself.  Issue 9, finding 2: with the LDT register left at its
   reset value (base 0, limit 0xffff), the page at 0xf000 held the LDT; a
   program that mapped a file page there and wrote a DPL-3 data descriptor
   at 0xfff8 could load selector 0xffff (and a call gate written the same
   way would lead to ring 0).  With a null LDT the load is a #GP and the
   program is killed.

   The page is a file mapping, written by the parent and read by the child
   before the load, so it is present in the child's address space and
   holds the descriptor when the child tries the load; the descriptor's
   accessed bit is already set, so the CPU has no reason to write to the
   (copy-on-write, so read-only) page. */
#include "test.h"

#define TABLE_PAGE ((unsigned char *) 0xf000)
#define USER_DATA_DESCRIPTOR 0x00cff3000000ffffULL  /* base 0, DPL 3, RW, accessed */

void
test_main (void)
{
  volatile unsigned long long *slot;
  unsigned long sel = 0xffff;   /* index 0x1fff (offset 0xfff8), TI=1, RPL 3 */
  int fd;
  pid_t pid;

  CHECK (create ("ldt-page", PGSIZE), "create ldt-page");
  CHECK ((fd = open ("ldt-page")) > 1, "open ldt-page");
  CHECK (mmap (TABLE_PAGE, PGSIZE, 1, fd, 0) == TABLE_PAGE,
         "mmap it at 0xf000");
  slot = (volatile unsigned long long *) (TABLE_PAGE + 0xff8);
  *slot = USER_DATA_DESCRIPTOR;
  CHECK (*slot == USER_DATA_DESCRIPTOR,
         "a DPL-3 data descriptor written at 0xfff8");

  pid = fork ("load-fs");
  if (pid == 0)
    {
      unsigned long got;

      if (*slot != USER_DATA_DESCRIPTOR)   /* present in the child too */
        fail ("the child sees another descriptor");
      __asm__ volatile ("mov %1, %%fs\n\t"
                        "mov %%fs, %0" : "=r" (got) : "r" (sel));
      msg ("load-fs: the CPU used the program's descriptor (fs=%#lx)", got);
      exit (0);
    }
  if (pid < 0)
    fail ("fork failed");
  CHECK (wait (pid) == -1, "loading selector 0xffff kills the child");
  munmap (TABLE_PAGE);
  close (fd);
}
