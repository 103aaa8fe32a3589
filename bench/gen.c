/*
 * gen.c — hoctap-bench-gen: deterministic national-shaped data for the
 * benchmarks (issue 7).  The country of docs/design.md §8: 63 provinces with
 * their statistics-office codes, ~700 districts and ~10,600 communes in
 * realistic proportions, ~27 million households a year at --scale 1.0.
 *
 * Everything is a pure function of (seed, unit, household, year, variant):
 * a splitmix64-style hash, no state carried between rows, so the same
 * arguments give byte-identical files, a --provinces subset gives exactly
 * the files of the full run, and output streams in constant memory through
 * a few fixed 1 MiB buffers written with write(2).
 *
 * Each province sends, per year, a register list, a tally and a fund file
 * in one of three spreadsheet styles (English; Vietnamese Excel with BOM,
 * ';', CRLF, "x"/"" and "87,5"; Vietnamese with ',' quoting, "có"/"không"),
 * as provincial offices do.  --single-register writes one big register in
 * the form psql's COPY also reads (the B1 baseline); --small-tallies writes
 * many small tally files (B2).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lengthof.h"

#define PROG "hoctap-bench-gen"
#define EX_USAGE_ 64
#define EX_CANTCREAT_ 73
#define EX_IOERR_ 74

#define OBUF_SIZE (1u << 20)
#define OBUF_ROOM 4096u /* a row never needs more */
#define MAX_YEARS 40
#define MAX_DISTRICTS 40
#define HOUSEHOLDS_AT_SCALE_1 27000000.0

/* ---------------------------------------------------------------------- */
/* The country (pre-2025 units; counts approximate the 2019–2020 ones). */

struct province {
	const char *code;
	const char *name; /* with its "Tỉnh"/"Thành phố" prefix */
	int districts;
	int communes;
	int pop_k; /* population, thousands (2019 census, rounded) */
};

static const struct province provinces[] = {
	{"01", "Thành phố Hà Nội", 30, 579, 8053},
	{"02", "Tỉnh Hà Giang", 11, 193, 854},
	{"04", "Tỉnh Cao Bằng", 10, 161, 530},
	{"06", "Tỉnh Bắc Kạn", 8, 108, 314},
	{"08", "Tỉnh Tuyên Quang", 7, 138, 785},
	{"10", "Tỉnh Lào Cai", 9, 152, 731},
	{"11", "Tỉnh Điện Biên", 10, 129, 599},
	{"12", "Tỉnh Lai Châu", 8, 106, 460},
	{"14", "Tỉnh Sơn La", 12, 204, 1248},
	{"15", "Tỉnh Yên Bái", 9, 173, 822},
	{"17", "Tỉnh Hoà Bình", 10, 151, 854},
	{"19", "Tỉnh Thái Nguyên", 9, 178, 1287},
	{"20", "Tỉnh Lạng Sơn", 11, 200, 782},
	{"22", "Tỉnh Quảng Ninh", 13, 177, 1320},
	{"24", "Tỉnh Bắc Giang", 10, 209, 1803},
	{"25", "Tỉnh Phú Thọ", 13, 225, 1463},
	{"26", "Tỉnh Vĩnh Phúc", 9, 136, 1151},
	{"27", "Tỉnh Bắc Ninh", 8, 126, 1368},
	{"30", "Tỉnh Hải Dương", 12, 235, 1892},
	{"31", "Thành phố Hải Phòng", 15, 217, 2028},
	{"33", "Tỉnh Hưng Yên", 10, 161, 1252},
	{"34", "Tỉnh Thái Bình", 8, 260, 1860},
	{"35", "Tỉnh Hà Nam", 6, 109, 852},
	{"36", "Tỉnh Nam Định", 10, 226, 1780},
	{"37", "Tỉnh Ninh Bình", 8, 143, 982},
	{"38", "Tỉnh Thanh Hóa", 27, 559, 3640},
	{"40", "Tỉnh Nghệ An", 21, 460, 3327},
	{"42", "Tỉnh Hà Tĩnh", 13, 216, 1288},
	{"44", "Tỉnh Quảng Bình", 8, 151, 895},
	{"45", "Tỉnh Quảng Trị", 10, 125, 632},
	{"46", "Tỉnh Thừa Thiên Huế", 9, 141, 1128},
	{"48", "Thành phố Đà Nẵng", 8, 56, 1134},
	{"49", "Tỉnh Quảng Nam", 18, 241, 1495},
	{"51", "Tỉnh Quảng Ngãi", 13, 173, 1231},
	{"52", "Tỉnh Bình Định", 11, 155, 1486},
	{"54", "Tỉnh Phú Yên", 9, 110, 872},
	{"56", "Tỉnh Khánh Hòa", 9, 139, 1231},
	{"58", "Tỉnh Ninh Thuận", 7, 65, 590},
	{"60", "Tỉnh Bình Thuận", 10, 124, 1230},
	{"62", "Tỉnh Kon Tum", 10, 102, 540},
	{"64", "Tỉnh Gia Lai", 17, 220, 1513},
	{"66", "Tỉnh Đắk Lắk", 15, 184, 1869},
	{"67", "Tỉnh Đắk Nông", 8, 71, 622},
	{"68", "Tỉnh Lâm Đồng", 12, 142, 1296},
	{"70", "Tỉnh Bình Phước", 11, 111, 994},
	{"72", "Tỉnh Tây Ninh", 9, 94, 1169},
	{"74", "Tỉnh Bình Dương", 9, 91, 2455},
	{"75", "Tỉnh Đồng Nai", 11, 170, 3097},
	{"77", "Tỉnh Bà Rịa - Vũng Tàu", 8, 82, 1148},
	{"79", "Thành phố Hồ Chí Minh", 22, 312, 8993},
	{"80", "Tỉnh Long An", 15, 188, 1688},
	{"82", "Tỉnh Tiền Giang", 11, 172, 1764},
	{"83", "Tỉnh Bến Tre", 9, 157, 1288},
	{"84", "Tỉnh Trà Vinh", 9, 106, 1009},
	{"86", "Tỉnh Vĩnh Long", 8, 107, 1022},
	{"87", "Tỉnh Đồng Tháp", 12, 143, 1599},
	{"89", "Tỉnh An Giang", 11, 156, 1908},
	{"91", "Tỉnh Kiên Giang", 15, 144, 1723},
	{"92", "Thành phố Cần Thơ", 9, 83, 1235},
	{"93", "Tỉnh Hậu Giang", 8, 75, 733},
	{"94", "Tỉnh Sóc Trăng", 11, 109, 1199},
	{"95", "Tỉnh Bạc Liêu", 7, 64, 907},
	{"96", "Tỉnh Cà Mau", 9, 101, 1193},
};
#define NPROV ((int)lengthof(provinces))

