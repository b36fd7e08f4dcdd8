/* dir-tree: writes a tree of directories, files and links that the
   harness reads back from the disk image after power-off (fetch), and
   checks whole (fsck): nothing is lost, no block or inode is left over. */
#include "test.h"

void
test_main (void)
{
  CHECK (mkdir ("a") && mkdir ("a/b") && mkdir ("a/b/c") && mkdir ("e"),
         "mkdir a, a/b, a/b/c, e");
  put_file ("a/b/c/deep.txt", "deep in the tree\n");
  put_file ("a/top.txt", "top of a\n");
  CHECK (symlink ("b/c/deep.txt", "a/deep") == 0 && symlink ("/a", "e/to-a") == 0,
         "links a/deep and e/to-a");
  put_file ("e/to-a/b/via-link", "written through a link\n");
  CHECK (create ("gone", 100000) && remove ("gone"), "a file created and removed");
  int fd = open ("a/top.txt");
  CHECK (fd > 1 && remove ("a/top.txt"), "a/top.txt removed while open");
  CHECK (mkdir ("empty"), "mkdir empty");
}
