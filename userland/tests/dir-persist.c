/* dir-persist: a tree of directories, files and links written in one
   boot ("dir-persist write") is found whole in the next ("dir-persist
   check"): contents, sizes, every name readdir lists, links relative,
   absolute and dangling, a directory grown to three blocks; a file
   removed while open at power-off is gone.  harness/tools/test_fs_reboot.py
   boots the two in turn on one disk. */
#include "test.h"

#define BIG 100000                   /* past the 12 direct blocks */
#define MANY 300                     /* entries: three directory blocks */

static char buf[BIG];

/* Byte I of the big file. */
static char
pattern (int i)
{
  return (char) (i * 7 + i / 4096);
}

static void
expect_text (const char *path, const char *text)
{
  int fd = open (path);
  int n = fd < 2 ? -1 : read (fd, buf, sizeof buf);
  if (n != (int) strlen (text) || memcmp (buf, text, n) != 0)
    fail ("%s does not hold \"%s\"", path, text);
  close (fd);
}

static void
write_tree (void)
{
  char name[16];
  CHECK (mkdir ("/home") && mkdir ("/home/ann") && mkdir ("/home/ann/src")
         && mkdir ("/tmp"), "mkdir /home, /home/ann, /home/ann/src, /tmp");
  put_file ("/home/ann/notes", "remember the milk\n");
  put_file ("/home/ann/src/main.c", "int main (void) { return 0; }\n");
  for (int i = 0; i < BIG; i++)
    buf[i] = pattern (i);
  int fd;
  CHECK (create ("/home/big", 0) && (fd = open ("/home/big")) > 1
         && write (fd, buf, BIG) == BIG, "write /home/big, %d bytes", BIG);
  close (fd);
  CHECK (symlink ("ann/notes", "/home/notes") == 0
         && symlink ("/home/ann/src", "/src") == 0
         && symlink ("../nowhere", "/tmp/dangling") == 0, "links relative, absolute, dangling");
  CHECK (mkdir ("/many"), "mkdir /many");
  for (int i = 0; i < MANY; i++)
    {
      snprintf (name, sizeof name, "n%03d", i);
      if (!create ("/many/x", 0) || !remove ("/many/x"))
        fail ("churn in /many");
      snprintf (buf, 32, "/many/%s", name);
      if (!create (buf, i))
        fail ("create %s", buf);
    }
  msg ("/many holds %d files", MANY);
  put_file ("/tmp/scratch", "gone after power-off\n");
  CHECK ((fd = open ("/tmp/scratch")) > 1 && remove ("/tmp/scratch"),
         "/tmp/scratch removed while open, left open");
  CHECK (chdir ("/home/ann"), "chdir /home/ann; exit without closing");
}

static void
check_tree (void)
{
  char name[READDIR_MAX_LEN + 1];
  int fd, n;

  expect_text ("/home/ann/notes", "remember the milk\n");
  expect_text ("/src/main.c", "int main (void) { return 0; }\n");
  expect_text ("/home/notes", "remember the milk\n");
  msg ("files and links read back");
  CHECK ((fd = open ("/home/big")) > 1 && filesize (fd) == BIG
         && read (fd, buf, BIG) == BIG, "/home/big is %d bytes", BIG);
  for (int i = 0; i < BIG; i++)
    if (buf[i] != pattern (i))
      fail ("/home/big: byte %d differs", i);
  msg ("/home/big holds what was written");
  CHECK (open ("/tmp/dangling") == -1, "/tmp/dangling still dangles");
  CHECK (open ("/tmp/scratch") == -1, "/tmp/scratch is gone");
  CHECK ((fd = open ("/tmp")) > 1 && readdir (fd, name)
         && strcmp (name, "dangling") == 0 && !readdir (fd, name),
         "/tmp lists only dangling");
  CHECK ((fd = open ("/many")) > 1, "open /many");
  n = 0;
  while (readdir (fd, name))
    {
      int k = atoi (name + 1);
      snprintf (buf, 32, "/many/%s", name);
      int f = open (buf);
      if (f < 2 || filesize (f) != k)
        fail ("%s is not %d bytes", buf, k);
      close (f);
      n++;
    }
  CHECK (n == MANY, "/many lists %d files of the right sizes", MANY);
  CHECK ((fd = open ("/home")) > 1, "open /home");
  n = 0;
  while (readdir (fd, name))
    n++;
  CHECK (n == 3, "/home lists ann, big and notes");
  CHECK (create ("/home/ann/more", 0) && remove ("/home/ann/more"),
         "the tree takes new names");
}

int
main (int argc, char *argv[])
{
  if (argc == 2 && strcmp (argv[1], "write") == 0)
    write_tree ();
  else if (argc == 2 && strcmp (argv[1], "check") == 0)
    check_tree ();
  else
    fail ("usage: dir-persist write|check");
  msg ("done");
  return 0;
}