static const char *const syllables[] = {
	"An", "Bình", "Hòa", "Phú", "Tân", "Thành", "Long", "Phước", "Mỹ", "Hưng",
	"Thịnh", "Lộc", "Đông", "Tây", "Nam", "Bắc", "Trung", "Quang", "Vĩnh", "Yên",
	"Đức", "Thuận", "Hiệp", "Xuân", "Hải", "Sơn", "Lâm", "Thủy", "Kim", "Ngọc",
	"Hồng", "Minh", "Nghĩa", "Tiến", "Thắng", "Lợi", "Phong", "Cát", "Hà", "Lạc",
	"Khánh", "Định", "Hiếu", "Tường", "Vân", "Đồng", "Cẩm", "Liên", "Hợp", "Thạch",
	"Châu", "Điền", "Quý", "Trường", "Tiên", "Dương", "Hương", "Khê", "Ninh", "Tú"};
#define NSYL ((unsigned)lengthof(syllables))

/* Family names with their share in tenths of a percent (they sum to 1000). */
static const struct {
	const char *name;
	unsigned permille;
} family_names[] = {
	{"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70}, {"Hoàng", 31},
	{"Huỳnh", 20}, {"Phan", 45}, {"Vũ", 20}, {"Võ", 19}, {"Đặng", 21},
	{"Bùi", 20}, {"Đỗ", 14}, {"Hồ", 13}, {"Ngô", 13}, {"Dương", 10},
	{"Lý", 5}, {"Đinh", 12}, {"Trương", 10}, {"Lương", 8}, {"Mai", 8},
	{"Đào", 8}, {"Cao", 7}, {"Lâm", 6}, {"Hà", 7}, {"Tạ", 4},
	{"Kiều", 3}, {"Chu", 4}, {"Lò", 4}, {"Triệu", 6}, {"Nông", 7}};
#define NFAM ((unsigned)lengthof(family_names))

static const char *const middle_m[] = {"Văn", "Đức", "Minh", "Quang", "Hữu", "Công",
                                       "Xuân", "Thanh", "Đình", "Văn"};
static const char *const middle_f[] = {"Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim",
                                       "Thị Thu", "Mỹ"};
static const char *const given_m[] = {
	"An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long",
	"Minh", "Nam", "Phong", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Tuấn", "Việt",
	"Vinh", "Hiếu", "Toàn", "Trung", "Lâm", "Hòa", "Tâm", "Phúc", "Đông", "Kiên"};
static const char *const given_f[] = {
	"Anh", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh", "Loan",
	"Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Thảo", "Thủy", "Trang", "Tuyết",
	"Vân", "Yến", "Xuân", "Hồng"};
#define NELEM(a) ((unsigned)lengthof(a))

/* ---------------------------------------------------------------------- */
/* Hashing: every value is a function of its coordinates. */

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15u;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t hash4(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
	return mix64(mix64(mix64(mix64(seed) ^ a) ^ b) ^ c);
}

/* Domain tags, so different uses of the same coordinates do not correlate. */
enum { H_COMMUNE = 1, H_DISTRICT, H_HOUSEHOLD, H_STATUS, H_STYLE, H_FUND, H_TALLY, H_UNITNAME };

static unsigned pick(uint64_t h, unsigned n, unsigned shift)
{
	return (unsigned)((h >> shift) % n);
}

/* ---------------------------------------------------------------------- */
/* Output buffers: one per open file, flushed with write(2). */

struct obuf {
	int fd;
	size_t n;
	uint64_t bytes;
	uint64_t rows;
	uint64_t sums[3]; /* register: registered, recognized, exemplary rows */
	char path[PATH_MAX];
	char buf[OBUF_SIZE];
};

static void die_io(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s \"%s\": %s\n", PROG, what, path, strerror(errno));
	exit(EX_IOERR_);
}

static void ob_flush(struct obuf *o)
{
	size_t off = 0;

	while (off < o->n) {
		ssize_t w = write(o->fd, o->buf + off, o->n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die_io("cannot write", o->path);
		}
		off += (size_t)w;
	}
	o->bytes += o->n;
	o->n = 0;
}

static struct obuf *ob_open(const char *path)
{
	struct obuf *o = malloc(sizeof *o);

	if (o == NULL) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		exit(EX_IOERR_);
	}
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (o->fd < 0) {
		fprintf(stderr, "%s: cannot create \"%s\": %s\n", PROG, path, strerror(errno));
		exit(EX_CANTCREAT_);
	}
	o->n = 0;
	o->bytes = 0;
	o->rows = 0;
	memset(o->sums, 0, sizeof o->sums);
	snprintf(o->path, sizeof o->path, "%s", path);
	return o;
}

static void ob_close(struct obuf *o)
{
	ob_flush(o);
	if (close(o->fd) != 0)
		die_io("cannot close", o->path);
	free(o);
}

/* Call before each row: guarantees OBUF_ROOM bytes. */
static void ob_room(struct obuf *o)
{
	if (o->n + OBUF_ROOM > OBUF_SIZE)
		ob_flush(o);
}

static void ob_ch(struct obuf *o, char c)
{
	o->buf[o->n++] = c;
}

static void ob_str(struct obuf *o, const char *s)
{
	size_t len = strlen(s);

	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static void ob_u(struct obuf *o, uint64_t v)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (i > 0)
		o->buf[o->n++] = tmp[--i];
}

/* v zero-padded to width digits. */
static void ob_u_pad(struct obuf *o, uint64_t v, int width)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (i < width)
		tmp[i++] = '0';
	while (i > 0)
		o->buf[o->n++] = tmp[--i];
}

/* v with sep between groups of three digits ("7.862"); sep 0: none. */
static void ob_u_grouped(struct obuf *o, uint64_t v, char sep)
{
	char tmp[32];
	int i = 0, d = 0;

	do {
		if (sep != 0 && d > 0 && d % 3 == 0)
			tmp[i++] = sep;
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
		d++;
	} while (v > 0);
	while (i > 0)
		o->buf[o->n++] = tmp[--i];
}

/* ---------------------------------------------------------------------- */
/* Spreadsheet styles. */

enum style_kind { STYLE_EN, STYLE_VI_EXCEL, STYLE_VI_COMMA, STYLE_PLAIN, STYLE_CLERK };

