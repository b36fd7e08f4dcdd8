/* User address spaces, eagerly allocated (see uvm.h). */
#include "mm/uvm.h"
#include "kernel/string.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/palloc.h"

bool uvm_create(struct uvm *vm)
{
    vm->pml4 = pml4_create();
    return vm->pml4 != NULL;
}

static bool free_frame(uint64_t va, uint64_t *pte, void *aux)
{
    (void)va, (void)aux;
    palloc_free_page(ptov(*pte & PTE_ADDR));
    *pte = 0;
    return true;
}

void uvm_destroy(struct uvm *vm)
{
    if (!vm->pml4)
        return;
    pt_for_each_user(vm->pml4, free_frame, NULL);
    pml4_destroy(vm->pml4);
    vm->pml4 = NULL;
}

void uvm_activate(struct uvm *vm)
{
    pml4_activate(vm ? vm->pml4 : NULL);
}

void *uvm_alloc_page(struct uvm *vm, uint64_t va, bool writable)
{
    uint64_t *pte = pt_walk(vm->pml4, va, true);
    if (!pte)
        return NULL;
    if (*pte & PTE_P) {
        if (writable)
            *pte |= PTE_W;
        return ptov(*pte & PTE_ADDR);
    }
    void *frame = palloc_get_page(PAL_USER | PAL_ZERO);
    if (!frame)
        return NULL;
    *pte = vtop(frame) | PTE_P | PTE_U | (writable ? PTE_W : 0);
    pt_invalidate(vm->pml4, va);
    return frame;
}

static bool copy_frame(uint64_t va, uint64_t *pte, void *aux)
{
    struct uvm *dst = aux;
    void *frame = uvm_alloc_page(dst, va, *pte & PTE_W);
    if (!frame)
        return false;
    memcpy(frame, ptov(*pte & PTE_ADDR), PGSIZE);
    return true;
}

bool uvm_copy(struct uvm *dst, struct uvm *src)
{
    return pt_for_each_user(src->pml4, copy_frame, dst);
}

void *uvm_translate(struct uvm *vm, uint64_t va, bool write)
{
    if (va >= USER_TOP || !vm->pml4)
        return NULL;
    uint64_t *pte = pt_walk(vm->pml4, va, false);
    if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U) || (write && !(*pte & PTE_W)))
        return NULL;
    return (char *)ptov(*pte & PTE_ADDR) + pg_ofs(va);
}
