/* The kernel heap for small objects.  Blocks up to 2 KiB come from
 * power-of-two size classes carved out of kernel pages; larger requests
 * take whole pages.  Callable from any context, interrupt handlers and
 * the scheduler included: the free lists are touched with interrupts off
 * (no sleeping lock). */
#ifndef KERNEL_KMALLOC_H
#define KERNEL_KMALLOC_H

#include <stddef.h>

void kmalloc_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
size_t kmalloc_bytes_in_use(void);   /* bytes handed out and not freed */

#endif
