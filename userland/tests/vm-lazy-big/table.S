/* vm-lazy-big: two 2 MiB tables built into the program file.  Page K of
 * big_ro (read-only) starts with the quad 0x524f000000000000 + K and is
 * then filled with byte (K * 7 + 1) & 0xff; page K of big_rw (writable)
 * starts with 0x5257000000000000 + K, then byte (K * 11 + 3) & 0xff. */
        .section .rodata.vm_big, "a", @progbits
        .p2align 12
        .globl big_ro
big_ro:
        .set page, 0
        .rept 512
        .quad 0x524f000000000000 + page
        .fill 4088, 1, (page * 7 + 1) & 0xff
        .set page, page + 1
        .endr

        .section .data.vm_big, "aw", @progbits
        .p2align 12
        .globl big_rw
big_rw:
        .set page, 0
        .rept 512
        .quad 0x5257000000000000 + page
        .fill 4088, 1, (page * 11 + 3) & 0xff
        .set page, page + 1
        .endr

        .section .note.GNU-stack, "", @progbits
