/* Interrupt entry stubs.  Stub N is 16 bytes long at intr_stubs + 16*N:
 * it pushes a zero error code when the CPU pushes none, then the vector
 * number, and jumps to intr_common, which saves the general registers
 * into a struct intr_frame (kernel/interrupt.h) and calls
 * intr_dispatch(frame).  intr_exit restores the frame and returns with
 * iretq; new user processes and system calls also leave the kernel
 * through it, so it is the one way back to user mode, and the one place
 * that enforces what user mode gets back (kernel/flags.h). */
#include "kernel/flags.h"
#include "kernel/gdt.h"
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
    testb $3, FRAME_CS(%rsp)         /* from user mode: the program's AC */
    jz 1f                            /* would turn SMAP off in ring 0 */
    pushfq
    andq $~FLAG_AC, (%rsp)
    popfq
1:  mov %rsp, %rdi
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
    testb $3, FRAME_CS - FRAME_RIP(%rsp)
    jz 1f
    /* To user mode: the user selectors, interrupts on, IOPL 0. */
    movq $SEL_UCODE, FRAME_CS - FRAME_RIP(%rsp)
    movq $SEL_UDATA, FRAME_SS - FRAME_RIP(%rsp)
    andq $~FLAGS_USER_FORBIDDEN, FRAME_RFLAGS - FRAME_RIP(%rsp)
    orq $FLAG_IF, FRAME_RFLAGS - FRAME_RIP(%rsp)
1:  iretq
