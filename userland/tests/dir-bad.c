/* dir-bad: hostile paths and buffers get a clear failure, or kill only the
   caller: empty paths, names over 14 bytes, missing components and files
   used as directories, ".." at the root, paths of a page or more, a path
   that is not terminated before unmapped memory, NULL, and bad readdir
   buffers. */
#include "test.h"

static char path[8192];

/* Fills PATH with "./" repeated and a final "f" up to LEN bytes. */
static const char *
long_path (size_t len)
{
  size_t i;
  for (i = 0; i + 1 < len; i += 2)
    memcpy (path + i, "./", 2);
  path[len - 1] = 'f';
  path[len] = '\0';
  if (i != len - 1)
    path[len - 2] = '/';           /* an even LEN: "..//f" is fine too */
  return path;
}

static void
mkdir_unterminated (const void *aux)
{
  (void) aux;
  int fd = open ("m");
  char *page = mmap ((void *) 0x10000000, 4096, 1, fd, 0);
  if (page == MAP_FAILED)
    fail ("mmap failed");
  memset (page, 'a', 4096);         /* no NUL before the unmapped page */
  mkdir (page + 4096 - 100);
}

static void
open_null (const void *aux)
{
  (void) aux;
  open (NULL);
}

static void
readdir_to (const void *aux)
{
  int fd = open ("/");
  readdir (fd, (char *) aux);
}

static void
chdir_kernel (const void *aux)
{
  (void) aux;
  chdir ((const char *) KERNEL_HIGH);
}

static void
symlink_unmapped (const void *aux)
{
  (void) aux;
  symlink ((const char *) UNMAPPED_USER, "l");
}

void
test_main (void)
{
  CHECK (!mkdir ("") && !create ("", 0) && open ("") == -1 && !chdir ("")
         && !remove ("") && symlink ("", "x") == -1 && symlink ("x", "") == -1,
         "empty paths fail");
  CHECK (mkdir ("abcdefghijklmn"), "a 14-byte name works");
  CHECK (!mkdir ("abcdefghijklmno"), "a 15-byte name fails");
  CHECK (!create ("abcdefghijklmn/abcdefghijklmno", 0), "also below a directory");
  CHECK (open ("abcdefghijklmno") == -1 && !remove ("abcdefghijklmno"),
         "open and remove of it fail");
  CHECK (!create ("nodir/f", 0) && !mkdir ("nodir/sub") && open ("nodir/f") == -1
         && !chdir ("nodir/.."), "a missing component fails");
  CHECK (create ("file", 0), "create file");
  CHECK (!create ("file/f", 0) && !mkdir ("file/d") && open ("file/.") == -1
         && open ("file/..") == -1 && !chdir ("file"), "a file as a directory fails");
  int root = open ("/"), up = open ("/../../..");
  CHECK (up > 1 && inumber (up) == inumber (root), "/../../.. is the root");
  CHECK (chdir ("..") && create ("../../top", 0) && open ("/top") > 1,
         ".. at the root stays there");
  CHECK (open ("//abcdefghijklmn///.//") > 1, "runs of slashes are one");
  CHECK (create (long_path (4095), 0), "a path of 4095 bytes works");
  CHECK (open (long_path (4095)) > 1 && remove (long_path (4095)), "open and remove it");
  CHECK (!create (long_path (4096), 0) && open (long_path (4096)) == -1
         && !mkdir (long_path (5000)) && !chdir (long_path (8000)),
         "paths of a page or more fail");
  CHECK (symlink (long_path (4095), "lp") == 0 && open ("lp") == -1,
         "a link to a 4095-byte path can be made and followed (to nothing)");
  CHECK (create ("f", 0) && open ("lp") > 1, "it reaches f once f exists");
  CHECK (symlink (long_path (4096), "lq") == -1, "a 4096-byte target fails");
  CHECK (remove ("lp") && remove ("f") && open ("lq") == -1, "remove them");
  CHECK (create ("m", 4096), "create m for a mapping");
  check_killed ("unterminated", mkdir_unterminated, NULL);
  check_killed ("null-path", open_null, NULL);
  check_killed ("kernel-path", chdir_kernel, NULL);
  check_killed ("unmapped-target", symlink_unmapped, NULL);
  check_killed ("readdir-unmapped", readdir_to, (const void *) UNMAPPED_USER);
  check_killed ("readdir-code", readdir_to, (const void *) test_main);
  check_killed ("readdir-across", readdir_to, (const void *) (USER_STACK - 8));
  CHECK (open ("/file") > 1, "the file system is still fine");
}
