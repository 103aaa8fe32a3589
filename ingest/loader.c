/*
 * loader.c — one file from bytes to a committed ledger entry (docs/design.md
 * §4.3).  ingest_file first decides the file's path, then takes it:
 *
 *   wait       the group of small files holds the connection (or the same
 *              bytes): the caller flushes it and ingests this file again;
 *   duplicate  its bytes were loaded before: a ledger row, nothing loaded;
 *   not text   rejected whole with the bad byte's offset, nothing read;
 *   small      a CSV or workbook of at most INGEST_SMALL_MAX bytes, parsed whole in
 *              memory; a clean one joins the group (group.c), any other
 *              is decided again as a file on its own;
 *   general    one transaction in which the rows are copied, the rejects
 *              recorded and the file's status and counts set.
 *
 * Only a file of a size already loaded can be a duplicate: such a file
 * (and one that is no text at all) is hashed before anything else; any
 * other is hashed while its rows load, saving a pass over a large
 * register.  A small file is always hashed first: its duplicate check is
 * the group's ledger COPY (the unique index on sha256), so it costs no
 * query.  So is a workbook, whose reader reads it through the ZIP
 * container or FreeXL, not through the hashing source.
 *
 * When the whole file must be rejected (unreadable, malformed, --strict,
 * --max-rejects) the load's transaction is rolled back and a second one
 * records only the ledger entry and the rejects, so nothing of the file
 * loads.  The file_id is drawn before either transaction, so the rejects
 * written during the load keep it.
 *
 * Moving the file (archive/, rejected/) is the caller's, after this returns:
 * a crash before the move leaves the file in the inbox with its sha256 in
 * the ledger, so the next run records it as a duplicate and archives it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "db.h"
#include "group.h"
#include "i18n.h"
#include "ingest.h"
#include "ledger.h"
#include "rowsrc.h"
#include "source.h"
#include "sqlfiles.h"
#include "text.h"
#include "vnenc.h"
#include "xls.h"
#include "xlsx.h"

void ingest_run_free(struct ingest_run *run)
{
	group_free(run->group);
	ledger_free(run->ledger);
	run->group = NULL;
	run->ledger = NULL;
}

static enum file_kind kind_from_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot != NULL && (strcasecmp(dot, ".json") == 0 || strcasecmp(dot, ".ndjson") == 0 ||
	                    strcasecmp(dot, ".jsonl") == 0))
		return KIND_JSON;
	return KIND_NONE;
}

/* What a file's kind is before its header is read: JSON by its name; the rest from the header. */
static enum file_kind initial_kind(const struct file_job *job)
{
	return job->workbook ? KIND_NONE : kind_from_name(job->res->name);
}

/* The rejects of the file grouped by cause, into res->causes. */
static int collect_causes(struct file_job *job, struct hx_error *err)
{
	const char *params[1] = {job->file_id_text};
	PGresult *res = hx_db_query(job->conn, err, hx_sql_script("ingest/rejects_by_cause.sql"), 1,
	                            params);
	int i;

	if (res == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		json_t *c = json_object();
		json_t *lines = NULL, *rows = NULL;

		json_object_set_new(c, "reason", json_string(PQgetvalue(res, i, 0)));
		json_object_set_new(c, "column", PQgetisnull(res, i, 1) ? json_null()
		                                                        : json_string(PQgetvalue(res, i, 1)));
		json_object_set_new(c, "value", PQgetisnull(res, i, 2) ? json_null()
		                                                       : json_string(PQgetvalue(res, i, 2)));
		json_object_set_new(c, "message", json_string(PQgetvalue(res, i, 3)));
		json_object_set_new(c, "count", json_integer(strtoll(PQgetvalue(res, i, 4), NULL, 10)));
		if (!PQgetisnull(res, i, 5))
			lines = json_loads(PQgetvalue(res, i, 5), 0, NULL);
		json_object_set_new(c, "lines", lines != NULL ? lines : json_array());
		json_object_set_new(c, "raw", PQgetisnull(res, i, 6) ? json_null()
		                                                     : json_string(PQgetvalue(res, i, 6)));
		if (!PQgetisnull(res, i, 7))
			rows = json_loads(PQgetvalue(res, i, 7), 0, NULL);
		json_object_set_new(c, "rows", rows != NULL ? rows : json_array());
		json_array_append_new(job->res->causes, c);
	}
	PQclear(res);
	return 0;
}

