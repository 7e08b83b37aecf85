/* record.h: how the answers of an intake script become a call record, and
 * a saved record becomes answers again.
 *
 * The screens collect answers in a script_answers object (script.h) and
 * the call log stores a call_record (calls.h). This module is the one
 * place that maps between them: a step mapped onto a core column
 * (columns.h) goes to that column, any other step's answer goes beside the
 * record, notes steps are the record's notes, and only visible steps
 * count. The intake screen, a supervisor's view of a saved call and the
 * command line all go through it, so they agree on what a record holds.
 *
 * Nothing here touches the database or draws.
 */
#ifndef DOVIRA_RECORD_H
#define DOVIRA_RECORD_H

#include <stddef.h>

#include "dovira/calls.h"
#include "dovira/script.h"

/* Copy the answers onto r: every core column from the visible steps
 * mapped onto it (NULL when none is answered), the answers of the other
 * visible steps (notes steps excluded) replacing r's answers to the
 * script's steps (answers to steps the script does not have, kept from a
 * draft of an older version, stay as they are), the
 * notes (NULL or "" clears them), the risk level now and the step the
 * operator is at (at_step, NULL when none). Hidden steps' answers are left
 * out. The record keeps copies; a and notes are not changed. */
void record_from_answers(call_record *r, const script_answers *a, const char *notes, const char *at_step);

/* The record's stored answer to step st: its core column if st maps onto
 * one, the record's notes for a notes step, else the answer kept beside
 * the record; NULL when there is none. The string belongs to r. */
const char *record_value(const call_record *r, const script_step *st);

/* A new answers object for s holding r's answers, as a saved draft is
 * resumed or a saved call shown. A stored value the script does not accept
 * (the script changed since the call was taken) is left out and counted in
 * *dropped when dropped is not NULL. Never NULL; free it with
 * script_answers_free before s. */
script_answers *record_answers(const script *s, const call_record *r, size_t *dropped);

/* The answer value (as stored: option codes separated by commas for a
 * multi step) in words for a person: the labels of the chosen options in
 * the language of the messages, joined by "; ", or the value itself for a
 * step without options or a code the step does not know. A new string
 * (the caller frees it); "" for a NULL value. */
char *record_words(const script_step *st, const char *value);

#endif