struct style {
	enum style_kind kind;
	char delim;
	const char *eol;
	int bom;
	int vi_headers;
	int vi_numbers;   /* '.' groups thousands, ',' is the decimal mark */
	int quote_commas; /* a value holding the delimiter is quoted */
	const char *yes, *no;
	const char *const *titles; /* by enum title */
};

enum title { T_FAMILY, T_CLAN, T_COMMUNITY, T_COMMUNE, T_UNIT, NTITLES };

static const char *const titles_en[NTITLES] = {"family", "clan", "community", "commune", "unit"};
static const char *const titles_vi[NTITLES] = {
	"Gia đình học tập", "Dòng họ học tập", "Cộng đồng học tập", "Cộng đồng học tập cấp xã",
	"Đơn vị học tập"};
static const char *const titles_vi2[NTITLES] = {
	"Gia đình hiếu học", "Dòng họ hiếu học", "Cộng đồng học tập", "Cộng đồng học tập cấp xã",
	"Đơn vị học tập"};

static const struct style styles[] = {
	[STYLE_EN] = {STYLE_EN, ',', "\n", 0, 0, 0, 0, "1", "0", titles_en},
	[STYLE_VI_EXCEL] = {STYLE_VI_EXCEL, ';', "\r\n", 1, 1, 1, 0, "x", "", titles_vi},
	[STYLE_VI_COMMA] = {STYLE_VI_COMMA, ',', "\n", 0, 1, 1, 1, "có", "không", titles_vi2},
	[STYLE_PLAIN] = {STYLE_PLAIN, ',', "\n", 0, 0, 0, 0, "true", "false", titles_en},
	/* A clerk's Excel export of a whole register: BOM, ';', CR LF, Vietnamese
	 * headers and titles, có/không, "72,5". */
	[STYLE_CLERK] = {STYLE_CLERK, ';', "\r\n", 1, 1, 1, 0, "có", "không", titles_vi},
};

/* Column headers, English and Vietnamese (common/vocab.c aliases). */
static const char *const reg_cols_en[] = {"year", "unit_code", "title", "entity_id", "registered",
                                          "recognized", "exemplary", "score", "village",
                                          "entity_name"};
static const char *const reg_cols_vi[] = {"Năm", "Mã đơn vị", "Danh hiệu", "Mã hộ",
                                          "Đăng ký", "Được công nhận", "Tiêu biểu", "Điểm",
                                          "Thôn", "Tên chủ hộ"};
static const char *const tally_cols_en[] = {"year", "unit_code", "title", "eligible",
                                            "registered", "recognized", "exemplary",
                                            "reported_rate", "submitted_at"};
static const char *const tally_cols_vi[] = {"Năm", "Mã đơn vị", "Danh hiệu", "Tổng số",
                                            "Đăng ký", "Được công nhận", "Tiêu biểu",
                                            "Tỷ lệ (%)", "Ngày gửi"};
static const char *const fund_cols_en[] = {"year", "unit_code", "mobilized_million_vnd",
                                           "scholarships", "scholarship_million_vnd"};
static const char *const fund_cols_vi[] = {"Năm", "Mã đơn vị", "Quỹ khuyến học (triệu đồng)",
                                           "Số suất học bổng", "Học bổng (triệu đồng)"};
static const char *const small_cols[] = {"year", "unit_code", "title", "eligible", "registered",
                                         "recognized", "exemplary"};

static void write_header(struct obuf *o, const struct style *st, const char *const *en,
                         const char *const *vi, unsigned n)
{
	unsigned i;

	ob_room(o);
	if (st->bom)
		ob_str(o, "\xEF\xBB\xBF");
	for (i = 0; i < n; i++) {
		if (i > 0)
			ob_ch(o, st->delim);
		ob_str(o, st->vi_headers ? vi[i] : en[i]);
	}
	ob_str(o, st->eol);
}

/*
 * A number given in tenths (8750 → "875" / "875,0"?  no: 875 → "87,5"),
 * written the style's way: "87,5" or "87.5", "1.234,5" or "1234.5", a whole
 * number without decimals.  Quoted when it holds the delimiter.
 */
static void write_tenths(struct obuf *o, const struct style *st, uint64_t tenths)
{
	uint64_t whole = tenths / 10, frac = tenths % 10;
	int quote = st->quote_commas && frac != 0;

	if (quote)
		ob_ch(o, '"');
	ob_u_grouped(o, whole, st->vi_numbers ? '.' : 0);
	if (frac != 0) {
		ob_ch(o, st->vi_numbers ? ',' : '.');
		ob_ch(o, (char)('0' + frac));
	}
	if (quote)
		ob_ch(o, '"');
}

/* A count: "7.862" in Vietnamese files, "7862" otherwise. */
static void write_count(struct obuf *o, const struct style *st, uint64_t v)
{
	ob_u_grouped(o, v, st->vi_numbers ? '.' : 0);
}

/* ---------------------------------------------------------------------- */
/* Options. */

struct opts {
	const char *out;
	const char *single;
	double scale;
	uint64_t seed;
	uint64_t variant;
	int years[MAX_YEARS];
	int nyears;
	int want_prov[NPROV]; /* all 1 unless --provinces */
	int kinds;            /* bit set of K_* */
	long small_files;
	long small_rows;
	enum style_kind single_style; /* --single-register's: STYLE_PLAIN or STYLE_CLERK */
};

enum { K_UNITS = 1, K_TARGETS = 2, K_REGISTER = 4, K_TALLY = 8, K_FUND = 16 };

/* ---------------------------------------------------------------------- */
/* Units: positions and names. */

struct commune {
	int prov;             /* index into provinces[] */
	int district_no;      /* national district number: code "%03d" */
	int district_in_prov; /* 0 = the provincial city */
	int first_in_district;
	long index;           /* national commune index */
	char code[24];
	double base_households; /* at scale 1, year 2020 */
	unsigned villages, clans, units;
	const char *village_word;
};

/* National offsets: the first district number and commune index of each province. */
static int prov_first_district[NPROV + 1];
static long prov_first_commune[NPROV + 1];
static long pop_total_k;

static void country_init(void)
{
	int p;

	prov_first_district[0] = 1;
	prov_first_commune[0] = 0;
	pop_total_k = 0;
	for (p = 0; p < NPROV; p++) {
		prov_first_district[p + 1] = prov_first_district[p] + provinces[p].districts;
		prov_first_commune[p + 1] = prov_first_commune[p] + provinces[p].communes;
		pop_total_k += provinces[p].pop_k;
	}
}

