/* Resource accounting for leak detection (docs/interfaces.md 3).
 *
 * accounting_baseline() records and prints the resources in use when the
 * output frame opens; accounting_report() prints them again at power-off
 * with every counter.  Layers add their gauges, counters and cache trims
 * with the accounting_register_* functions, at boot. */
#ifndef KERNEL_ACCOUNTING_H
#define KERNEL_ACCOUNTING_H

#include <stddef.h>
#include <stdint.h>

/* A resource gauge or an event counter, read at report time. */
typedef size_t accounting_read_fn(void);
void accounting_register_resource(const char *key, accounting_read_fn *read);
void accounting_register_counter(const char *key, accounting_read_fn *read);
/* A counter that is a running maximum kept at *VALUE by its owner (the
 * longest hold of a timed lock): zeroed when the frame opens
 * (accounting_baseline), so that the report gives the run's maximum. */
void accounting_register_max(const char *key, uint64_t *value);

/* Called before the figures are read, to give back memory that a layer
 * keeps only as a cache. */
typedef void accounting_trim_fn(void);
void accounting_register_trim(accounting_trim_fn *trim);

void accounting_baseline(void);
void accounting_report(void);

#endif
