/* create-exists: create() of a name that exists returns false and leaves
   the existing file alone. */
#include "test.h"
#include "sample.h"

void
test_main (void)
{
  int fd;

  CHECK (create ("quux.dat", 0), "create quux.dat");
  CHECK (!create ("quux.dat", 0), "create quux.dat again: false");
  CHECK (!create ("sample.txt", 10), "create sample.txt (already on disk): false");
  CHECK ((fd = open ("sample.txt")) > 1, "open sample.txt");
  CHECK (filesize (fd) == (int) SAMPLE_SIZE, "sample.txt keeps its size");
}