/* Commune counts of each district of province p (weights from the seed). */
static void district_split(uint64_t seed, int p, int *counts)
{
	unsigned w[MAX_DISTRICTS];
	unsigned long total = 0, acc = 0;
	int d, nd = provinces[p].districts, c = provinces[p].communes;
	long prev = 0;

	for (d = 0; d < nd; d++) {
		w[d] = 50 + pick(hash4(seed, H_DISTRICT, (uint64_t)p, (uint64_t)d), 100, 7);
		total += w[d];
	}
	for (d = 0; d < nd; d++) {
		long upto;
		acc += w[d];
		upto = (long)((unsigned long)c * acc / total);
		counts[d] = (int)(upto - prev);
		prev = upto;
	}
}

static const char *village_word_of(int p, int district_in_prov)
{
	int code = atoi(provinces[p].code);

	if (district_in_prov == 0)
		return code >= 70 ? "Khu phố" : "Tổ dân phố";
	return code >= 80 ? "Ấp" : (code <= 20 ? "Xóm" : "Thôn");
}

/* Fill c for the commune at position k of district d of province p. */
static void commune_at(uint64_t seed, int p, int d, int k, long index, struct commune *c)
{
	uint64_t h = hash4(seed, H_COMMUNE, (uint64_t)index, 0);
	double avg = HOUSEHOLDS_AT_SCALE_1 * (double)provinces[p].pop_k / (double)pop_total_k /
	             (double)provinces[p].communes;
	/* Wards of the provincial city are larger than rural communes. */
	double f = 0.4 + (double)pick(h, 1201, 0) / 1000.0;

	c->prov = p;
	c->district_no = prov_first_district[p] + d;
	c->district_in_prov = d;
	c->first_in_district = (k == 0);
	c->index = index;
	snprintf(c->code, sizeof c->code, "%05ld", index * 3 + 1);
	if (d == 0)
		f *= 1.6;
	else
		f *= 0.94;
	c->base_households = avg * f;
	c->villages = 3 + pick(h, 14, 12);
	c->clans = 4 + (unsigned)(c->base_households / 180.0) + pick(h, 9, 20);
	c->units = 3 + pick(h, 25, 28);
	c->village_word = village_word_of(p, d);
}

static unsigned long households_in(const struct commune *c, double scale, int year)
{
	double x = c->base_households * scale * (1.0 + 0.012 * (double)(year - 2020));
	unsigned long n = (unsigned long)(x + 0.5);

	return n == 0 ? 1 : n;
}

static void write_unit_name(struct obuf *o, const char *kind, uint64_t h)
{
	ob_str(o, kind);
	ob_ch(o, ' ');
	ob_str(o, syllables[pick(h, NSYL, 0)]);
	ob_ch(o, ' ');
	ob_str(o, syllables[pick(h, NSYL, 16)]);
}

/* Iterate the communes of province p: calls fn for each, in code order. */
typedef void (*commune_fn)(const struct commune *c, void *arg);

static void for_each_commune(uint64_t seed, int p, commune_fn fn, void *arg)
{
	int counts[MAX_DISTRICTS];
	int d, k;
	long index = prov_first_commune[p];
	struct commune c;

	district_split(seed, p, counts);
	for (d = 0; d < provinces[p].districts; d++)
		for (k = 0; k < counts[d]; k++) {
			commune_at(seed, p, d, k, index, &c);
			fn(&c, arg);
			index++;
		}
}

/* ---------------------------------------------------------------------- */
/* units.csv and targets.csv */

struct units_ctx {
	struct obuf *o;
	uint64_t seed;
};

static void unit_commune_row(const struct commune *c, void *arg)
{
	struct units_ctx *u = arg;
	const char *kind = c->district_in_prov == 0 ? "Phường"
	                   : c->first_in_district  ? "Thị trấn"
	                                           : "Xã";

	ob_room(u->o);
	ob_str(u->o, c->code);
	ob_ch(u->o, ',');
	write_unit_name(u->o, kind, hash4(u->seed, H_UNITNAME, 1, (uint64_t)c->index));
	ob_str(u->o, ",commune,");
	ob_u_pad(u->o, (uint64_t)c->district_no, 3);
	ob_ch(u->o, '\n');
	u->o->rows++;
}

static void write_units(const struct opts *op, const char *dir)
{
	char path[PATH_MAX];
	struct units_ctx u;
	int p, d;

	snprintf(path, sizeof path, "%s/units.csv", dir);
	u.o = ob_open(path);
	u.seed = op->seed;
	ob_str(u.o, "code,name,level,parent_code\n");
	for (p = 0; p < NPROV; p++) {
		if (!op->want_prov[p])
			continue;
		ob_room(u.o);
		ob_str(u.o, provinces[p].code);
		ob_ch(u.o, ',');
		ob_str(u.o, provinces[p].name);
		ob_str(u.o, ",province,\n");
		u.o->rows++;
	}
	for (p = 0; p < NPROV; p++)
		for (d = 0; d < provinces[p].districts && op->want_prov[p]; d++) {
			int no = prov_first_district[p] + d;
			int mountain = atoi(provinces[p].code) <= 20;
			const char *kind = d == 0 ? "Thành phố" : (d % 7 == 3 && !mountain) ? "Thị xã" : "Huyện";

			ob_room(u.o);
			ob_u_pad(u.o, (uint64_t)no, 3);
			ob_ch(u.o, ',');
			write_unit_name(u.o, kind, hash4(op->seed, H_UNITNAME, 2, (uint64_t)no));
			ob_str(u.o, ",district,");
			ob_str(u.o, provinces[p].code);
			ob_ch(u.o, '\n');
			u.o->rows++;
		}
	for (p = 0; p < NPROV; p++)
		if (op->want_prov[p])
			for_each_commune(op->seed, p, unit_commune_row, &u);
	printf("units.csv,units,,,%llu,%llu,,,\n", (unsigned long long)u.o->rows,
	       (unsigned long long)(u.o->bytes + u.o->n));
	ob_close(u.o);
}

