/* Folio user library: msg/fail/check_bytes/spawn/fork_children/
   check_killed/put_file/await_file. */
#include "test.h"
#include <stdarg.h>

const char *test_name = "test";

static char line[1024];

/* Formats "(NAME) PREFIXmessage\n" and writes it with one system call. */
static void
vmsg (const char *prefix, const char *format, va_list args)
{
  size_t n = snprintf (line, sizeof line, "(%s) %s", test_name, prefix);
  if (n < sizeof line - 1)
    n += vsnprintf (line + n, sizeof line - n, format, args);
  if (n > sizeof line - 2)
    n = sizeof line - 2;
  line[n++] = '\n';
  write (STDOUT_FILENO, line, n);
}

void
msg (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  vmsg ("", format, args);
  va_end (args);
}

void
fail (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  vmsg ("FAIL: ", format, args);
  va_end (args);
  exit (1);
}

void
check_bytes (const void *got, const void *want, size_t n, const char *what)
{
  const unsigned char *g = got, *w = want;
  size_t i;

  for (i = 0; i < n; i++)
    if (g[i] != w[i])
      fail ("%s: byte %zu is 0x%02x, expected 0x%02x", what, i, g[i], w[i]);
}

pid_t
spawn (const char *name, const char *cmdline)
{
  pid_t pid = fork (name);
  if (pid < 0)
    fail ("fork \"%s\" failed", name);
  if (pid == 0)
    {
      exec (cmdline);
      fail ("exec \"%s\" returned", cmdline);
    }
  return pid;
}

void
fork_children (const char *prefix, int n, void (*fn) (int), pid_t *pids)
{
  char name[32];
  int k;

  for (k = 0; k < n; k++)
    {
      snprintf (name, sizeof name, "%s%d", prefix, k);
      pids[k] = fork (name);
      if (pids[k] == 0)
        {
          fn (k);
          fail ("%s returned", name);
        }
      if (pids[k] < 0)
        fail ("fork \"%s\" failed", name);
    }
}

void
check_killed (const char *name, void (*fn) (const void *), const void *arg)
{
  pid_t pid = fork (name);
  if (pid < 0)
    fail ("fork \"%s\" failed", name);
  if (pid == 0)
    {
      fn (arg);
      msg ("%s: not killed", name);
      exit (0);
    }
  CHECK (wait (pid) == -1, "%s: killed", name);
}

void
put_file (const char *path, const char *text)
{
  int fd;
  int len = (int) strlen (text);
  if (!create (path, 0) || (fd = open (path)) < 2)
    fail ("cannot create %s", path);
  if (write (fd, text, len) != len)
    fail ("cannot write %s", path);
  close (fd);
}

void
await_file (const char *name)
{
  long tries;

  for (tries = 0; tries < 20000000; tries++)
    {
      int fd = open (name);
      if (fd >= 0)
        {
          close (fd);
          return;
        }
    }
  fail ("file %s never appeared", name);
}
