/* Entry from the `syscall` instruction.  The CPU leaves the user rip in
 * rcx and rflags in r11 and clears every flag (IA32_FMASK); rsp is still the
 * user's.  We switch to the thread's kernel stack and build a struct
 * intr_frame exactly like an interrupt's, so the C side sees one frame
 * layout, fork can copy it, and the return goes through intr_exit
 * (iretq), which restores every register but rax (the result). */
#include "kernel/gdt.h"
#include "kernel/intr_frame.inc"

    .text
    .globl syscall_entry
syscall_entry:
    mov %rsp, syscall_user_rsp(%rip)
    mov syscall_kernel_rsp(%rip), %rsp
    push $SEL_UDATA                  /* ss */
    push syscall_user_rsp(%rip)      /* rsp */
    push %r11                        /* rflags */
    push $SEL_UCODE                  /* cs */
    push %rcx                        /* rip */
    push $0                          /* error code */
    push $0x100                      /* "vector": marks a system call */
    PUSH_GPRS
    cld
    xor %ebp, %ebp                   /* backtraces stop at the user boundary */
    mov %rsp, %rdi
    sti
    call syscall_dispatch
    cli
    jmp intr_exit

/* process_enter_user(frame): leave for user mode through FRAME, which
 * may live anywhere on the current kernel stack. */
    .globl process_enter_user
process_enter_user:
    cli
    mov %rdi, %rsp
    jmp intr_exit

    .bss
    .align 8
    .globl syscall_kernel_rsp
syscall_kernel_rsp: .quad 0
syscall_user_rsp:   .quad 0
