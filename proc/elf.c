/* The ELF64 loader (see elf.h).  Field layouts are from the System V ABI
 * and its AMD64 supplement. */
#include "proc/elf.h"
#include "fs/file.h"
#include "kernel/string.h"
#include "kernel/kmalloc.h"
#include "kernel/layout.h"
#include "mm/vm.h"

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

enum { PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP };
#define PF_X 1
#define PF_W 2
#define ET_EXEC 2
#define EM_X86_64 62
#define MAX_PHNUM 64

/* Why header H of a file of LENGTH bytes is not a loadable executable, or
 * NULL.  No lock: a pure check. */
static const char *check_header(const struct elf64_ehdr *h, off_t length)
{
    if (memcmp(h->ident, "\177ELF", 4) != 0)
        return "bad magic";
    if (h->ident[4] != 2 || h->ident[5] != 1 || h->ident[6] != 1)
        return "not a little-endian ELF64 file";
    if (h->type != ET_EXEC)
        return "not a static executable";
    if (h->machine != EM_X86_64 || h->version != 1)
        return "not for x86-64";
    if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > MAX_PHNUM)
        return "bad program header table";
    if (h->phoff > (uint64_t)length
        || (uint64_t)length - h->phoff < (uint64_t)h->phnum * sizeof(struct elf64_phdr))
        return "program header table past the end of the file";
    if (h->entry >= USER_TOP)
        return "entry point outside user space";
    return NULL;
}

/* Why program header P of a file of LENGTH bytes is not loadable (outside
 * user space, over the stack, past the file's end, dynamic), or NULL.  No
 * lock. */
static const char *check_segment(const struct elf64_phdr *p, off_t length)
{
    if (p->type == PT_DYNAMIC || p->type == PT_INTERP)
        return "dynamically linked";
    if (p->type != PT_LOAD)
        return NULL;
    if (p->filesz > p->memsz)
        return "segment file size exceeds its memory size";
    if (p->offset > (uint64_t)length || (uint64_t)length - p->offset < p->filesz)
        return "segment past the end of the file";
    if (pg_ofs(p->offset) != pg_ofs(p->vaddr))
        return "segment offset and address disagree modulo the page size";
    if (p->vaddr < PGSIZE || p->vaddr + p->memsz < p->vaddr || p->vaddr + p->memsz > USER_TOP)
        return "segment outside user space";
    if (p->vaddr + p->memsz > USER_STACK_LIMIT && p->vaddr < USER_STACK)
        return "segment overlaps the stack";
    return NULL;
}

static bool overlap(const struct elf64_phdr *a, const struct elf64_phdr *b)
{
    return a->memsz && b->memsz
        && a->vaddr < b->vaddr + b->memsz && b->vaddr < a->vaddr + a->memsz;
}

/* Record how to load segment P of F into VM: one zero-filled region for
 * its whole range (vm_add_zero_region: its pages are made on first
 * touch, so a huge memsz costs nothing now), and a record for each page
 * holding file bytes, with the bytes it holds.  Its first and last pages
 * get records of their own whatever they hold, since another segment may
 * share them: a shared page is writable if a PF_W segment has bytes in
 * it, executable if a PF_X segment has (docs/vm.md, "No-execute").
 * Nothing is read now.  Why it failed, or NULL.  Takes the VM lock
 * (through vm_add_*), never holding it on return. */
static const char *load_segment(struct file *f, struct vm *vm, const struct elf64_phdr *p)
{
    uint64_t file_end = p->vaddr + p->filesz;
    uint64_t start = pg_round_down(p->vaddr), end = pg_round_up(p->vaddr + p->memsz);
    bool writable = p->flags & PF_W, executable = p->flags & PF_X;
    if (!vm_add_zero_region(vm, start, end, writable, executable))
        return "out of memory";
    for (uint64_t page = start; page < file_end; page += PGSIZE) {
        uint64_t from = page < p->vaddr ? p->vaddr : page;
        uint64_t to = page + PGSIZE < file_end ? page + PGSIZE : file_end;
        if (!vm_add_exec_piece(vm, page, writable, executable, f,
                               p->offset + (from - p->vaddr), pg_ofs(from), to - from))
            return "out of memory, or too many segments share a page";
    }
    /* The edge pages without file bytes (those with some have records). */
    bool ok = true;
    if (p->filesz == 0)
        ok = vm_add_zero_page(vm, start, writable, executable);
    if (ok && (p->filesz == 0 || file_end <= end - PGSIZE))
        ok = vm_add_zero_page(vm, end - PGSIZE, writable, executable);
    return ok ? NULL : "out of memory";
}

/* See elf.h.  Reads F (taking the file-system lock) and adds pages to VM
 * (taking the VM lock, and the file-system lock inside it when a page's
 * first piece reopens F: vm_add_exec_piece, in the lock order of
 * mm/vm.h).  On failure VM holds the pages added so far, which vm_destroy
 * frees. */
const char *elf_load(struct file *f, struct vm *vm, uint64_t *entry)
{
    struct elf64_ehdr h;
    off_t length = file_length(f);
    if (file_read_at(f, &h, sizeof h, 0) != sizeof h)
        return "too short for an ELF header";
    const char *err = check_header(&h, length);
    if (err)
        return err;

    size_t size = h.phnum * sizeof(struct elf64_phdr);
    struct elf64_phdr *ph = kmalloc(size);
    if (!ph)
        return "out of memory";
    if (file_read_at(f, ph, size, h.phoff) != (off_t)size)
        err = "short read of program headers";
    for (int i = 0; !err && i < h.phnum; i++) {
        err = check_segment(&ph[i], length);
        for (int j = 0; !err && j < i; j++)
            if (ph[i].type == PT_LOAD && ph[j].type == PT_LOAD && overlap(&ph[i], &ph[j]))
                err = "segments overlap";
    }
    for (int i = 0; !err && i < h.phnum; i++)
        if (ph[i].type == PT_LOAD && ph[i].memsz)
            err = load_segment(f, vm, &ph[i]);
    kfree(ph);
    if (!err)
        *entry = h.entry;
    return err;
}