static void write_targets(const struct opts *op, const char *dir)
{
	static const enum title keys[] = {T_FAMILY, T_CLAN, T_COMMUNITY, T_UNIT};
	/* 281/QĐ-TTg by 2020; 387/QĐ-TTg by 2025 (docs/design.md §2). */
	static const unsigned to2020[] = {70, 50, 60, 50};
	static const unsigned from2021[] = {70, 65, 65, 80};
	char path[PATH_MAX];
	struct obuf *o;
	int p, y;
	unsigned t;

	snprintf(path, sizeof path, "%s/targets.csv", dir);
	o = ob_open(path);
	ob_str(o, "scope_code,title,year,target_percent\n");
	for (p = 0; p < NPROV; p++)
		for (y = 0; y < op->nyears && op->want_prov[p]; y++)
			for (t = 0; t < NELEM(keys); t++) {
				ob_room(o);
				ob_str(o, provinces[p].code);
				ob_ch(o, ',');
				ob_str(o, titles_en[keys[t]]);
				ob_ch(o, ',');
				ob_u(o, (uint64_t)op->years[y]);
				ob_ch(o, ',');
				ob_u(o, op->years[y] <= 2020 ? to2020[t] : from2021[t]);
				ob_ch(o, '\n');
				o->rows++;
			}
	printf("targets.csv,targets,,,%llu,%llu,,,\n", (unsigned long long)o->rows,
	       (unsigned long long)(o->bytes + o->n));
	ob_close(o);
}

/* ---------------------------------------------------------------------- */
/* Households. */

struct status {
	int registered, recognized, exemplary;
	unsigned score10; /* tenths, when registered */
};

static void household_status(uint64_t seed, uint64_t variant, const struct commune *c,
                             unsigned long k, int year, struct status *s)
{
	uint64_t h = hash4(seed ^ (variant * 0x5851f42d4c957f2du), H_STATUS,
	                   ((uint64_t)c->index << 24) ^ k, (uint64_t)year);
	unsigned a = pick(h, 401, 20), b = pick(h, 401, 40);

	s->registered = pick(h, 1000, 0) < 930;
	/* max of two uniforms: scores lean high, as in real lists */
	s->score10 = 600 + (a > b ? a : b);
	s->recognized = s->registered && s->score10 >= 780;
	s->exemplary = s->recognized && s->score10 >= 990;
}

static void write_household_name(struct obuf *o, uint64_t h)
{
	unsigned r = pick(h, 1000, 0), acc = 0, i;
	int female = pick(h, 100, 10) < 27;

	for (i = 0; i < NFAM - 1; i++) {
		acc += family_names[i].permille;
		if (r < acc)
			break;
	}
	ob_str(o, family_names[i].name);
	ob_ch(o, ' ');
	if (female) {
		ob_str(o, middle_f[pick(h, NELEM(middle_f), 20)]);
		ob_ch(o, ' ');
		ob_str(o, given_f[pick(h, NELEM(given_f), 30)]);
	} else {
		ob_str(o, middle_m[pick(h, NELEM(middle_m), 20)]);
		ob_ch(o, ' ');
		ob_str(o, given_m[pick(h, NELEM(given_m), 30)]);
	}
}

static void write_bool(struct obuf *o, const struct style *st, int v)
{
	ob_str(o, v ? st->yes : st->no);
}

struct counts {
	unsigned long households, registered, recognized, exemplary;
};

/* The register rows of commune c for year, and their counts. */
static void write_register_commune(struct obuf *o, const struct style *st, const struct opts *op,
                                   const struct commune *c, int year, struct counts *n)
{
	unsigned long k, nh = households_in(c, op->scale, year);
	struct status s;

	memset(n, 0, sizeof *n);
	n->households = nh;
	for (k = 0; k < nh; k++) {
		uint64_t hh = hash4(op->seed, H_HOUSEHOLD, (uint64_t)c->index, k);

		household_status(op->seed, op->variant, c, k, year, &s);
		n->registered += (unsigned long)s.registered;
		n->recognized += (unsigned long)s.recognized;
		n->exemplary += (unsigned long)s.exemplary;
		o->sums[0] += (uint64_t)s.registered;
		o->sums[1] += (uint64_t)s.recognized;
		o->sums[2] += (uint64_t)s.exemplary;

		ob_room(o);
		ob_u(o, (uint64_t)year);
		ob_ch(o, st->delim);
		ob_str(o, c->code);
		ob_ch(o, st->delim);
		ob_str(o, st->titles[T_FAMILY]);
		ob_ch(o, st->delim);
		ob_str(o, c->code);
		ob_ch(o, '-');
		ob_u_pad(o, k + 1, 5);
		ob_ch(o, st->delim);
		write_bool(o, st, s.registered);
		ob_ch(o, st->delim);
		write_bool(o, st, s.recognized);
		ob_ch(o, st->delim);
		write_bool(o, st, s.exemplary);
		ob_ch(o, st->delim);
		if (s.registered)
			write_tenths(o, st, s.score10);
		ob_ch(o, st->delim);
		ob_str(o, c->village_word);
		ob_ch(o, ' ');
		ob_u(o, 1 + pick(hh, c->villages, 40));
		ob_ch(o, st->delim);
		write_household_name(o, hh);
		ob_str(o, st->eol);
		o->rows++;
	}
}

/* ---------------------------------------------------------------------- */
/* Tallies and funds. */

static void write_opt_count(struct obuf *o, const struct style *st, int known, uint64_t v)
{
	if (known)
		write_count(o, st, v);
}

/* percent with 2 decimals, rounded half up, of num/den (den > 0) */
static void write_rate(struct obuf *o, const struct style *st, uint64_t num, uint64_t den)
{
	uint64_t hundredths = (num * 20000 + den) / (2 * den);
	int quote = st->quote_commas;

	if (quote)
		ob_ch(o, '"');
	ob_u(o, hundredths / 100);
	ob_ch(o, st->vi_numbers ? ',' : '.');
	ob_u_pad(o, hundredths % 100, 2);
	if (quote)
		ob_ch(o, '"');
}

static void write_tally_row(struct obuf *o, const struct style *st, int year, const char *code,
                            enum title t, int has_elig, uint64_t elig, uint64_t reg,
                            uint64_t rec, int has_ex, uint64_t ex, int rate_base)
{
	ob_room(o);
	ob_u(o, (uint64_t)year);
	ob_ch(o, st->delim);
	ob_str(o, code);
	ob_ch(o, st->delim);
	ob_str(o, st->titles[t]);
	ob_ch(o, st->delim);
	write_opt_count(o, st, has_elig, elig);
	ob_ch(o, st->delim);
	write_count(o, st, reg);
	ob_ch(o, st->delim);
	write_count(o, st, rec);
	ob_ch(o, st->delim);
	write_opt_count(o, st, has_ex, ex);
	ob_ch(o, st->delim);
	/* the rate the commune wrote: of eligible, or of registered */
	if (rate_base == 1 && has_elig && elig > 0)
		write_rate(o, st, rec, elig);
	else if (rate_base == 2 && reg > 0)
		write_rate(o, st, rec, reg);
	ob_ch(o, st->delim);
	ob_u(o, (uint64_t)year + 1);
	ob_str(o, "-01-");
	ob_u_pad(o, 10 + (uint64_t)(code[4] - '0'), 2);
	ob_str(o, "T08:00:00+07:00");
	ob_str(o, st->eol);
	o->rows++;
}

