/* Folio user library: the program entry point.
 *
 * The kernel jumps here with rdi = argc, rsi = argv and rsp pointing at a
 * fake return address (0), so rsp % 16 == 8 as just after a call.  We keep
 * the entry rsp for tests (args-stack), realign the stack anyway and call
 * __folio_start (argc, argv), which never returns. */
        .section .text.entry, "ax", @progbits
        .globl _start
        .type _start, @function
_start:
        movq %rsp, __entry_rsp(%rip)
        xorl %ebp, %ebp
        andq $-16, %rsp
        call __folio_start
        ud2
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
