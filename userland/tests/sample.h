/* The contents of userland/data/sample.txt (keep the two identical). */
#ifndef SAMPLE_H
#define SAMPLE_H

static const char sample[] =
  "Folio sample file, version one.\n"
  "The file-system tests read this text back and compare every byte\n"
  "with the copy kept in userland/tests/sample.h, so the two must\n"
  "always change together.  Fourth line: 0123456789.\n"
  "Last line, which ends with a newline.\n";

#define SAMPLE_SIZE (sizeof sample - 1)

#endif /* SAMPLE_H */