static void write_tally_commune(struct obuf *o, const struct style *st, const struct opts *op,
                                const struct commune *c, int year, const struct counts *n)
{
	uint64_t h = hash4(op->seed ^ (op->variant * 0x5851f42d4c957f2du), H_TALLY,
	                   (uint64_t)c->index, (uint64_t)year);
	unsigned clan_reg = c->clans - pick(h, c->clans / 3 + 1, 0);
	unsigned clan_rec = clan_reg - pick(h, clan_reg / 2 + 1, 8);
	unsigned vil_rec = c->villages - pick(h, c->villages / 2 + 1, 16);
	unsigned unit_rec = c->units - pick(h, c->units / 3 + 1, 24);

	write_tally_row(o, st, year, c->code, T_FAMILY, 1, n->households, n->registered,
	                n->recognized, 1, n->exemplary, 1);
	write_tally_row(o, st, year, c->code, T_CLAN, 0, 0, clan_reg, clan_rec, 1,
	                pick(h, clan_rec / 4 + 1, 32), 2);
	write_tally_row(o, st, year, c->code, T_COMMUNITY, 1, c->villages, c->villages, vil_rec, 0,
	                0, 1);
	write_tally_row(o, st, year, c->code, T_COMMUNE, 1, 1, 1, pick(h, 10, 40) < 6, 0, 0, 0);
	write_tally_row(o, st, year, c->code, T_UNIT, 0, 0, c->units, unit_rec, 0, 0, 2);
}

static void write_fund_commune(struct obuf *o, const struct style *st, const struct opts *op,
                               const struct commune *c, int year)
{
	uint64_t h = hash4(op->seed ^ (op->variant * 0x5851f42d4c957f2du), H_FUND,
	                   (uint64_t)c->index, (uint64_t)year);
	/* 20,0 to ~2.500,0 million VND; scholarships 0.3 to 2 million each */
	uint64_t mobilized10 = 200 + pick(h, 24800, 0);
	uint64_t scholarships = pick(h, 61, 20);
	uint64_t each10 = 3 + pick(h, 18, 30);

	ob_room(o);
	ob_u(o, (uint64_t)year);
	ob_ch(o, st->delim);
	ob_str(o, c->code);
	ob_ch(o, st->delim);
	write_tenths(o, st, mobilized10);
	ob_ch(o, st->delim);
	write_count(o, st, scholarships);
	ob_ch(o, st->delim);
	write_tenths(o, st, scholarships * each10);
	ob_str(o, st->eol);
	o->rows++;
}

/* ---------------------------------------------------------------------- */
/* Per province-year submission files. */

struct prov_ctx {
	const struct opts *op;
	const struct style *st;
	int year;
	struct obuf *reg, *tally, *fund;
};

static void submission_commune(const struct commune *c, void *arg)
{
	struct prov_ctx *x = arg;
	struct counts n;

	if (x->reg != NULL) {
		write_register_commune(x->reg, x->st, x->op, c, x->year, &n);
	} else {
		/* counts without the list: the same households, not written */
		struct status s;
		unsigned long k;

		memset(&n, 0, sizeof n);
		n.households = households_in(c, x->op->scale, x->year);
		for (k = 0; k < n.households; k++) {
			household_status(x->op->seed, x->op->variant, c, k, x->year, &s);
			n.registered += (unsigned long)s.registered;
			n.recognized += (unsigned long)s.recognized;
			n.exemplary += (unsigned long)s.exemplary;
		}
	}
	if (x->tally != NULL)
		write_tally_commune(x->tally, x->st, x->op, c, x->year, &n);
	if (x->fund != NULL)
		write_fund_commune(x->fund, x->st, x->op, c, x->year);
}

static const struct style *style_of(uint64_t seed, int p)
{
	unsigned r = pick(hash4(seed, H_STYLE, (uint64_t)p, 0), 20, 0);

	return &styles[r < 8 ? STYLE_EN : r < 15 ? STYLE_VI_EXCEL : STYLE_VI_COMMA];
}

static struct obuf *open_kind(const char *dir, const char *kind, int year, int p)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof path, "%s/%s_%d_%s.csv", dir, kind, year, provinces[p].code) >=
	    (int)sizeof path)
		die_io("path too long", dir);
	return ob_open(path);
}

/* The manifest's last three columns: the register's true counts, or empty. */
static void print_sums(const struct obuf *o)
{
	if (o->sums[0] + o->sums[1] + o->sums[2] > 0 || o->rows == 0)
		printf("%llu,%llu,%llu\n", (unsigned long long)o->sums[0],
		       (unsigned long long)o->sums[1], (unsigned long long)o->sums[2]);
	else
		printf(",,\n");
}

static void close_kind(struct obuf *o, const char *kind, int year, int p)
{
	if (o == NULL)
		return;
	printf("%s_%d_%s.csv,%s,%s,%d,%llu,%llu,", kind, year, provinces[p].code, kind,
	       provinces[p].code, year, (unsigned long long)o->rows,
	       (unsigned long long)(o->bytes + o->n));
	print_sums(o);
	ob_close(o);
}

static void write_submissions(const struct opts *op, const char *dir)
{
	int p, y;

	for (y = 0; y < op->nyears; y++)
		for (p = 0; p < NPROV; p++) {
			struct prov_ctx x = {op, style_of(op->seed, p), op->years[y], NULL, NULL, NULL};

			if (!op->want_prov[p])
				continue;
			if (op->kinds & K_REGISTER) {
				x.reg = open_kind(dir, "register", x.year, p);
				write_header(x.reg, x.st, reg_cols_en, reg_cols_vi, NELEM(reg_cols_en));
			}
			if (op->kinds & K_TALLY) {
				x.tally = open_kind(dir, "tally", x.year, p);
				write_header(x.tally, x.st, tally_cols_en, tally_cols_vi,
				             NELEM(tally_cols_en));
			}
			if (op->kinds & K_FUND) {
				x.fund = open_kind(dir, "fund", x.year, p);
				write_header(x.fund, x.st, fund_cols_en, fund_cols_vi, NELEM(fund_cols_en));
			}
			if (x.reg == NULL && x.tally == NULL && x.fund == NULL)
				continue;
			for_each_commune(op->seed, p, submission_commune, &x);
			close_kind(x.reg, "register", x.year, p);
			close_kind(x.tally, "tally", x.year, p);
			close_kind(x.fund, "fund", x.year, p);
		}
}

