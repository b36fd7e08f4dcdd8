/* Folio user library: the system calls (KAIST x86-64 Pintos ABI).
 *
 * Every call goes through one inline-assembly helper (syscall.c): number
 * in rax, arguments in rdi, rsi, rdx, r10, r8, r9, result in rax; the
 * `syscall` instruction clobbers only rcx and r11. */
#ifndef FOLIO_USER_SYSCALL_H
#define FOLIO_USER_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int pid_t;
typedef int off_t;

#define PID_ERROR ((pid_t) -1)
#define MAP_FAILED ((void *) 0)

/* System call numbers. */
enum {
  SYS_HALT = 0, SYS_EXIT = 1, SYS_FORK = 2, SYS_EXEC = 3, SYS_WAIT = 4,
  SYS_CREATE = 5, SYS_REMOVE = 6, SYS_OPEN = 7, SYS_FILESIZE = 8,
  SYS_READ = 9, SYS_WRITE = 10, SYS_SEEK = 11, SYS_TELL = 12,
  SYS_CLOSE = 13, SYS_MMAP = 14, SYS_MUNMAP = 15, SYS_CHDIR = 16,
  SYS_MKDIR = 17, SYS_READDIR = 18, SYS_ISDIR = 19, SYS_INUMBER = 20,
  SYS_SYMLINK = 21, SYS_DUP2 = 22,
};

#define READDIR_MAX_LEN 14   /* longest name readdir returns, without the NUL */

#define STDIN_FILENO 0
#define STDOUT_FILENO 1

/* The raw call: any number, any six arguments, the unmodified rax. */
long syscall_raw (long number, long a1, long a2, long a3, long a4, long a5,
                  long a6);

void halt (void) __attribute__ ((noreturn));
void exit (int status) __attribute__ ((noreturn));
pid_t fork (const char *name);
int exec (const char *cmdline);
int wait (pid_t pid);
bool create (const char *file, unsigned initial_size);
bool remove (const char *file);
int open (const char *file);
int filesize (int fd);
int read (int fd, void *buffer, unsigned size);
int write (int fd, const void *buffer, unsigned size);
void seek (int fd, unsigned position);
unsigned tell (int fd);
void close (int fd);
void *mmap (void *addr, size_t length, int writable, int fd, off_t offset);
void munmap (void *addr);
bool chdir (const char *dir);
bool mkdir (const char *dir);
bool readdir (int fd, char name[READDIR_MAX_LEN + 1]);
bool isdir (int fd);
int inumber (int fd);
int symlink (const char *target, const char *linkpath);
int dup2 (int oldfd, int newfd);

/* `int $0x42`: the page-aligned physical address of the frame backing
   user address ADDR, or 0 when no frame backs it. */
uintptr_t frame_of (const void *addr);

/* `int $0x43` / `int $0x44`: sectors read from / written to the
   file-system disk since boot (docs/abi.md). */
long long get_fs_disk_read_cnt (void);
long long get_fs_disk_write_cnt (void);

#endif /* FOLIO_USER_SYSCALL_H */
