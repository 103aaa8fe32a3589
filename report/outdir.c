/*
 * outdir.c — output files appear whole or not at all (Redis rdbSave in
 * src/rdb.c: write a temporary file, fsync, rename).
 *
 * A run writes every file into its own private directory inside the output
 * directory (same file system, so rename() is atomic) and renames them into
 * place only after all were written and synced.  A run that fails before
 * that point removes its directory and leaves the previous files as they
 * were; a reader never sees half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "report.h"

/* mkdir -p: create path and its missing parents. */
static int make_dirs(const char *path, struct hx_error *err)
{
	char *p = hx_strdup(path), *s = p;
	struct stat sb;
	int rc = -1;

	/* Each prefix that ends before a '/', then the whole path. */
	do {
		char saved;

		s += strspn(s, "/");
		s += strcspn(s, "/");
		saved = *s;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			hx_error_set(err, HX_CANTCREAT, "cannot create output directory \"%s\": %s", p,
			             strerror(errno));
			goto done;
		}
		*s = saved;
	} while (*s != '\0');
	if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		hx_error_set(err, HX_CANTCREAT, "output directory \"%s\" is not a directory", path);
		goto done;
	}
	rc = 0;
done:
	free(p);
	return rc;
}

int report_outdir_open(struct report_outdir *od, const char *dir, struct hx_error *err)
{
	memset(od, 0, sizeof *od);
	if (dir[0] == '\0')
		return hx_error_set(err, HX_USAGE, "the output directory name is empty");
	if (make_dirs(dir, err) < 0)
		return -1;
	od->dir = hx_strdup(dir);
	od->tmpdir = hx_asprintf("%s/.hoctap-report-XXXXXX", dir);
	if (mkdtemp(od->tmpdir) == NULL) {
		hx_error_set(err, HX_CANTCREAT, "cannot create a temporary directory in \"%s\": %s",
		             dir, strerror(errno));
		free(od->tmpdir);
		od->tmpdir = NULL;
		free(od->dir);
		od->dir = NULL;
		return -1;
	}
	return 0;
}

char *report_outdir_tmppath(const struct report_outdir *od, const char *name)
{
	return hx_asprintf("%s/%s", od->tmpdir, name);
}

FILE *report_outdir_create(struct report_outdir *od, const char *name, const char **path,
                           struct hx_error *err)
{
	char *p = report_outdir_tmppath(od, name);
	FILE *f = fopen(p, "wbx");

	/*
	 * Outputs are published to readers: 0644 whatever the caller's umask
	 * (not 0666 under umask 000, nor 0600 under 077).
	 */
	if (f == NULL || fchmod(fileno(f), 0644) < 0) {
		hx_error_set(err, HX_CANTCREAT, "cannot create \"%s\": %s", p, strerror(errno));
		if (f != NULL) {
			fclose(f);
			(void)unlink(p);
		}
		free(p);
		return NULL;
	}
	od->names = hx_realloc(od->names, (od->nnames + 1) * sizeof *od->names);
	od->names[od->nnames++] = hx_strdup(name);
	/* Kept until discard/commit, so that *path stays valid for messages. */
	od->paths = hx_realloc(od->paths, od->nnames * sizeof *od->paths);
	od->paths[od->nnames - 1] = p;
	*path = p;
	return f;
}

int report_outdir_close(FILE *f, const char *path, struct hx_error *err)
{
	int rc = 0;

	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0)
		rc = hx_error_set(err, HX_CANTCREAT, "cannot write \"%s\": %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = hx_error_set(err, HX_CANTCREAT, "cannot write \"%s\": %s", path, strerror(errno));
	return rc;
}

/* Make the renames durable: fsync the directory that holds the new names. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static void free_od(struct report_outdir *od)
{
	size_t i;

	for (i = 0; i < od->nnames; i++) {
		free(od->names[i]);
		free(od->paths[i]);
	}
	free(od->names);
	free(od->paths);
	free(od->tmpdir);
	free(od->dir);
	memset(od, 0, sizeof *od);
}

int report_outdir_commit(struct report_outdir *od, struct hx_error *err)
{
	struct stat sb;
	size_t i;
	int rc = 0;

	/*
	 * A directory in the way would make a rename fail half-way through the
	 * set; refuse before the first one, so that a failure changes nothing.
	 */
	for (i = 0; i < od->nnames && rc == 0; i++) {
		char *to = hx_asprintf("%s/%s", od->dir, od->names[i]);

		if (lstat(to, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = hx_error_set(err, HX_CANTCREAT, "cannot replace \"%s\": it is a directory",
			                  to);
		free(to);
	}
	for (i = 0; i < od->nnames && rc == 0; i++) {
		char *to = hx_asprintf("%s/%s", od->dir, od->names[i]);

		if (rename(od->paths[i], to) < 0)
			rc = hx_error_set(err, HX_CANTCREAT, "cannot rename \"%s\" to \"%s\": %s",
			                  od->paths[i], to, strerror(errno));
		free(to);
	}
	if (rc == 0) {
		sync_dir(od->dir);
		/* Every file has left it; only an empty directory remains. */
		(void)rmdir(od->tmpdir);
		free_od(od);
		return 0;
	}
	report_outdir_discard(od);
	return -1;
}

void report_outdir_discard(struct report_outdir *od)
{
	size_t i;

	if (od->tmpdir != NULL) {
		for (i = 0; i < od->nnames; i++)
			(void)unlink(od->paths[i]);
		(void)rmdir(od->tmpdir);
	}
	free_od(od);
}
