/*
 * scan.h — one pass over a file's bytes before anything is loaded: its
 * sha256 (the ledger key), its size, and its text encoding (UTF-8 with or
 * without BOM, UTF-16 with BOM, or not text at all: the first bad byte
 * offset, and whether it looks like a legacy TCVN3/VNI export).  The file
 * is read in fixed chunks: nothing of it is held in memory.
 */
#ifndef HOCTAP_INGEST_SCAN_H
#define HOCTAP_INGEST_SCAN_H

#include "error.h"
#include "sha256.h"

enum scan_encoding { ENC_UTF8 = 0, ENC_UTF16LE, ENC_UTF16BE };

/* What the file holds: text, or a workbook the workbook readers take. */
enum scan_format { FORMAT_TEXT = 0, FORMAT_XLSX, FORMAT_XLS };

struct file_scan {
	char sha256[HX_SHA256_HEXLEN + 1];
	long long size;
	enum scan_encoding encoding;
	/* A ZIP (.xlsx) or OLE (.xls) file by its first bytes.  It is not text
	 * either, so bad is set too, for a reader of text only. */
	enum scan_format format;
	int bom;                  /* the file starts with a byte order mark */
	int bad;                  /* not valid text: the file is rejected */
	long long bad_offset;     /* byte offset (0-based) of the first bad byte */
	char bad_message[512];    /* what a clerk can act on */
};

/*
 * Look at the first bytes only: encoding, BOM, and whether the file is
 * something that is not text at all (a workbook, UTF-16 without BOM...).
 * sha256 stays empty: the source computes it while the rows load.
 */
int scan_head(int fd, struct file_scan *s, struct hx_error *err);
/* Scan fd from its start (it is left at an unspecified offset). 0, or -1 (err: I/O). */
int scan_fd(int fd, struct file_scan *s, struct hx_error *err);
/*
 * The message for a NUL byte at file offset off of fd: its offset and its
 * physical line, counted by reading fd again from the start up to off
 * (pread: fd's offset is left alone).  Only a file rejected for it pays
 * that read.
 */
void scan_explain_nul(int fd, long long off, char *msg, size_t msglen);
/* "utf-8", "utf-8 BOM", "utf-16le BOM", "utf-16be BOM". */
const char *scan_encoding_name(const struct file_scan *s);

#endif
