/* exitcode.c — names of the exit codes, for log lines. */
#include "exitcode.h"

const char *hx_exit_name(int code)
{
	switch (code) {
	case HX_OK: return "ok";
	case HX_USAGE: return "usage error";
	case HX_DATAERR: return "some input rejected";
	case HX_NOINPUT: return "input not found";
	case HX_UNAVAILABLE: return "database unavailable";
	case HX_SOFTWARE: return "internal error";
	case HX_CANTCREAT: return "cannot create output";
	case HX_TEMPFAIL: return "another run holds the lock";
	default: return "failure";
	}
}
