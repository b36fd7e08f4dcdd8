/* System calls (docs/abi.md).  Each handler takes the caller's frame
 * (arguments in rdi, rsi, rdx, r10, r8, r9) and returns the value for
 * rax.  A bad pointer, buffer or string, or an unknown call number, kills
 * the caller with -1 through kill_caller(); handlers validate before
 * taking any lock, so a kill never leaves one held. */
#include "proc/syscall.h"
#include "fs/file.h"
#include "fs/filesys.h"
#include "fs/foliofs.h"
#include "fs/inode.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/flags.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/timer.h"
#include "kernel/kmalloc.h"
#include "mm/vm.h"
#include "proc/fd.h"
#include "proc/process.h"
#include "proc/uaccess.h"


enum {
    SYS_HALT, SYS_EXIT, SYS_FORK, SYS_EXEC, SYS_WAIT, SYS_CREATE, SYS_REMOVE,
    SYS_OPEN, SYS_FILESIZE, SYS_READ, SYS_WRITE, SYS_SEEK, SYS_TELL, SYS_CLOSE,
    SYS_MMAP, SYS_MUNMAP, SYS_CHDIR, SYS_MKDIR, SYS_READDIR, SYS_ISDIR,
    SYS_INUMBER, SYS_SYMLINK, SYS_DUP2, SYS_COUNT
};

/* Boot: `syscall` enters at syscall_entry on the kernel code segment with
 * every flag of FLAGS_SYSCALL_MASK cleared.  Once, before any process. */
void syscall_init(void)
{
    cpu_wrmsr(MSR_STAR, (0x10UL << 48) | (0x08UL << 32));
    cpu_wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    cpu_wrmsr(MSR_FMASK, FLAGS_SYSCALL_MASK);   /* the kernel starts from RFLAGS 0x2 */
}

void syscall_set_kernel_stack(uint64_t top)
{
    syscall_kernel_rsp = top;
}

/* End the calling process with -1 for breaking RULE (a bad pointer, an
 * unknown call number), after a line on the kernel log.  No lock held. */
static void __attribute__((noreturn)) kill_caller(const char *rule)
{
    struct process *p = process_current();
    printk("syscall: %s (pid %d): %s: killed\n", p->name, p->pid, rule);
    process_exit(-1);
}

/* Copy the user string at UADDR into BUF (SIZE bytes); kills on a bad
 * pointer, and ends the caller when a page of the string was lost (which
 * uaccess logged); returns false when the string is longer than BUF
 * holds. */
static bool get_string(char *buf, size_t size, uint64_t uaddr)
{
    long n = copy_string_from_user(buf, uaddr, size);
    if (n == -1)
        kill_caller("bad string pointer");
    if (n == USER_PAGE_LOST)
        process_exit(-1);
    return n >= 0;
}

static struct ofile *get_ofile(int fd)
{
    return fd_get(&process_current()->fds, fd);
}

static uint64_t sys_halt(struct intr_frame *f)
{
    (void)f;
    process_halt();
}

static uint64_t sys_exit(struct intr_frame *f)
{
    process_exit((int)f->rdi);
}

/* fork(name): the child's pid in the parent, 0 in the child, -1 when it
 * cannot be made.  A bad name pointer kills; a long name is cut.  Like
 * every handler: the caller's thread, interrupts on, no lock held. */
static uint64_t sys_fork(struct intr_frame *f)
{
    char name[PROC_NAME_MAX];
    if (!get_string(name, sizeof name, f->rdi))
        name[sizeof name - 1] = '\0';   /* a long name is cut, like a thread's */
    return (uint64_t)(int64_t)process_fork(name, f);
}

/* exec(cmdline): never returns; a bad pointer kills, a command line that
 * is too long or a program that cannot be loaded ends the caller with -1. */
static uint64_t sys_exec(struct intr_frame *f)
{
    char *buf = kmalloc(CMDLINE_MAX);
    if (!buf)
        process_exit(-1);
    long n = copy_string_from_user(buf, f->rdi, CMDLINE_MAX);
    if (n < 0) {
        kfree(buf);
        if (n == -1)
            kill_caller("bad exec string");
        process_exit(-1);               /* too long to be loaded */
    }
    process_exec(buf);
}

static uint64_t sys_wait(struct intr_frame *f)
{
    return (uint64_t)(int64_t)process_wait((pid_t)f->rdi);
}