/* ---------------------------------------------------------------------- */
/*
 * --single-register: one file in the form psql's COPY reads too, or with
 * --style=clerk the same rows as a clerk's spreadsheet writes them.
 */

struct single_ctx {
	const struct opts *op;
	struct obuf *o;
	int year;
};

static void single_commune(const struct commune *c, void *arg)
{
	struct single_ctx *x = arg;
	struct counts n;

	write_register_commune(x->o, &styles[x->op->single_style], x->op, c, x->year, &n);
}

static void write_single(const struct opts *op)
{
	struct single_ctx x = {op, ob_open(op->single), 0};
	int p, y;

	write_header(x.o, &styles[op->single_style], reg_cols_en, reg_cols_vi, NELEM(reg_cols_en));
	for (y = 0; y < op->nyears; y++)
		for (p = 0; p < NPROV; p++) {
			if (!op->want_prov[p])
				continue;
			x.year = op->years[y];
			for_each_commune(op->seed, p, single_commune, &x);
		}
	printf("%s,register,,,%llu,%llu,", op->single, (unsigned long long)x.o->rows,
	       (unsigned long long)(x.o->bytes + x.o->n));
	print_sums(x.o);
	ob_close(x.o);
}

/* ---------------------------------------------------------------------- */
/* --small-tallies: N files of R rows, distinct (year, commune, title) keys. */

struct small_ctx {
	const struct opts *op;
	struct obuf *o;
	long file_no, row_in_file, files_done;
	int year;
	char dir[PATH_MAX];
};

static void small_open(struct small_ctx *x)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof path, "%s/tally_%05ld.csv", x->dir, x->file_no + 1) >=
	    (int)sizeof path)
		die_io("path too long", x->dir);
	x->o = ob_open(path);
	write_header(x->o, &styles[STYLE_PLAIN], small_cols, small_cols, NELEM(small_cols));
	x->row_in_file = 0;
}

static void small_commune(const struct commune *c, void *arg)
{
	struct small_ctx *x = arg;
	const struct style *st = &styles[STYLE_PLAIN];
	uint64_t h = hash4(x->op->seed, H_TALLY, (uint64_t)c->index, (uint64_t)x->year);
	unsigned long nh = households_in(c, 1.0, x->year);
	unsigned long reg = nh - nh * pick(h, 120, 0) / 1000;
	unsigned long rec = reg - reg * (100 + pick(h, 200, 8)) / 1000;
	uint64_t v[NTITLES][4] = {
		{nh, reg, rec, rec / 40},
		{0, c->clans, c->clans * 2 / 3, c->clans / 6},
		{c->villages, c->villages, c->villages * 3 / 4, 0},
		{1, 1, pick(h, 10, 40) < 6, 0},
		{0, c->units, c->units * 4 / 5, 0}};
	int t;

	for (t = 0; t < NTITLES; t++) {
		if (x->files_done >= x->op->small_files)
			return;
		if (x->o == NULL)
			small_open(x);
		ob_room(x->o);
		ob_u(x->o, (uint64_t)x->year);
		ob_ch(x->o, ',');
		ob_str(x->o, c->code);
		ob_ch(x->o, ',');
		ob_str(x->o, st->titles[t]);
		ob_ch(x->o, ',');
		if (t != T_CLAN && t != T_UNIT)
			ob_u(x->o, v[t][0]);
		ob_ch(x->o, ',');
		ob_u(x->o, v[t][1]);
		ob_ch(x->o, ',');
		ob_u(x->o, v[t][2]);
		ob_ch(x->o, ',');
		ob_u(x->o, v[t][3]);
		ob_ch(x->o, '\n');
		x->o->rows++;
		if (++x->row_in_file == x->op->small_rows) {
			ob_close(x->o);
			x->o = NULL;
			x->file_no++;
			x->files_done++;
		}
	}
}

static int write_small(const struct opts *op, const char *dir)
{
	struct small_ctx x;
	int p, y;

	memset(&x, 0, sizeof x);
	x.op = op;
	snprintf(x.dir, sizeof x.dir, "%s", dir);
	for (y = 0; y < op->nyears && x.files_done < op->small_files; y++)
		for (p = 0; p < NPROV && x.files_done < op->small_files; p++) {
			if (!op->want_prov[p])
				continue;
			x.year = op->years[y];
			for_each_commune(op->seed, p, small_commune, &x);
		}
	if (x.o != NULL) {
		ob_close(x.o);
		x.files_done++;
	}
	if (x.files_done < op->small_files) {
		fprintf(stderr, "%s: only %ld distinct files of %ld rows fit in the years given\n",
		        PROG, x.files_done, op->small_rows);
		return EX_USAGE_;
	}
	printf("small,tally,,,%ld,%ld,,,\n", op->small_files * op->small_rows, x.files_done);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Command line. */

static void usage(void)
{
	printf("%s writes deterministic national-shaped hoctap test data.\n\n"
	       "Usage:\n"
	       "  %s --out DIR [OPTION]...               units, targets and, per province\n"
	       "                                          and year, register/tally/fund files\n"
	       "  %s --single-register FILE [OPTION]...  one register psql can COPY\n"
	       "  %s --small-tallies N --out DIR [OPTION]...  N tally files of --rows rows\n"
	       "\nOptions:\n"
	       "  -s, --scale=S          0.0001..1.0; 1.0 = ~27 million households a year\n"
	       "  -y, --years=LIST       e.g. 2019,2020 or 2016-2020 (default 2020)\n"
	       "  -p, --provinces=LIST   only these provinces (units and submissions),\n"
	       "                         e.g. 01,79; codes and values stay as in the full run\n"
	       "  -k, --kinds=LIST       of units,targets,register,tally,fund (default all)\n"
	       "      --variant=N        a corrected resubmission: other values, same units\n"
	       "      --seed=N           (default 20191)\n"
	       "      --rows=R           rows per --small-tallies file (default 50)\n"
	       "      --style=plain|clerk  --single-register's form: psql's (default), or\n"
	       "                         a clerk's (BOM, ';', CR LF, Vietnamese, có/không)\n"
	       "\nOn stdout, one line per file written: file,kind,province,year,rows,bytes\n"
	       "and, for registers, how many rows are registered,recognized,exemplary.\n",
	       PROG, PROG, PROG, PROG);
}

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s: \"%s\"\nTry \"%s --help\" for more information.\n", PROG, msg,
	        arg, PROG);
	return EX_USAGE_;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return (errno != 0 || *end != '\0') ? -1 : 0;
}

