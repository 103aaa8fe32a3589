/*
 * test_ingest_encodings.c — text in the encodings Vietnamese offices still
 * write, through hoctap-ingest into the real database (issue 20, docs/design.md
 * §9.4): a tally typed in TCVN3 (ABC), VNI-Windows, Windows-1258 or with
 * decomposed letters loads with its Vietnamese header and titles
 * recognised and its text stored in NFC UTF-8, the file's record and the
 * summary saying how it was read; --encoding overrides the guess; a byte
 * the encoding cannot read past the sampled start rejects the file naming
 * it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <iconv.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "lengthof.h"
#include "testsupport.h"

#define INGEST(db, ...) \
	hx_test_program("hoctap-ingest", (db), (const char *const[]){__VA_ARGS__, NULL})

static char *db;

static void setup(void)
{
	db = hx_test_small_db();
}

static void teardown(void)
{
	hx_test_db_drop(db);
	free(db);
}

TestSuite(ingest_encodings, .init = setup, .fini = teardown, .timeout = 120);

/* A commune's tally with a Vietnamese header, titles and note, in UTF-8 (NFC). */
static const char tally_utf8[] =
	"Năm;Mã đơn vị;Danh hiệu;Tổng số;Được công nhận;Ghi chú\n"
	"2020;00004;Gia đình học tập;120;80;Thôn Đông\n"
	"2020;00004;Dòng họ học tập;12;9;Họ Nguyễn\n"
	"2020;00007;Cộng đồng học tập;14;3;Tổ dân phố số 5\n";

/* The same, as glibc iconv writes it in code (TCVN5712-1, CP1258): a new string, *len bytes. */
static char *encoded(const char *code, const char *s, size_t *len)
{
	iconv_t cd = iconv_open(code, "UTF-8");
	size_t in = strlen(s), cap = 4 * in + 16, out = cap;
	char *buf = hx_malloc(cap), *ip = (char *)(uintptr_t)s, *op = buf;

	cr_assert(cd != (iconv_t)-1, "iconv %s", code);
	cr_assert(iconv(cd, &ip, &in, &op, &out) != (size_t)-1, "%s cannot write the tally", code);
	iconv_close(cd);
	*len = cap - out;
	return buf;
}

/*
 * The tally in VNI-Windows: each marked vowel is its base letter and a
 * mark byte (ă a+EA, â a+E2, ơ F4, ư F6, đ F1, ...), as VNI-Times typed it.
 */
static const char tally_vni[] =
	"Na\xEAm;Ma\xF5 \xF1\xF4n v\xF2;Danh hie\xE4u;To\xE5ng so\xE1;\xD1\xF6\xF4\xEF\x63 "
	"co\xE2ng nha\xE4n;Ghi chu\xF9\n"
	"2020;00004;Gia \xF1\xECnh ho\xEF\x63 ta\xE4p;120;80;Tho\xE2n \xD1o\xE2ng\n"
	"2020;00004;Do\xF8ng ho\xEF ho\xEF\x63 ta\xE4p;12;9;Ho\xEF Nguye\xE3n\n"
	"2020;00007;Co\xE4ng \xF1o\xE0ng ho\xEF\x63 ta\xE4p;14;3;To\xE5 da\xE2n pho\xE1 so\xE1 5\n";

/* "Thôn Đông" and the rest as a Mac types them: base letters and combining marks. */
static const char tally_nfd[] =
	"Na\xCC\x86m;Ma\xCC\x83 \xC4\x91o\xCC\x9Bn vi\xCC\xA3;Danh hie\xCC\x82\xCC\xA3u;"
	"To\xCC\x82\xCC\x89ng so\xCC\x82\xCC\x81;\xC4\x90u\xCC\x9Bo\xCC\x9B\xCC\xA3\x63 "
	"co\xCC\x82ng nha\xCC\x82\xCC\xA3n;Ghi chu\xCC\x81\n"
	"2020;00004;Gia \xC4\x91i\xCC\x80nh ho\xCC\xA3\x63 ta\xCC\x82\xCC\xA3p;120;80;"
	"Tho\xCC\x82n \xC4\x90o\xCC\x82ng\n"
	"2020;00004;Do\xCC\x80ng ho\xCC\xA3 ho\xCC\xA3\x63 ta\xCC\x82\xCC\xA3p;12;9;"
	"Ho\xCC\xA3 Nguye\xCC\x82\xCC\x83n\n"
	"2020;00007;Co\xCC\x82\xCC\xA3ng \xC4\x91o\xCC\x82\xCC\x80ng ho\xCC\xA3\x63 "
	"ta\xCC\x82\xCC\xA3p;14;3;To\xCC\x82\xCC\x89 da\xCC\x82n pho\xCC\x82\xCC\x81 "
	"so\xCC\x82\xCC\x81 5\n";