/* Commit, or roll back in a dry run. */
static int finish_tx(struct file_job *job, struct hx_error *err)
{
	if (job->opts->dry_run) {
		hx_db_rollback(job->conn);
		return 0;
	}
	return hx_db_commit(job->conn, err);
}

/*
 * Record the ledger entry (insert it, or in_tx: update the one the load
 * inserted), the rejects and warnings, then commit.
 */
static int record(struct file_job *job, const struct stat *st, int in_tx, struct hx_error *err)
{
	if (!in_tx && hx_db_begin(job->conn, err) < 0)
		return -1;
	if ((in_tx ? ledger_update(job->conn, job, st, err)
	           : ledger_insert(job->conn, job, st, err)) < 0 ||
	    (job->rejects.rows > 0 &&
	     (copy_sink_replay(&job->rejects, job->conn, COPY_REJECTS, err) < 0 ||
	      collect_causes(job, err) < 0)) ||
	    (job->warnings.rows > 0 &&
	     copy_sink_replay(&job->warnings, job->conn, COPY_WARNINGS, err) < 0)) {
		hx_db_rollback(job->conn);
		return -1;
	}
	return finish_tx(job, err);
}

/* Is this many rejects past --max-rejects? */
static int too_many_rejects(const struct ingest_opts *o, long long read, long long rejected)
{
	if (o->max_rejects < 0)
		return 0;
	if (o->max_rejects_percent)
		return rejected * 100 > o->max_rejects * read;
	return rejected > o->max_rejects;
}

/* The rows of a file being read: a workbook's sheet, or text through the CSV reader. */
struct file_rows {
	struct hx_row_source src;
	struct byte_source bytes;   /* text: its bytes as UTF-8 (raw, when converted) */
	struct hx_enc_reader *enc;  /* text converted to UTF-8 in NFC (job->convert) */
	struct hx_csv_reader *csv;  /* text: its records */
	int text;                   /* bytes is in use (source_close it) */
	int open;                   /* src is in use (close it) */
};

/*
 * A path that opens fd's own file: the inbox's entry may have been
 * replaced since it was opened, and the bytes read must be those hashed
 * (the workbook readers open a path: libzip's and FreeXL's own reading).
 * path itself when /proc is not there.
 */
static const char *own_path(int fd, const char *path, char *buf, size_t cap)
{
	snprintf(buf, cap, "/proc/self/fd/%d", fd);
	return access(buf, R_OK) == 0 ? buf : path;
}

/*
 * The converter's bytes for the CSV reader (an hx_csv_read_fn; ctx: the
 * file_rows).  A byte the encoding cannot read makes the file not text, as
 * a bad UTF-8 byte does: the source's bad and bad_message say so.
 */
static ssize_t converted_read(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct file_rows *fr = ctx;
	ssize_t n = hx_enc_read(fr->enc, buf, cap, err);

	if (n < 0 && err->code == HX_DATAERR && !fr->bytes.bad) {
		fr->bytes.bad = 1;
		hx_text_msgf(fr->bytes.bad_message, sizeof fr->bytes.bad_message, "%s", err->msg);
	}
	return n;
}

/*
 * Open the rows of job's file (fd, as scanned; hashed: the scan read it
 * whole).  A workbook's sheet is the one --sheet names or the first
 * visible one whose first rows hold a header (csvsub_is_header); its name
 * goes to res->sheet and job->sheet.  0 with fr open; 1 when the file is
 * rejected whole (a workbook that cannot be read: job_fail said why); -1
 * (err: the run cannot go on).
 */