static int parse_years(const char *s, struct opts *op)
{
	char buf[512];
	char *tok, *save = NULL;

	if (strlen(s) >= sizeof buf)
		return -1;
	strcpy(buf, s);
	op->nyears = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		long a, b, y;
		char *end;

		a = strtol(tok, &end, 10);
		if (dash != NULL) {
			if (end != dash)
				return -1;
			b = strtol(dash + 1, &end, 10);
		} else {
			b = a;
		}
		if (*end != '\0' || a < 2000 || b > 2100 || a > b)
			return -1;
		for (y = a; y <= b; y++) {
			if (op->nyears == MAX_YEARS)
				return -1;
			op->years[op->nyears++] = (int)y;
		}
	}
	return op->nyears > 0 ? 0 : -1;
}

static int parse_provinces(const char *s, struct opts *op)
{
	char buf[1024];
	char *tok, *save = NULL;
	int p, found;

	if (strlen(s) >= sizeof buf)
		return -1;
	strcpy(buf, s);
	memset(op->want_prov, 0, sizeof op->want_prov);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		found = 0;
		for (p = 0; p < NPROV; p++)
			if (strcmp(provinces[p].code, tok) == 0) {
				op->want_prov[p] = 1;
				found = 1;
			}
		if (!found)
			return -1;
	}
	return 0;
}

static int parse_kinds(const char *s, struct opts *op)
{
	static const struct {
		const char *name;
		int bit;
	} kinds[] = {{"units", K_UNITS}, {"targets", K_TARGETS}, {"register", K_REGISTER},
	             {"tally", K_TALLY}, {"fund", K_FUND}};
	char buf[256];
	char *tok, *save = NULL;
	unsigned i;

	if (strlen(s) >= sizeof buf)
		return -1;
	strcpy(buf, s);
	op->kinds = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NELEM(kinds); i++)
			if (strcmp(kinds[i].name, tok) == 0)
				break;
		if (i == NELEM(kinds))
			return -1;
		op->kinds |= kinds[i].bit;
	}
	return op->kinds != 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	enum { OPT_VARIANT = 0x100, OPT_SEED, OPT_ROWS, OPT_SINGLE, OPT_SMALL, OPT_STYLE, OPT_HELP };
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"scale", required_argument, NULL, 's'},
		{"years", required_argument, NULL, 'y'},
		{"provinces", required_argument, NULL, 'p'},
		{"kinds", required_argument, NULL, 'k'},
		{"variant", required_argument, NULL, OPT_VARIANT},
		{"seed", required_argument, NULL, OPT_SEED},
		{"rows", required_argument, NULL, OPT_ROWS},
		{"single-register", required_argument, NULL, OPT_SINGLE},
		{"small-tallies", required_argument, NULL, OPT_SMALL},
		{"style", required_argument, NULL, OPT_STYLE},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0}};
	struct opts op;
	uint64_t v;
	char *end;
	int c, p;

	memset(&op, 0, sizeof op);
	op.scale = 0.01;
	op.seed = 20191;
	op.years[0] = 2020;
	op.nyears = 1;
	op.kinds = K_UNITS | K_TARGETS | K_REGISTER | K_TALLY | K_FUND;
	op.small_rows = 50;
	op.single_style = STYLE_PLAIN;
	for (p = 0; p < NPROV; p++)
		op.want_prov[p] = 1;

	while ((c = getopt_long(argc, argv, "o:s:y:p:k:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			op.out = optarg;
			break;
		case 's':
			errno = 0;
			op.scale = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || !(op.scale >= 0.0001 && op.scale <= 1.0))
				return bad("--scale must be a number from 0.0001 to 1.0", optarg);
			break;
		case 'y':
			if (parse_years(optarg, &op) < 0)
				return bad("--years must be years 2000..2100 like 2019,2020 or 2016-2020",
				           optarg);
			break;
		case 'p':
			if (parse_provinces(optarg, &op) < 0)
				return bad("--provinces must list province codes like 01,79", optarg);
			break;
		case 'k':
			if (parse_kinds(optarg, &op) < 0)
				return bad("--kinds must list units,targets,register,tally,fund", optarg);
			break;
		case OPT_VARIANT:
			if (parse_u64(optarg, &op.variant) < 0)
				return bad("--variant must be a whole number", optarg);
			break;
		case OPT_SEED:
			if (parse_u64(optarg, &op.seed) < 0)
				return bad("--seed must be a whole number", optarg);
			break;
		case OPT_ROWS:
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > 1000000)
				return bad("--rows must be 1..1000000", optarg);
			op.small_rows = (long)v;
			break;
		case OPT_SINGLE:
			op.single = optarg;
			break;
		case OPT_SMALL:
			if (parse_u64(optarg, &v) < 0 || v < 1 || v > 1000000)
				return bad("--small-tallies must be 1..1000000", optarg);
			op.small_files = (long)v;
			break;
		case OPT_STYLE:
			if (strcmp(optarg, "plain") == 0)
				op.single_style = STYLE_PLAIN;
			else if (strcmp(optarg, "clerk") == 0)
				op.single_style = STYLE_CLERK;
			else
				return bad("--style must be plain or clerk", optarg);
			break;
		case OPT_HELP:
			usage();
			return 0;
		default:
			fprintf(stderr, "Try \"%s --help\" for more information.\n", PROG);
			return EX_USAGE_;
		}
	}
	if (optind < argc)
		return bad("unexpected argument", argv[optind]);
	if (op.single != NULL && op.small_files > 0)
		return bad("choose one of", "--single-register, --small-tallies");
	if (op.single == NULL && op.out == NULL)
		return bad("name an output", "--out DIR or --single-register FILE");

	country_init();
	if (op.out != NULL && mkdir(op.out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "%s: cannot create \"%s\": %s\n", PROG, op.out, strerror(errno));
		return EX_CANTCREAT_;
	}
	printf("file,kind,province,year,rows,bytes,registered,recognized,exemplary\n");
	if (op.single != NULL) {
		write_single(&op);
	} else if (op.small_files > 0) {
		int rc = write_small(&op, op.out);
		if (rc != 0)
			return rc;
	} else {
		if (op.kinds & K_UNITS)
			write_units(&op, op.out);
		if (op.kinds & K_TARGETS)
			write_targets(&op, op.out);
		write_submissions(&op, op.out);
	}
	if (fflush(stdout) != 0)
		return EX_IOERR_;
	return 0;
}