/* Check the user string at UADDR as copy_string_from_user would copy it
 * into MAX bytes, without the buffer (when none could be had): its
 * length, -1 for a bad pointer, -2 when longer, or USER_PAGE_LOST.  So a
 * bad pointer kills whether or not memory is short. */
static long check_string(uint64_t uaddr, size_t max)
{
    char piece[64];
    for (size_t off = 0; off < max; off += sizeof piece) {
        long n = copy_string_from_user(piece, uaddr + off, sizeof piece);
        if (n != -2)
            return n >= 0 ? (long)off + n : n;
    }
    return -2;
}

/* Copy the user path at UADDR into a new kmalloc'd buffer (the caller
 * frees it).  A bad pointer, or a string that runs into an invalid page
 * before its NUL, kills, after freeing DROP (a path copied before, or
 * NULL), even when memory is short; NULL (the call fails) for a path of
 * FS_PATH_MAX bytes or more, which names nothing, or when memory is
 * short.  A path that fits SHORT_PATH bytes goes through the stack into a
 * block of its own size; only a longer one takes a block of FS_PATH_MAX
 * bytes, a run of pages from the page allocator. */
#define SHORT_PATH 128
static char *get_path(uint64_t uaddr, char *drop)
{
    char small[SHORT_PATH];
    char *buf = NULL;
    long n = copy_string_from_user(small, uaddr, sizeof small);
    if (n >= 0) {
        buf = kmalloc((size_t)n + 1);
        if (buf)
            memcpy(buf, small, (size_t)n + 1);
        return buf;
    }
    if (n == -2) {
        buf = kmalloc(FS_PATH_MAX);
        n = buf ? copy_string_from_user(buf, uaddr, FS_PATH_MAX)
                : check_string(uaddr, FS_PATH_MAX);
        if (buf && n >= 0)
            return buf;
        kfree(buf);
    }
    if (n == -1 || n == USER_PAGE_LOST)
        kfree(drop);
    if (n == -1)
        kill_caller("bad string pointer");
    if (n == USER_PAGE_LOST)
        process_exit(-1);
    return NULL;
}

/* create(path, size): false when the path cannot be created; a bad
 * pointer kills. */
static uint64_t sys_create(struct intr_frame *f)
{
    struct process *p = process_current();
    char *path = get_path(f->rdi, NULL);
    bool ok = path && filesys_create_at(p->cwd, path, (off_t)(unsigned)f->rsi);
    kfree(path);
    return ok;
}

/* remove(path): false when there is nothing to remove there, or a
 * directory that is not empty; a bad pointer kills. */
static uint64_t sys_remove(struct intr_frame *f)
{
    struct process *p = process_current();
    char *path = get_path(f->rdi, NULL);
    bool ok = path && filesys_remove_at(p->cwd, path);
    kfree(path);
    return ok;
}

/* open(path): a new descriptor on the file or directory, or -1; a bad
 * pointer kills. */
static uint64_t sys_open(struct intr_frame *f)
{
    struct process *p = process_current();
    char *path = get_path(f->rdi, NULL);
    struct file *file = path ? filesys_open_at(p->cwd, path) : NULL;
    kfree(path);
    if (!file)
        return (uint64_t)-1;
    int fd = fd_install_file(&p->fds, file);
    if (fd < 0)
        file_close(file);
    return (uint64_t)(int64_t)fd;
}

/* The file open on descriptor FD when it is a file (DIR false) or a
 * directory (DIR true), else NULL. */
static struct file *get_file(int fd, bool dir)
{
    struct ofile *o = fd_get(&process_current()->fds, fd);
    if (!o || o->kind != OF_FILE || inode_is_dir(file_get_inode(o->file)) != dir)
        return NULL;
    return o->file;
}

/* chdir(path): the working directory becomes PATH; false when PATH is not
 * a directory.  A bad pointer kills. */
static uint64_t sys_chdir(struct intr_frame *f)
{
    struct process *p = process_current();
    char *path = get_path(f->rdi, NULL);
    struct inode *dir = path ? filesys_opendir_at(p->cwd, path) : NULL;
    kfree(path);
    if (!dir)
        return false;
    inode_close(p->cwd);
    p->cwd = dir;
    return true;
}

