/* dup2-stdout: output redirection.  dup2 (1, 20) keeps the console;
   dup2 (file, 1) sends printf/msg output into the file instead of the
   console; dup2 (20, 1) brings the console back.  The file then holds
   exactly the redirected lines (also fetched by the harness). */
#include "test.h"

static const char captured[] =
  "this line went to capture.txt\n"
  "(dup2-stdout) and so did this one\n";
static char buf[256];

void
test_main (void)
{
  int fd;

  CHECK (dup2 (STDOUT_FILENO, 20) == 20, "save the console as fd 20");
  CHECK (create ("capture.txt", 0), "create capture.txt");
  CHECK ((fd = open ("capture.txt")) > 1, "open capture.txt");
  if (dup2 (fd, STDOUT_FILENO) != STDOUT_FILENO)
    fail ("dup2 (fd, 1) failed");
  printf ("this line went to capture.txt\n");
  msg ("and so did this one");
  if (dup2 (20, STDOUT_FILENO) != STDOUT_FILENO)
    fail ("dup2 (20, 1) failed");
  msg ("the console is back");
  seek (fd, 0);
  CHECK (read (fd, buf, sizeof buf) == (int) sizeof captured - 1,
         "capture.txt has the length of the two lines");
  check_bytes (buf, captured, sizeof captured - 1, "capture.txt");
  msg ("capture.txt holds the two redirected lines");
}
