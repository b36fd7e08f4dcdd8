/* Interrupt entry stubs.  Stub N is 16 bytes long at intr_stubs + 16*N:
 * it pushes a zero error code when the CPU pushes none, then the vector
 * number, and jumps to intr_common, which saves the general registers
 * into a struct intr_frame (kernel/interrupt.h) and calls
 * intr_dispatch(frame).  intr_exit restores the frame and returns with
 * iretq; new user processes also leave the kernel through it. */
#include "kernel/intr_frame.inc"


    .text
    .align 16
    .globl intr_stubs
intr_stubs:
    .set vec, 0
    .rept 256
    .align 16
    .if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq $0
    .endif
    pushq $vec
    jmp intr_common
    .set vec, vec + 1
    .endr

intr_common:
    PUSH_GPRS
    cld
    mov %rsp, %rdi
    call intr_dispatch
    .globl intr_exit
intr_exit:
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rsi
    pop %rdi
    pop %rbp
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp
    iretq