/* mkdir(path): false when PATH cannot be created; a bad pointer kills. */
static uint64_t sys_mkdir(struct intr_frame *f)
{
    struct process *p = process_current();
    char *path = get_path(f->rdi, NULL);
    bool ok = path && filesys_mkdir_at(p->cwd, path);
    kfree(path);
    return ok;
}

/* user_for_each_piece's FN that copies out of the buffer at *AUX. */
static long copy_out_piece(void *kaddr, size_t n, void *aux)
{
    const char **src = aux;
    memcpy(kaddr, *src, n);
    *src += n;
    return n;
}

/* readdir(fd, name): the next entry's name into NAME (15 bytes, which must
 * be writable: a bad buffer kills), true; false at the end or for a
 * descriptor that is not a directory. */
static uint64_t sys_readdir(struct intr_frame *f)
{
    char name[FS_NAME_MAX + 1] = { 0 };
    const char *src = name;
    if (!user_buffer_ok(f->rsi, sizeof name, true))
        kill_caller("bad readdir buffer");
    struct file *dir = get_file((int)f->rdi, true);
    if (!dir || !filesys_readdir(dir, name))
        return false;
    if (user_for_each_piece(f->rsi, sizeof name, true, copy_out_piece, &src) < 0)
        process_exit(-1);
    return true;
}

/* isdir(fd): whether FD is open on a directory. */
static uint64_t sys_isdir(struct intr_frame *f)
{
    return get_file((int)f->rdi, true) != NULL;
}

/* inumber(fd): the inode number of FD's file or directory, -1 when FD is
 * not open on one. */
static uint64_t sys_inumber(struct intr_frame *f)
{
    struct ofile *o = get_ofile((int)f->rdi);
    if (!o || o->kind != OF_FILE)
        return (uint64_t)-1;
    return inode_get_inumber(file_get_inode(o->file));
}

/* symlink(target, linkpath): 0, or -1 when LINKPATH cannot be created or
 * TARGET is empty or too long; a bad pointer in either kills. */
static uint64_t sys_symlink(struct intr_frame *f)
{
    struct process *p = process_current();
    char *target = get_path(f->rdi, NULL);
    char *path = get_path(f->rsi, target);
    bool ok = target && path && filesys_symlink_at(p->cwd, target, path);
    kfree(target);
    kfree(path);
    return ok ? 0 : (uint64_t)-1;
}

static uint64_t sys_filesize(struct intr_frame *f)
{
    struct file *file = get_file((int)f->rdi, false);
    return file ? (uint64_t)file_length(file) : (uint64_t)-1;
}

static long read_piece(void *kaddr, size_t n, void *aux)
{
    return file_read(aux, kaddr, n);
}

static long write_piece(void *kaddr, size_t n, void *aux)
{
    return file_write(aux, kaddr, n);
}

/* user_for_each_piece's FN for a write to the console: the console lock is
 * held by sys_write across all pieces. */
static long console_piece(void *kaddr, size_t n, void *aux)
{
    (void)aux;
    console_write_locked(kaddr, n);
    return n;
}

/* Console input, waited for a tick at a time.  A process told to end
 * (halt ends every process) stops waiting and keeps what has come. */
static long stdin_piece(void *kaddr, size_t n, void *aux)
{
    (void)aux;
    char *buf = kaddr;
    for (size_t i = 0; i < n; i++) {
        int c;
        while ((c = console_getc_nowait()) < 0) {
            if (process_told_to_end())
                return i;
            timer_sleep(1);
        }
        buf[i] = (char)c;
    }
    return n;
}

/* read(fd, buf, size): the bytes read, or -1 for a descriptor that cannot
 * be read.  A buffer the caller may not write kills before any byte moves. */
static uint64_t sys_read(struct intr_frame *f)
{
    uint64_t buf = f->rsi;
    size_t size = (unsigned)f->rdx;
    if (!user_buffer_ok(buf, size, true))
        kill_caller("bad read buffer");
    struct ofile *o = get_ofile((int)f->rdi);
    if (!o || o->kind == OF_STDOUT
        || (o->kind == OF_FILE && inode_is_dir(file_get_inode(o->file))))
        return (uint64_t)-1;
    return user_for_each_piece(buf, size, true,
                               o->kind == OF_STDIN ? stdin_piece : read_piece, o->file);
}

