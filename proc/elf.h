/* The ELF64 loader: checks an executable thoroughly and maps its PT_LOAD
 * segments into an address space.  Segments that share a page (GNU ld's
 * default layouts) are merged into one frame; bytes of two segments that
 * overlap are rejected. */
#ifndef PROC_ELF_H
#define PROC_ELF_H

#include <stdint.h>

struct file;
struct vm;

/* Load F into VM; on success sets *ENTRY and returns NULL, otherwise
 * returns why the file is not a loadable executable. */
const char *elf_load(struct file *f, struct vm *vm, uint64_t *entry);

#endif