static int rows_open(struct file_job *job, struct file_rows *fr, int fd,
                     const struct file_scan *scan, int hashed, struct hx_error *err)
{
	struct hx_sheet_options o = {job->opts->sheet, csvsub_is_header, NULL, 0};
	struct hx_error werr;
	char buf[64];
	const char *path;

	memset(fr, 0, sizeof *fr);
	if (scan->format == FORMAT_TEXT) {
		if (source_init(&fr->bytes, fd, scan, hashed, err) < 0) {
			source_close(&fr->bytes);
			return -1;
		}
		fr->text = 1;
		if (job->convert) {
			source_raw(&fr->bytes);
			fr->enc = hx_enc_reader_new(job->enc, source_read, &fr->bytes,
			                            scan->bom ? 3 : 0);
			fr->csv = hx_csv_new(converted_read, fr, NULL);
		} else {
			fr->csv = hx_csv_new(source_read, &fr->bytes, NULL);
		}
		hx_row_source_csv(&fr->src, fr->csv);
		fr->open = 1;
		return 0;
	}
	hx_error_clear(&werr);
	path = own_path(fd, job->res->path, buf, sizeof buf);
	if (scan->format == FORMAT_XLSX) {
		struct hx_xlsx *x = hx_xlsx_open(path, &o, &werr);

		if (x != NULL) {
			job->res->sheet = hx_strdup(hx_xlsx_sheet_name(x));
			hx_row_source_xlsx(&fr->src, x);
		}
	} else {
		struct hx_xls *x = hx_xls_open(path, &o, &werr);

		if (x != NULL) {
			job->res->sheet = hx_strdup(hx_xls_sheet_name(x));
			hx_row_source_xls(&fr->src, x);
		}
	}
	if (job->res->sheet == NULL) {
		if (werr.code != HX_DATAERR) {
			*err = werr;
			hx_error_prefix(err, job->display);
			return -1;
		}
		job_fail(job, 0, REASON_BAD_WORKBOOK, "%s", werr.msg);
		return 1;
	}
	job->sheet = job->res->sheet;
	fr->open = 1;
	return 0;
}

static void rows_close(struct file_job *job, struct file_rows *fr)
{
	if (fr->open)
		fr->src.close(fr->src.self);
	if (fr->csv != NULL) {
		job->res->delimiter = hx_csv_delimiter(fr->csv);
		hx_csv_free(fr->csv);
	}
	hx_enc_reader_free(fr->enc);
	if (fr->text)
		source_close(&fr->bytes);
	memset(fr, 0, sizeof *fr);
}

/*
 * The file's rows through its reader (CSV, workbook or JSON) into the
 * load's transaction, and its sha256 finished (hashed: the scan has it);
 * *bytes: how many were read.  Bytes that are not text fail the file.  0,
 * or -1 (err).
 */
static int stream_rows(struct file_job *job, int fd, const struct file_scan *scan, int hashed,
                       unsigned long long *bytes, struct hx_error *err)
{
	struct file_rows fr;
	int rc;

	memset(&fr, 0, sizeof fr);
	if (job->res->kind == KIND_JSON && scan->format == FORMAT_TEXT) {
		rc = source_init(&fr.bytes, fd, scan, hashed, err);
		fr.text = 1;
		if (rc == 0)
			rc = jsonsub_load(job, &fr.bytes, err);
	} else {
		rc = rows_open(job, &fr, fd, scan, hashed, err);
		if (rc == 0)
			rc = csvsub_load(job, &fr.src, err);
		else if (rc > 0)
			rc = 0; /* rejected whole: job_fail said why */
		if (fr.open) {
			/* The source is closed now, the bytes stay for the hash. */
			fr.src.close(fr.src.self);
			fr.open = 0;
		}
		if (fr.csv != NULL) {
			job->res->delimiter = hx_csv_delimiter(fr.csv);
			hx_csv_free(fr.csv);
			fr.csv = NULL;
		}
		hx_enc_reader_free(fr.enc);
		fr.enc = NULL;
	}
	if (!fr.text) {
		/* A workbook: hashed before it was read, by the scan. */
		*bytes = (unsigned long long)job->res->size;
		return rc;
	}
	if (rc < 0 && fr.bytes.bad)
		rc = 0; /* not text: the file is rejected, the run goes on */
	if (rc == 0 && source_finish(&fr.bytes, job->res->sha256, err) < 0)
		rc = -1;
	if (rc == 0 && fr.bytes.bad) {
		/* Whatever the reader made of it, the cause is the bytes: no encoding. */
		job->res->encoding = NULL;
		free(job->res->encoding_note);
		job->res->encoding_note = NULL;
		free(job->res->message);
		job->file_failed = 1;
		job->file_reason = REASON_NOT_TEXT;
		job->res->message = hx_strdup(fr.bytes.bad_message);
	}
	*bytes = fr.bytes.raw_bytes;
	source_close(&fr.bytes);
	return rc;
}

/*
 * Load the rows in a transaction.  Returns 0 with res->status set, or -1
 * (fatal).  On a whole-file rejection the transaction is rolled back and
 * the caller records the file as rejected.
 */
