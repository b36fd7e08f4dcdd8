/* A process's file descriptors.
 *
 * A descriptor names an open-file description (struct ofile): the
 * console input, the console output, or an open file with its position.
 * dup2 makes two descriptors share one description (and so one
 * position); fork gives the child its own copy of each description, with
 * the same position, keeping the sharing among the child's descriptors.
 * Only the owning process touches its table: no lock. */
#ifndef PROC_FD_H
#define PROC_FD_H

#include <stdbool.h>

struct file;

enum ofile_kind { OF_STDIN, OF_STDOUT, OF_FILE };

struct ofile {
    enum ofile_kind kind;
    struct file *file;     /* OF_FILE only */
    int refs;              /* descriptors naming it */
};

#define FD_MAX 512

struct fdtable {
    struct ofile **slots;
    int cap;
};

bool fd_init(struct fdtable *t);                 /* 0 = stdin, 1 = stdout */
struct ofile *fd_get(struct fdtable *t, int fd);
int fd_install_file(struct fdtable *t, struct file *f);   /* -1: table full */
bool fd_close(struct fdtable *t, int fd);
int fd_dup2(struct fdtable *t, int oldfd, int newfd);
bool fd_fork(struct fdtable *dst, struct fdtable *src);   /* false: no memory */
void fd_close_all(struct fdtable *t);

#endif
