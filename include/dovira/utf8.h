/* utf8.h: the one Unicode toolkit: decoding UTF-8, folding case, and
 * telling the bidirectional controls, with the sanitiser's rules.
 *
 * Every module that looks at characters uses these, so that a byte
 * sequence is valid or invalid, two letters are equal ignoring case, and
 * a character is a bidi control in the same way everywhere: in what is
 * drawn (sanitize.h), checked (the script, the directory), searched,
 * sorted and redacted.
 *
 * Invalid UTF-8 follows the Unicode "maximal subpart" practice: overlong
 * forms, surrogates, values above U+10FFFF and stray continuation bytes
 * are invalid, and a sequence that starts well but breaks off counts as
 * one bad sequence of the bytes read so far.
 */
#ifndef DOVIRA_UTF8_H
#define DOVIRA_UTF8_H

#include <stddef.h>

/* Decode one UTF-8 sequence at s (n > 0 bytes left): store the code point
 * in *cp and return its length (1 to 4), or return -k for an invalid
 * sequence whose first k bytes (k >= 1) are to be skipped, which the
 * sanitiser replaces with one U+FFFD (*cp is then unchanged). */
int utf8_decode(const void *s, size_t n, unsigned *cp);

/* The same, for walking a string: the bytes to advance (at least 1 when
 * n > 0; 0 when n is 0), with *cp the code point, or U+FFFD for an
 * invalid sequence. */
size_t utf8_next(const void *s, size_t n, unsigned *cp);

/* cp in lower case, the same in every locale: ASCII, Latin-1, Latin
 * Extended-A and Cyrillic (Ukrainian Ґ Є І Ї included) capitals map to
 * their small letters; anything else is returned as it is. For comparing
 * and sorting without regard to case. */
unsigned utf8_fold(unsigned cp);

/* 1 for the bidirectional controls that can reorder what a terminal
 * shows (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), else 0. */
int utf8_is_bidi_control(unsigned cp);

#endif