static int load_rows(struct file_job *job, int fd, const struct file_scan *scan,
                     const struct stat *st, struct hx_error *err)
{
	unsigned long long bytes = 0;
	int hashed = job->res->sha256[0] != '\0';

	if (hx_db_begin(job->conn, err) < 0)
		return -1;
	lists_free(job->lists);
	job->lists = lists_new(job->file_id_text);
	job->rows_seen = -1;
	/* The sha256 is known at the end of the stream; the row needs one now. */
	if (!hashed)
		memset(job->res->sha256, '0', HX_SHA256_HEXLEN);
	/* The rows refer to their ledger row: it comes first, counts set at the end. */
	job->res->status = STATUS_LOADED;
	if (ledger_insert(job->conn, job, st, err) < 0) {
		hx_db_rollback(job->conn);
		return -1;
	}
	if (stream_rows(job, fd, scan, hashed, &bytes, err) < 0) {
		hx_db_rollback(job->conn);
		return -1;
	}
	if (job->opts->progress)
		progress_update(job->res->name,
		                (unsigned long long)(job->res->rows_loaded + job->res->rows_rejected),
		                bytes, job->bytes_total, 1);
	job->res->rows_read = job->res->rows_loaded + job->res->rows_rejected;
	if (!job->file_failed && job->rows_seen >= 0 && job->rows_seen != job->res->rows_read)
		job_fail(job, 0, REASON_COUNT_MISMATCH,
		         _("%lld rows were read but %lld loaded and %lld rejected: a bug in "
		           "hoctap-ingest (please report it)"),
		         job->rows_seen, job->res->rows_loaded, job->res->rows_rejected);
	if (!job->file_failed && job->res->rows_rejected > 0 &&
	    (job->opts->strict ||
	     too_many_rejects(job->opts, job->res->rows_read, job->res->rows_rejected))) {
		if (job->opts->strict)
			job_fail(job, 0, REASON_STRICT,
			         _("%lld of %lld rows rejected and --strict loads a file all or nothing"),
			         job->res->rows_rejected, job->res->rows_read);
		else
			job_fail(job, 0, REASON_MAX_REJECTS,
			         _("%lld of %lld rows rejected, more than --max-rejects %lld%s"),
			         job->res->rows_rejected, job->res->rows_read,
			         (long long)job->opts->max_rejects,
			         job->opts->max_rejects_percent ? "%" : "");
	}
	if (!job->file_failed && job->res->rows_loaded == 0 && job->res->rows_rejected > 0)
		job_fail(job, 0, REASON_ALL_ROWS_REJECTED, _("all %lld rows were rejected"),
		         job->res->rows_rejected);
	if (job->file_failed) {
		hx_db_rollback(job->conn);
		return 0;
	}
	if (!job->opts->dry_run) {
		if (lists_copy(job->lists, job->conn, err) < 0) {
			hx_db_rollback(job->conn);
			return -1;
		}
		job->lists_counted = lists_counted(job->lists);
		job->entities_checked = lists_checked(job->lists);
	}
	/* The rows keep no date (migration 034): lists counted keep their own;
	 * those of a file too large to count take the file's latest. */
	if (job->lists != NULL && !lists_counted(job->lists) && lists_dates_differ(job->lists))
		job_warn(job, 0, _("the file's register lists are too many to count one by one (more "
		                   "than %d) and their submitted_at differ: each list is dated %s, the "
		                   "file's latest, when lists supersede one another; send lists of "
		                   "different dates in separate files"),
		         LISTS_MAX, lists_latest_submitted(job->lists));
	job->res->status = job->res->rows_rejected > 0 ? STATUS_PARTIAL : STATUS_LOADED;
	return 0;
}

/*
 * Forget what a first reading of the file left in job and res, so that it
 * can be read again from its first byte down the general path.
 */
static void job_restart(struct file_job *job)
{
	struct file_result *r = job->res;

	r->rows_read = r->rows_loaded = r->rows_rejected = 0;
	free(r->message);
	r->message = NULL;
	json_array_clear(r->warnings);
	json_array_clear(r->causes);
	r->kind = initial_kind(job);
	free(r->sheet);
	r->sheet = NULL;
	free(r->header);
	r->header = NULL;
	job->sheet = NULL;
	job->file_reason = REASON_NONE;
	job->file_failed = 0;
	job->copy_sql = NULL;
	job->lists_counted = 0;
	job->entities_checked = 0;
	copy_sink_close(&job->rejects);
	copy_sink_close(&job->warnings);
	copy_sink_tmp(&job->rejects);
	copy_sink_tmp(&job->warnings);
}

