/* vm-swap-data: a 256 KiB table in .data, built into the program file.
 * Page K starts with the quad 0x4441544100000000 + K and is then filled
 * with byte (K * 5 + 9) & 0xff. */
        .section .data.vm_table, "aw", @progbits
        .p2align 12
        .globl table
table:
        .set page, 0
        .rept 64
        .quad 0x4441544100000000 + page
        .fill 4088, 1, (page * 5 + 9) & 0xff
        .set page, page + 1
        .endr

        .section .note.GNU-stack, "", @progbits
