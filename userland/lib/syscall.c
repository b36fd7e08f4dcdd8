/* Folio user library: system-call stubs.  One inline-assembly helper does
   the `syscall`; each stub only casts its arguments and result. */
#include "syscall.h"

static inline long
do_syscall (long number, long a1, long a2, long a3, long a4, long a5,
            long a6)
{
  register long r10 __asm__ ("r10") = a4;
  register long r8 __asm__ ("r8") = a5;
  register long r9 __asm__ ("r9") = a6;
  long result;

  __asm__ volatile ("syscall"
                    : "=a" (result)
                    : "a" (number), "D" (a1), "S" (a2), "d" (a3),
                      "r" (r10), "r" (r8), "r" (r9)
                    : "rcx", "r11", "memory", "cc");
  return result;
}

#define SC0(n) do_syscall ((n), 0, 0, 0, 0, 0, 0)
#define SC1(n, a) do_syscall ((n), (long) (a), 0, 0, 0, 0, 0)
#define SC2(n, a, b) do_syscall ((n), (long) (a), (long) (b), 0, 0, 0, 0)
#define SC3(n, a, b, c) \
  do_syscall ((n), (long) (a), (long) (b), (long) (c), 0, 0, 0)

long
syscall_raw (long number, long a1, long a2, long a3, long a4, long a5,
             long a6)
{
  return do_syscall (number, a1, a2, a3, a4, a5, a6);
}

void
halt (void)
{
  SC0 (SYS_HALT);
  for (;;)
    continue;
}

void
exit (int status)
{
  SC1 (SYS_EXIT, status);
  for (;;)
    continue;
}

pid_t fork (const char *name) { return (pid_t) SC1 (SYS_FORK, name); }
int exec (const char *cmdline) { return (int) SC1 (SYS_EXEC, cmdline); }
int wait (pid_t pid) { return (int) SC1 (SYS_WAIT, pid); }

bool
create (const char *file, unsigned initial_size)
{
  return SC2 (SYS_CREATE, file, initial_size) != 0;
}

bool remove (const char *file) { return SC1 (SYS_REMOVE, file) != 0; }
int open (const char *file) { return (int) SC1 (SYS_OPEN, file); }
int filesize (int fd) { return (int) SC1 (SYS_FILESIZE, fd); }

int
read (int fd, void *buffer, unsigned size)
{
  return (int) SC3 (SYS_READ, fd, buffer, size);
}

int
write (int fd, const void *buffer, unsigned size)
{
  return (int) SC3 (SYS_WRITE, fd, buffer, size);
}

void seek (int fd, unsigned position) { SC2 (SYS_SEEK, fd, position); }
unsigned tell (int fd) { return (unsigned) SC1 (SYS_TELL, fd); }
void close (int fd) { SC1 (SYS_CLOSE, fd); }

void *
mmap (void *addr, size_t length, int writable, int fd, off_t offset)
{
  return (void *) do_syscall (SYS_MMAP, (long) addr, (long) length,
                              writable, fd, offset, 0);
}

void munmap (void *addr) { SC1 (SYS_MUNMAP, addr); }
bool chdir (const char *dir) { return SC1 (SYS_CHDIR, dir) != 0; }
bool mkdir (const char *dir) { return SC1 (SYS_MKDIR, dir) != 0; }
bool readdir (int fd, char name[READDIR_MAX_LEN + 1]) { return SC2 (SYS_READDIR, fd, name) != 0; }
bool isdir (int fd) { return SC1 (SYS_ISDIR, fd) != 0; }
int inumber (int fd) { return (int) SC1 (SYS_INUMBER, fd); }

int
symlink (const char *target, const char *linkpath)
{
  return (int) SC2 (SYS_SYMLINK, target, linkpath);
}

int dup2 (int oldfd, int newfd) { return (int) SC2 (SYS_DUP2, oldfd, newfd); }

uintptr_t
frame_of (const void *addr)
{
  uintptr_t result;
  __asm__ volatile ("int $0x42" : "=a" (result) : "a" (addr) : "memory");
  return result;
}

/* Pintos's programs pass the disk's channel in rdx and its device number
   in rcx (0 and 1, its file-system disk); Folio's counters are those of
   the file-system disk whatever these hold. */
static long long
disk_counter (int vector_43)
{
  long long result;
  if (vector_43)
    __asm__ volatile ("int $0x43" : "=a" (result) : "d" (0L), "c" (1L) : "memory");
  else
    __asm__ volatile ("int $0x44" : "=a" (result) : "d" (0L), "c" (1L) : "memory");
  return result;
}

long long get_fs_disk_read_cnt (void) { return disk_counter (1); }
long long get_fs_disk_write_cnt (void) { return disk_counter (0); }