int ingest_group_full(const struct ingest_run *run)
{
	return run->group != NULL && group_full(run->group);
}

/*
 * The small path: parse the whole file, keeping its rows; a clean one
 * joins the group.  Returns 1 (res->status STATUS_PENDING), 0 (not clean:
 * job restarted, to be decided again), or -1 (err).
 */
static int load_small(struct ingest_run *run, struct file_job *job, int fd,
                      const struct file_scan *scan, const struct stat *st, struct hx_error *err)
{
	struct file_rows fr;
	struct copy_sink rows;
	int rc, bad;

	copy_sink_tmp(&rows);
	job->rows = &rows;
	job->rows_seen = -1;
	/* A small file is always scanned whole first (choose_path). */
	rc = rows_open(job, &fr, fd, scan, 1, err);
	if (rc == 0)
		rc = csvsub_load(job, &fr.src, err);
	else if (rc > 0)
		rc = 0; /* a workbook that cannot be read: rejected on its own */
	job->rows = NULL;
	bad = fr.text && fr.bytes.bad;
	rows_close(job, &fr);
	if (rc < 0 && !bad) {
		copy_sink_close(&rows);
		return -1;
	}
	if (bad || job->file_failed || job->rejects.rows > 0 || job->warnings.rows > 0 ||
	    job->copy_sql == NULL || rows.failed || job->res->rows_loaded == 0 ||
	    job->rows_seen != job->res->rows_loaded || job->res->kind == KIND_REGISTER) {
		/* Anything but a clean file takes the general path, and so does a
		 * register list, whose lists are counted there. */
		copy_sink_close(&rows);
		job_restart(job);
		return 0;
	}
	job->res->rows_read = job->res->rows_loaded;
	job->res->status = STATUS_LOADED; /* as its ledger row says; pending until committed */
	job->lists_counted = job->entities_checked = 1; /* it has no register rows */
	group_add(run->group, job, st, &rows, job->copy_sql);
	copy_sink_close(&rows);
	job->res->status = STATUS_PENDING;
	return 1;
}

/* What ingest_file does with a file (see the top of this file). */
enum file_path { PATH_WAIT, PATH_DUPLICATE, PATH_NOT_TEXT, PATH_SMALL, PATH_GENERAL };

/* Bytes of a text file's start from which its encoding is guessed: its header and first rows. */
#define ENCODING_SAMPLE ((size_t)64 * 1024)

/* The file being taken in. */
struct intake {
	int fd;
	struct stat st;
	struct file_scan scan;
	int hashed;           /* scan covers the whole file: sha256 known, every byte checked */
	/* How its text is read (decide_encoding), applied to every scan of it. */
	int text_decided;
	int unreadable;       /* no encoding reads its first bytes cleanly: why says so */
	char why[HX_ENC_EXPLAIN_SZ];
};

/*
 * What job's file holds, by its first bytes (the scan's verdict), else by
 * its name: a ZIP is read as an .xlsx workbook and an OLE file as an .xls,
 * whatever they are called (a workbook saved as "baocao.csv" is still the
 * clerk's workbook); a file named .xlsx, .xlsm or .xls is given to the
 * workbook reader, which says what it is when it is none.  A workbook is
 * not text, and the scan's reason for that does not apply to it.
 */
static void read_as(struct file_job *job, struct intake *in)
{
	struct file_scan *scan = &in->scan;
	const char *dot = strrchr(job->res->name, '.');

	if (scan->format == FORMAT_TEXT && dot != NULL &&
	    (strcasecmp(dot, ".xlsx") == 0 || strcasecmp(dot, ".xlsm") == 0))
		scan->format = FORMAT_XLSX;
	else if (scan->format == FORMAT_TEXT && dot != NULL && strcasecmp(dot, ".xls") == 0)
		scan->format = FORMAT_XLS;
	job->workbook = scan->format != FORMAT_TEXT;
	if (job->workbook || (in->text_decided && job->convert)) {
		/* Not UTF-8, and read by a reader that says itself which byte is bad. */
		scan->bad = 0;
		scan->bad_message[0] = '\0';
	} else if (in->text_decided && in->unreadable && !scan->bad) {
		scan->bad = 1;
		snprintf(scan->bad_message, sizeof scan->bad_message, "%s", in->why);
	} else if (in->text_decided && in->unreadable) {
		/* The same first bad byte, said with what each encoding made of it. */
		snprintf(scan->bad_message, sizeof scan->bad_message, "%s", in->why);
	}
}

