/* One `rep movsb` of N bytes from SRC to DST: a single instruction that
   needs its code page and every source and destination page it is at
   once (oom-rep-movs, oom-pair). */
#ifndef REPMOVS_H
#define REPMOVS_H

#include <stddef.h>

static inline void
rep_movsb (void *dst, const void *src, size_t n)
{
  __asm__ volatile ("rep movsb" : "+D" (dst), "+S" (src), "+c" (n)
                    : : "memory");
}

#endif
