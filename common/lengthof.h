/*
 * lengthof.h — the number of elements of an array, as PostgreSQL's c.h
 * names it: lengthof(cases) for the idiom sizeof cases / sizeof cases[0].
 */
#ifndef HOCTAP_LENGTHOF_H
#define HOCTAP_LENGTHOF_H

/* Elements of the array a (an array, never a pointer to its first element). */
#define lengthof(a) (sizeof(a) / sizeof((a)[0]))

#endif