/* write(fd, buf, size): the bytes written, or -1 for a descriptor that
 * cannot be written.  A buffer the caller may not read kills before any
 * byte moves.  A write to the console holds the console lock for the whole
 * buffer, so it stays one run; the VM lock is taken under it, page by page
 * (console, then VM). */
static uint64_t sys_write(struct intr_frame *f)
{
    uint64_t buf = f->rsi;
    size_t size = (unsigned)f->rdx;
    if (!user_buffer_ok(buf, size, false))
        kill_caller("bad write buffer");
    struct ofile *o = get_ofile((int)f->rdi);
    if (!o || o->kind == OF_STDIN
        || (o->kind == OF_FILE && inode_is_dir(file_get_inode(o->file))))
        return (uint64_t)-1;
    if (o->kind == OF_FILE)
        return user_for_each_piece(buf, size, false, write_piece, o->file);
    console_acquire();                  /* one write, one contiguous run */
    long n = user_for_each_piece(buf, size, false, console_piece, NULL);
    console_release();
    return n;
}

/* seek(fd, position): nothing for a descriptor that is not a file. */
static uint64_t sys_seek(struct intr_frame *f)
{
    struct ofile *o = get_ofile((int)f->rdi);
    if (o && o->kind == OF_FILE)
        file_seek(o->file, (off_t)(unsigned)f->rsi);
    return 0;
}

static uint64_t sys_tell(struct intr_frame *f)
{
    struct ofile *o = get_ofile((int)f->rdi);
    return o && o->kind == OF_FILE ? (uint64_t)(unsigned)file_tell(o->file) : (uint64_t)-1;
}

static uint64_t sys_close(struct intr_frame *f)
{
    fd_close(&process_current()->fds, (int)f->rdi);
    return 0;
}

static uint64_t sys_dup2(struct intr_frame *f)
{
    return (uint64_t)(int64_t)fd_dup2(&process_current()->fds, (int)f->rdi, (int)f->rsi);
}

/* mmap(addr, length, writable, fd, offset): ADDR, or 0 when the mapping
 * cannot be made (docs/abi.md). */
static uint64_t sys_mmap(struct intr_frame *f)
{
    struct file *file = get_file((int)f->r10, false);
    if (!file)
        return 0;
    return vm_mmap(&process_current()->vm, f->rdi, f->rsi, f->rdx != 0, file,
                   (off_t)(int)f->r8);
}

static uint64_t sys_munmap(struct intr_frame *f)
{
    vm_munmap(&process_current()->vm, f->rdi);
    return 0;
}

typedef uint64_t syscall_fn(struct intr_frame *f);

static syscall_fn *const handlers[SYS_COUNT] = {
    [SYS_HALT] = sys_halt, [SYS_EXIT] = sys_exit, [SYS_FORK] = sys_fork,
    [SYS_EXEC] = sys_exec, [SYS_WAIT] = sys_wait, [SYS_CREATE] = sys_create,
    [SYS_REMOVE] = sys_remove, [SYS_OPEN] = sys_open, [SYS_FILESIZE] = sys_filesize,
    [SYS_READ] = sys_read, [SYS_WRITE] = sys_write, [SYS_SEEK] = sys_seek,
    [SYS_TELL] = sys_tell, [SYS_CLOSE] = sys_close, [SYS_MMAP] = sys_mmap,
    [SYS_MUNMAP] = sys_munmap, [SYS_CHDIR] = sys_chdir, [SYS_MKDIR] = sys_mkdir,
    [SYS_READDIR] = sys_readdir, [SYS_ISDIR] = sys_isdir, [SYS_INUMBER] = sys_inumber,
    [SYS_SYMLINK] = sys_symlink, [SYS_DUP2] = sys_dup2,
};

/* See syscall.h.  Starts the thread's kernel stint (the soft-lockup
 * check, kernel/hangcheck.c), records the user rsp (stack growth in
 * system calls uses it), runs the handler, and ends the caller if it was
 * told to meanwhile (killed, or halt).  An unknown call number kills.
 * Interrupts on, no lock held on entry; returns with interrupts off
 * (process_check_return), on the way to user mode. */
void syscall_dispatch(struct intr_frame *f)
{
    uint64_t n = f->rax;
    thread_entered_kernel();
    process_current()->user_rsp = f->rsp;
    if (n >= SYS_COUNT)
        kill_caller("unknown system call");
    f->rax = handlers[n](f);
    process_check_return();
}
