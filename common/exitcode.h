/*
 * exitcode.h — the process exit codes of every hoctap program (docs/design.md §7).
 *
 * They follow sysexits(3).  Library code never exits: it returns one of these
 * as the category of a failure (in struct hx_error), and only main() turns it
 * into the process status.
 */
#ifndef HOCTAP_EXITCODE_H
#define HOCTAP_EXITCODE_H

enum hx_exit {
	HX_OK = 0,           /* success; an empty inbox is success */
	HX_USAGE = 64,       /* bad command line */
	HX_DATAERR = 65,     /* some input rejected, the rest processed */
	HX_NOINPUT = 66,     /* a named input does not exist or cannot be opened */
	HX_UNAVAILABLE = 69, /* database unavailable, or its schema is too old */
	HX_SOFTWARE = 70,    /* internal error */
	HX_CANTCREAT = 73,   /* an output file cannot be created */
	HX_TEMPFAIL = 75     /* another run holds the lock */
};

/* Short English name of an exit code, for logs ("data error"). Never NULL. */
const char *hx_exit_name(int code);

#endif