static void put_bytes(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = hx_asprintf("%s/%s", dir, name);

	hx_test_write_file(path, data, len);
	free(path);
}

static char *qtext(const char *sql)
{
	PGconn *c = hx_test_db_connect(db);
	char *v = hx_test_db_text(c, sql);

	PQfinish(c);
	return v;
}

static void expect_text(char *got, const char *want)
{
	cr_expect(strcmp(got, want) == 0, "got\n  %s\nwant\n  %s", got, want);
	free(got);
}

/* What a file's tallies hold, read back: titles as keys, notes as stored. */
static char *rows_of(const char *name)
{
	char sql[512];

	snprintf(sql, sizeof sql,
	         "SELECT string_agg(concat_ws('|', t.unit_code, t.title, t.eligible, t.recognized, "
	         "t.note), ' / ' ORDER BY t.line) FROM staging.tally t JOIN staging.files f "
	         "USING (file_id) WHERE f.name = '%s'", name);
	return qtext(sql);
}

#define WANT_ROWS "00004|family|120|80|Thôn Đông / 00004|clan|12|9|Họ Nguyễn / " \
                  "00007|community|14|3|Tổ dân phố số 5"

Test(ingest_encodings, legacy_and_decomposed_text_loads_with_its_titles_recognised)
{
	static const struct {
		const char *name, *encoding, *note;
	} want[] = {
		{"tcvn3.csv", "TCVN3", "read as TCVN3: 36 letters decoded"},
		{"vni.csv", "VNI-Windows", "read as VNI-Windows: 36 letters decoded"},
		{"cp1258.csv", "Windows-1258", "read as Windows-1258: 36 letters decoded"},
		{"nfd.csv", "utf-8", "read as UTF-8 with decomposed letters (normalised to NFC): 36 "
		                     "letters with diacritics"},
		{"utf8.csv", "utf-8", NULL},
	};
	struct hx_test_dirs d = hx_test_dirs_make();
	size_t n;
	char *bytes;
	struct hx_test_output o;
	json_t *sum, *files, *f = NULL;
	size_t i;

	bytes = encoded("TCVN5712-1", tally_utf8, &n);
	put_bytes(d.inbox, "tcvn3.csv", bytes, n);
	free(bytes);
	bytes = encoded("CP1258", tally_utf8, &n);
	put_bytes(d.inbox, "cp1258.csv", bytes, n);
	free(bytes);
	hx_test_put(d.inbox, "vni.csv", tally_vni);
	hx_test_put(d.inbox, "nfd.csv", tally_nfd);
	hx_test_put(d.inbox, "utf8.csv", tally_utf8);
	o = INGEST(db, "-v", "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected,
	           "--summary", d.summary);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_expect(strstr(o.err, "vni.csv: loaded, 3 rows read, 3 loaded, 0 rejected; read as "
	                        "VNI-Windows: 36 letters decoded") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	sum = json_load_file(d.summary, 0, NULL);
	cr_assert(sum != NULL);
	files = json_object_get(sum, "files");
	for (i = 0; i < lengthof(want); i++) {
		char sql[256], *got;
		size_t k;

		/* The same rows from every encoding, text in NFC. */
		expect_text(rows_of(want[i].name), WANT_ROWS);
		snprintf(sql, sizeof sql, "SELECT concat_ws('|', encoding, encoding_note) FROM "
		         "staging.files WHERE name = '%s'", want[i].name);
		got = qtext(sql);
		{
			char *w = hx_asprintf("%s%s%s", want[i].encoding, want[i].note ? "|" : "",
			                      want[i].note ? want[i].note : "");

			expect_text(got, w);
			free(w);
		}
		json_array_foreach(files, k, f)
			if (strcmp(json_string_value(json_object_get(f, "name")), want[i].name) == 0)
				break;
		cr_assert(k < json_array_size(files), "%s not in the summary", want[i].name);
		if (want[i].note != NULL)
			cr_expect(json_string_value(json_object_get(f, "encoding_note")) != NULL &&
			          strcmp(json_string_value(json_object_get(f, "encoding_note")),
			                 want[i].note) == 0, "%s", want[i].name);
		else
			cr_expect(json_object_get(f, "encoding_note") == json_null(), "%s", want[i].name);
	}
	json_decref(sum);
	hx_test_dirs_free(&d);
}

Test(ingest_encodings, encoding_option_overrides_the_guess)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	char *vni = hx_asprintf("%s/vni.csv", d.top), *utf8 = hx_asprintf("%s/utf8.csv", d.top);
	struct hx_test_output o;

	hx_test_put(d.top, "vni.csv", tally_vni);
	hx_test_put(d.top, "utf8.csv", tally_utf8);
	o = INGEST(db, "--encoding", "vni", vni);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	expect_text(rows_of("vni.csv"), WANT_ROWS);
	expect_text(qtext("SELECT encoding_note FROM staging.files WHERE name = 'vni.csv'"),
	            "read as VNI-Windows, as --encoding says");
	/* The header kept for a rejects file is the text read, in UTF-8. */
	expect_text(qtext("SELECT header FROM staging.files WHERE name = 'vni.csv'"),
	            "Năm;Mã đơn vị;Danh hiệu;Tổng số;Được công nhận;Ghi chú");
	/* UTF-8 read as Windows-1258: the guess was overruled, and ư's second byte is none
	 * of that code page's. */
	o = INGEST(db, "--encoding", "windows-1258", utf8);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_expect(strstr(o.err, "utf8.csv: rejected, nothing loaded: not valid Windows-1258 at byte "
	                        "offset 45 (byte 0x90)") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	o = INGEST(db, "--encoding", "latin1", utf8);
	cr_assert(eq(int, o.status, 64), "%s", o.err);
	cr_expect(strstr(o.err, "invalid value \"latin1\" for option --encoding (utf-8, tcvn3 (abc), "
	                        "vni, windows-1258)") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	free(vni);
	free(utf8);
	hx_test_dirs_free(&d);
}

/*
 * The encoding is guessed from the file's first 64 KiB; a byte past them
 * that it cannot read rejects the file as not text, naming that byte.
 */
Test(ingest_encodings, a_byte_the_encoding_cannot_read_is_named)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	char *path = hx_asprintf("%s/vni-long.csv", d.top);
	struct hx_buf b;
	struct hx_test_output o;
	char want[128];
	size_t at;

	hx_buf_init(&b, 1 << 20);
	hx_buf_puts(&b, tally_vni);
	for (int i = 0; b.len < 70000; i++)
		hx_buf_printf(&b, "2020;00007;Gia \xF1\xECnh ho\xEF\x63 ta\xE4p;%d;1;Xo\xF9m %d\n", i + 2,
		              i);
	at = b.len + 15;
	hx_buf_puts(&b, "2020;00007;Gia \x81;1;1;\n");
	hx_test_write_file(path, b.data, b.len);
	o = INGEST(db, path);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	snprintf(want, sizeof want, "vni-long.csv: rejected, nothing loaded: not valid VNI-Windows at "
	         "byte offset %zu (byte 0x81)", at);
	cr_expect(strstr(o.err, want) != NULL, "%s\nwant %s", o.err, want);
	hx_test_output_free(&o);
	expect_text(qtext("SELECT concat_ws('|', status, rows_loaded, coalesce(encoding, 'none')) "
	                  "FROM staging.files"), "rejected|0|none");
	expect_text(qtext("SELECT reason FROM staging.rejects WHERE line IS NULL"), "not_text");
	hx_buf_free(&b);
	free(path);
	hx_test_dirs_free(&d);
}
