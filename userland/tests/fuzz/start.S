/* fuzz: its own entry point, so that the fuzzer depends on nothing in
 * the user library it also tests.  The kernel enters with rdi = argc,
 * rsi = argv; fuzz_main's result is the exit status. */
        .section .text.entry, "ax", @progbits
        .globl _start
        .type _start, @function
_start:
        xorl %ebp, %ebp
        andq $-16, %rsp
        call fuzz_main
        movl %eax, %edi
        movl $1, %eax                   /* SYS_EXIT */
        syscall
        ud2
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
