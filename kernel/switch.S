/* switch_threads(uint64_t *save_rsp, uint64_t next_rsp): save the
 * callee-saved registers of the current thread on its stack, store its
 * rsp in *save_rsp, load next_rsp and restore the next thread's
 * registers.  Returns, in the next thread, the thread it switched from
 * (in rax), as passed in rdx by the caller. */
    .text
    .globl switch_threads
switch_threads:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, (%rdi)
    mov %rsi, %rsp
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
