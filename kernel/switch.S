/* switch_threads(uint64_t *save_rsp, uint64_t next_rsp): save the
 * callee-saved registers and the data-segment selectors of the current
 * thread on its stack, store its rsp in *save_rsp, load next_rsp and
 * restore the next thread's.  Returns, in the next thread, the thread it
 * switched from (in rax), as passed in rdx by the caller.
 *
 * The selectors are a process's state: the kernel never loads %ds, %es,
 * %fs or %gs on entry from user mode (64-bit code ignores them), so they
 * hold the program's values until a switch, and without this a program
 * would see the selectors of the one that ran before it.
 *
 * The layout of what is pushed here is also read by thread_create (a new
 * thread's first switch) and by the gdb helpers (harness/gdb/folio.py,
 * SWITCH_SAVED_RBP and SWITCH_RETURN). */
    .text
    .globl switch_threads
switch_threads:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %gs, %eax
    push %rax
    mov %fs, %eax
    push %rax
    mov %es, %eax
    push %rax
    mov %ds, %eax
    push %rax
    mov %rsp, (%rdi)
    mov %rsi, %rsp
    pop %rax
    mov %eax, %ds
    pop %rax
    mov %eax, %es
    pop %rax
    mov %eax, %fs
    pop %rax
    mov %eax, %gs
    mov %rdx, %rax
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

/* First code a new thread runs: switch_threads "returns" here with the
 * previous thread in rax; r12 = function, r13 = argument. */
    .globl thread_trampoline
thread_trampoline:
    mov %rax, %rdi
    call thread_schedule_tail
    sti
    mov %r13, %rdi
    call *%r12
    call thread_exit
