/* calls_int.h: private to src/core and its tests. */
#ifndef DOVIRA_CALLS_INT_H
#define DOVIRA_CALLS_INT_H

/* Where new calls' UUIDs come from: NULL (the default) for libuuid's
 * random ones; tests set it to force a case-code clash. */
extern void (*calls_uuid_source)(unsigned char u[16]);

/* How many texts calls.c has redacted since the program started: tests
 * check that a save redacts only what changed. */
extern unsigned long calls_redactions;

/* Tests only: called by a draft save's combiner (combine.h) at stage 0,
 * once it has claimed the intents waiting and before it applies them, and
 * at stage 1, between its commit and the removal of the intents it
 * applied, so that a test can stop or kill it there. */
extern void (*calls_combine_hook)(int stage);

#endif