/*
 * How a text file's bytes become UTF-8 in NFC, decided once from its start
 * (ENCODING_SAMPLE bytes after a byte order mark): --encoding's, or the
 * guess of hx_enc_detect.  UTF-8 in NFC is read as it is (source.c checks
 * every byte); a legacy encoding (TCVN3, VNI-Windows, Windows-1258), or
 * UTF-8 with decomposed letters, goes through the converter, and the file's
 * record says how it was read (res->encoding, res->encoding_note).  When no
 * encoding reads the start cleanly the file is not text: its first bad
 * byte is named, with what each encoding made of it.  UTF-16 and JSON (a
 * JSON text is UTF-8) are read as before.  0, or -1 (err: cannot read).
 */
static int decide_encoding(struct file_job *job, struct intake *in, struct hx_error *err)
{
	size_t bom = in->scan.bom ? 3 : 0, got = 0;
	unsigned char *sample;
	struct hx_enc_guess g;
	int final;

	in->text_decided = 1;
	if (job->workbook || in->scan.encoding != ENC_UTF8 || in->scan.bad ||
	    initial_kind(job) == KIND_JSON)
		return 0;
	if (job->opts->encoding_forced) {
		job->convert = 1;
		job->enc = job->opts->encoding;
		job->res->encoding_note = hx_asprintf(_("read as %s, as --encoding says"),
		                                      hx_enc_name(job->enc));
		return 0;
	}
	sample = hx_malloc(ENCODING_SAMPLE);
	while (got < ENCODING_SAMPLE) {
		ssize_t n = pread(in->fd, sample + got, ENCODING_SAMPLE - got, (off_t)(bom + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(sample);
			return hx_error_set(err, HX_NOINPUT, "%s: could not read: %s", job->display,
			                    strerror(errno));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	final = bom + got >= (size_t)in->st.st_size;
	if (hx_enc_detect(sample, got, final, &g) < 0) {
		/* A NUL is no text in any encoding: the scan names it with its line. */
		if (g.bad_byte != 0) {
			in->unreadable = 1;
			snprintf(in->why, sizeof in->why, "%s", g.explain);
		}
	} else if (g.enc != HX_ENC_UTF8 || g.decomposed) {
		job->convert = 1;
		job->enc = g.enc;
		job->res->encoding_note = hx_strdup(g.explain);
	}
	free(sample);
	return 0;
}

/*
 * Decide the file's path.  small_ok: the small path is open to it (not
 * when its first reading found it not clean).  Hashes the file when the
 * decision needs its sha256, and looks for its bytes in the ledger only
 * when they can be there.  0 with *path, or -1 (err).
 */
static int choose_path(struct ingest_run *run, struct file_job *job, struct intake *in,
                       int small_ok, enum file_path *path, struct hx_error *err)
{
	struct file_result *res = job->res;
	size_t waiting = group_files(run->group);
	int small, maybe_dup, found = 0;

	small = small_ok && !run->opts->dry_run && !run->no_small && !in->scan.bad &&
	        (size_t)in->st.st_size <= INGEST_SMALL_MAX &&
	        (job->workbook || kind_from_name(res->name) == KIND_NONE);
	/* The group's transaction holds the connection: anything else waits for it,
	 * and so does a small file when the group has no file_id left to give it. */
	if (waiting > 0 && (!small || ledger_ids_left(run->ledger) == 0)) {
		*path = PATH_WAIT;
		return 0;
	}
	if (in->hashed || small || job->workbook) {
		maybe_dup = 1;
	} else {
		maybe_dup = ledger_size_seen(run->ledger, (long long)in->st.st_size, err);
		if (maybe_dup < 0) {
			hx_error_prefix(err, job->display);
			return -1;
		}
	}
	if (!in->hashed && (maybe_dup || in->scan.bad)) {
		if (scan_fd(in->fd, &in->scan, err) < 0) {
			hx_error_prefix(err, job->display);
			return -1;
		}
		in->hashed = 1;
		in->scan.size = (long long)in->st.st_size;
		memcpy(res->sha256, in->scan.sha256, sizeof res->sha256);
		read_as(job, in);
	}
	if (small && in->scan.bad) {
		/* Not text after all (the head looked fine): rejected on its own. */
		small = 0;
		if (waiting > 0) {
			*path = PATH_WAIT;
			return 0;
		}
	}
	if (small && group_has(run->group, in->scan.sha256)) {
		/* The same bytes are in the group: once it commits, a duplicate. */
		*path = PATH_WAIT;
		return 0;
	}
	if (maybe_dup) {
		/* A small file is looked for among this run's files only: the
		 * group's ledger COPY is its check against the database. */
		found = ledger_find_loaded(run->ledger, in->scan.sha256, &res->duplicate_of,
		                           &res->duplicate_of_name, small, err);
		if (found < 0)
			return -1;
	}
	if (found)
		*path = waiting > 0 ? PATH_WAIT : PATH_DUPLICATE;
	else if (in->scan.bad)
		*path = PATH_NOT_TEXT;
	else
		*path = small ? PATH_SMALL : PATH_GENERAL;
	return 0;
}

/*
 * Open path for reading: a regular file.  A file of the inbox is opened
 * as itself, never through a symbolic link (O_NOFOLLOW): the bytes read,
 * hashed and archived are the inbox's own.  O_NONBLOCK: a pipe put in a
 * file's place cannot hold the run.  0; 1 when the inbox's entry is no
 * regular file (it was replaced since it was listed; *type says what), or
 * -1 (err, HX_NOINPUT).
 */
static int open_file(struct intake *in, const char *path, const char *display, int inbox,
                     mode_t *type, struct hx_error *err)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (inbox ? O_NOFOLLOW : 0);

	in->fd = open(path, flags);
	if (in->fd < 0 && inbox && errno == ELOOP) {
		*type = S_IFLNK;
		return 1;
	}
	if (in->fd < 0 || fstat(in->fd, &in->st) < 0)
		return hx_error_set(err, HX_NOINPUT, "%s: could not open: %s", display,
		                    strerror(errno));
	if (!S_ISREG(in->st.st_mode)) {
		*type = in->st.st_mode;
		if (inbox)
			return 1;
		return hx_error_set(err, HX_NOINPUT, "%s: not a regular file", display);
	}
	/* Reads of a regular file never block; the flag is cleared all the same. */
	flags = fcntl(in->fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(in->fd, F_SETFL, flags & ~O_NONBLOCK);
	return 0;
}

int ingest_file(struct ingest_run *run, const char *path, const char *display,
                struct file_result *res, struct hx_error *err)
{
	struct file_job job;
	struct intake in;
	enum file_path how;
	const char *slash = strrchr(path, '/');
	mode_t type = 0;
	int rc = -1, small_ok = 1, opened;

	memset(res, 0, sizeof *res);
	memset(&job, 0, sizeof job);
	memset(&in, 0, sizeof in);
	in.fd = -1;
	if (run->ledger == NULL)
		run->ledger = ledger_new(run->conn);
	if (run->group == NULL)
		run->group = group_new(run->conn);
	res->name = hx_strdup(slash != NULL ? slash + 1 : path);
	res->path = hx_strdup(path);
	res->causes = json_array();
	res->warnings = json_array();
	job.conn = run->conn;
	job.opts = run->opts;
	job.units = run->units;
	job.res = res;
	job.display = display;
	job.numbers = run->opts->numbers;

	opened = open_file(&in, path, display, run->opts->inbox != NULL, &type, err);
	if (opened < 0)
		goto done;
	if (opened > 0) {
		/* Never read: told and moved as rejected by the caller. */
		file_result_free(res);
		file_result_not_regular(res, path, file_type_name(type));
		rc = 0;
		goto done;
	}
	if (scan_head(in.fd, &in.scan, err) < 0) {
		hx_error_prefix(err, display);
		goto done;
	}
	read_as(&job, &in);
	res->size = in.scan.size = (long long)in.st.st_size;
	if (decide_encoding(&job, &in, err) < 0)
		goto done;
	read_as(&job, &in);
	job.bytes_total = (unsigned long long)in.st.st_size;
	/*
	 * A small file's path is known only once it is parsed: one that is
	 * not clean is decided again, as a file on its own.
	 */
	for (;;) {
		if (choose_path(run, &job, &in, small_ok, &how, err) < 0)
			goto done;
		if (how == PATH_WAIT) {
			/* Nothing of this file was sent: it is ingested again after the flush. */
			res->status = STATUS_WAIT;
			rc = 0;
			goto done;
		}
		if (res->file_id == 0) {
			if (ledger_next_id(run->ledger, &res->file_id, err) < 0)
				goto done;
			snprintf(job.file_id_text, sizeof job.file_id_text, "%" PRId64, res->file_id);
			copy_sink_tmp(&job.rejects);
			copy_sink_tmp(&job.warnings);
			res->encoding = job.workbook   ? NULL
			                : job.convert && job.enc != HX_ENC_UTF8 ? hx_enc_name(job.enc)
			                                                       : scan_encoding_name(&in.scan);
		}
		if (how != PATH_SMALL)
			break;
		res->kind = initial_kind(&job);
		rc = load_small(run, &job, in.fd, &in.scan, &in.st, err);
		if (rc != 0) {
			rc = rc < 0 ? -1 : 0;
			goto done;
		}
		small_ok = 0;
	}

	switch (how) {
	case PATH_DUPLICATE:
		res->kind = KIND_NONE;
		res->status = STATUS_DUPLICATE;
		/* A dry run may have found it among files it did not keep: no ledger row. */
		rc = run->opts->dry_run ? 0 : record(&job, &in.st, 0, err);
		if (run->opts->dry_run)
			res->file_id = 0;
		break;
	case PATH_NOT_TEXT:
		res->kind = initial_kind(&job);
		res->status = STATUS_REJECTED;
		res->encoding = NULL; /* not text in any encoding read here */
		free(res->encoding_note);
		res->encoding_note = NULL;
		res->message = hx_strdup(in.scan.bad_message);
		job_reject(&job, 0, NULL, NULL, 0, REASON_NOT_TEXT, in.scan.bad_message, NULL, 0);
		rc = record(&job, &in.st, 0, err);
		break;
	case PATH_GENERAL:
		res->kind = initial_kind(&job);
		if (load_rows(&job, in.fd, &in.scan, &in.st, err) < 0)
			break;
		if (!job.file_failed) {
			rc = record(&job, &in.st, 1, err);
			if (rc == 0)
				ledger_remember(run->ledger, res);
			break;
		}
		/* Nothing of the file loads: every row read counts as rejected. */
		res->status = STATUS_REJECTED;
		res->rows_loaded = 0;
		res->rows_rejected = res->rows_read;
		/*
		 * The file's cause is no row: recorded without a line of its own
		 * (staging.rejects.line is NULL for whole-file causes), its line in
		 * the message, so it is said once, as the file's reason, never also
		 * as a row "not loaded".
		 */
		job_reject(&job, 0, NULL, NULL, 0, job.file_reason, res->message, NULL, 0);
		rc = record(&job, &in.st, 0, err);
		break;
	case PATH_WAIT:
	case PATH_SMALL:
		break; /* taken above */
	}
done:
	if (in.fd >= 0)
		close(in.fd);
	copy_sink_close(&job.rejects);
	copy_sink_close(&job.warnings);
	lists_free(job.lists);
	return rc;
}

int ingest_flush(struct ingest_run *run, struct pending_file *pend, size_t n,
                 struct hx_error *err)
{
	size_t waiting = run->group != NULL ? group_files(run->group) : 0, i;
	int rc = -1, refused;

	if (n != waiting)
		return hx_error_set(err, HX_SOFTWARE, "%zu results for a group of %zu files", n,
		                    waiting);
	if (n == 0)
		return 0;
	refused = group_commit(run->group, err);
	if (refused < 0)
		return -1;
	if (refused == 0) {
		for (i = 0; i < n; i++) {
			pend[i].res.status = STATUS_LOADED;
			ledger_remember(run->ledger, &pend[i].res);
		}
		return 0;
	}
	/* Not committed: each file on its own, as if it had never been in a group. */
	run->no_small = 1;
	for (i = 0; i < n; i++) {
		file_result_free(&pend[i].res);
		if (ingest_file(run, pend[i].path, pend[i].display, &pend[i].res, err) < 0)
			goto done;
	}
	rc = 0;
done:
	run->no_small = 0;
	return rc;
}
