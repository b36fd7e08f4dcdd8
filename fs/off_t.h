/* File sizes and offsets, in bytes.  32 bits signed: the largest file is
 * OFF_T_MAX bytes, although the foliofs pointer scheme could map more. */
#ifndef FS_OFF_T_H
#define FS_OFF_T_H

#include <stdint.h>

typedef int32_t off_t;
#define OFF_T_MAX INT32_MAX

#endif
