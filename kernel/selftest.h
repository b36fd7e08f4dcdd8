/* Kernel self-tests: run by `selftest NAME` on the command line, inside
 * the output frame, like a user program.  A self-test reports with
 * st_msg() lines `(NAME) message` and ends with `(NAME) PASS`, printed by
 * the runner when the test function returns without st_fail(). */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <stdbool.h>

void st_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record a failure: prints `(NAME) FAIL: message`; the run continues. */
void st_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define ST_CHECK(cond, ...) do { if (!(cond)) st_fail(__VA_ARGS__); } while (0)

/* Run the self-test called NAME ("all" runs every ordinary one). Returns
 * false when no test has that name. */
bool selftest_run(const char *name);

/* The tests themselves, each in the layer it tests. */
void selftest_palloc(void);
void selftest_heap(void);
void selftest_spt(void);
void selftest_threads(void);
void selftest_locks(void);
void selftest_block(void);
void selftest_iobench(void);
void selftest_ioerror(void);
void selftest_iotimeout(void);
void selftest_fs(void);
void selftest_prot(void);
/* Deliberate failures of kernel/prot_test.c: each must panic. */
void selftest_smep(void);
void selftest_smap(void);
void selftest_nx_data(void);
void selftest_nx_stack(void);
void selftest_nx_dmap(void);
void selftest_wp_text(void);

#endif
