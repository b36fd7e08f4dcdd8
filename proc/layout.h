/* Where a user program lives (docs/abi.md). */
#ifndef PROC_LAYOUT_H
#define PROC_LAYOUT_H

#define USER_CODE_BASE 0x400000UL
#define USER_STACK 0x47480000UL
#define USER_STACK_MAX (1UL << 20)                 /* growth limit */
#define USER_STACK_LIMIT (USER_STACK - USER_STACK_MAX)

#endif
