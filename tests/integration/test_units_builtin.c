/*
 * The shipped unit lists of both eras (ref/, issue 18): --migrate loads them
 * into a database without units and says the lists' own flaws with counts
 * and examples; any real code of either era is then accepted; the lineage
 * has the kinds the table's notes say; --units builtin,FILE adds a
 * province's units and later periods, and refuses, naming file and line
 * and changing nothing, a file that contradicts the lists, a code used
 * outside its validity or an unknown code.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lengthof.h"
#include "testsupport.h"

#define assert_value(c, want, ...) hx_test_assert_value((c), (want), __VA_ARGS__)


static void assert_has(const char *text, const char *want)
{
	cr_assert(strstr(text, want) != NULL, "lacks\n%s\n--- in:\n%s", want, text);
}

static struct hx_test_output ingest(const char *conninfo, const char *a1, const char *a2)
{
	const char *args[] = {a1, a2, NULL};

	return hx_test_program("hoctap-ingest", conninfo, args);
}

/*
 * What each test works on, made by setup and removed by teardown whatever
 * the test reached (a failed assertion leaves the test at once; .fini
 * still runs): a database with the shipped units, loaded by --migrate,
 * what that run printed, and an empty directory.
 */
static char *db, *dir;
static struct hx_test_output migrated;

static void setup(void)
{
	db = hx_test_db_create(0);
	migrated = ingest(db, "--migrate", NULL);
	cr_assert(eq(int, migrated.status, 0), "%s", migrated.err);
	dir = hx_test_tempdir();
}

static void teardown(void)
{
	hx_test_output_free(&migrated);
	hx_test_db_discard(&db);
	hx_test_dir_discard(&dir);
}

/* Each test loads the shipped lists into a database of its own, tens of seconds under
 * ASan: a suite-wide timeout (per-test timeouts of different lengths left Criterion's
 * runner leaking 48 bytes under ASan with --jobs=2). */
TestSuite(units_builtin, .init = setup, .fini = teardown, .timeout = 300);

/* --migrate says the shipped lists' flaws, each with its count and examples. */
Test(units_builtin, migrate_says_the_lists_flaws)
{
	const char *err = migrated.err;

	assert_has(err, "warning: old codes of ref/units-2025-old-to-new.csv not in "
	                "ref/communes-2025-01-04.csv (units made between January and July 2025: "
	                "their pairs are kept, the units unknown until a units file adds them): 10\n");
	assert_has(err, "detail: e.g. 03980 Phường Mộc Lỵ, Thị Xã Mộc Châu (123) (line 1549)");
	assert_has(err, "communes of ref/communes-2025-01-04.csv not in "
	                "ref/units-2025-old-to-new.csv (changed between January and July 2025");
	assert_has(err, "): 28\n");
	assert_has(err, "new communes with no old commune in ref/units-2025-old-to-new.csv: 5\n");
	assert_has(err, "old provinces under two new provinces by the old-province column of "
	                "ref/units-2025-old-to-new.csv (by ref/communes-2025-01-04.csv every old "
	                "unit lies in one, which is used): 1\n");
	assert_has(err, "e.g. old 82 under new 80 (line 9532) and 82 (line 9801)");
	assert_has(err, "27691 is in 794 (80) in the 4 January list, under \"Thành phố Tân An "
	                "(794)\", \"Tỉnh Tiền Giang (82)\" in the table (line 9532)");
	assert_has(err, "notes of a part move written otherwise than \"Nhập một phần\" and its "
	                "usual forms (read as a part): 10\n");
	assert_has(err, "\"Nhâp một phần diện tích\" (line 3804)");
	assert_has(err, "old communes moved whole (or with all their population) and elsewhere "
	                "too (taken as moved in parts, approximate): 3\n");
}

/* --migrate loads the units of both eras, and a second run is a quiet no-op. */
Test(units_builtin, migrate_loads_both_eras_once)
{
	struct hx_test_output o;
	PGconn *c = hx_test_db_connect(db);

	/* 10,810 units until 2025-06-30 (63 provinces, 696 districts, 10,051 communes), 3,355
	 * from 2025-07-01 (34 + 3,321), on 10,821 codes; the table's pairs and 63 provinces'. */
	assert_value(c, "10821|14165|10633",
	             "SELECT (SELECT count(*) FROM ref.units) || '|' || (SELECT count(*) FROM "
	             "ref.unit_periods) || '|' || (SELECT count(*) FROM ref.unit_lineage)");
	assert_value(c, "commune:10051:3321 district:696:0 province:63:34",
	             "SELECT string_agg(level || ':' || o || ':' || n, ' ' ORDER BY level) FROM ("
	             "SELECT level, count(*) FILTER (WHERE valid_to = '2025-06-30') o, "
	             "count(*) FILTER (WHERE valid_from = '2025-07-01') n FROM ref.unit_periods "
	             "GROUP BY level) s");
	/* One code, two units: Thị trấn Liên Hương of Tuy Phong, then Xã Liên Hương of Lâm Đồng. */
	assert_value(c, "-infinity..2025-06-30 Thị trấn Liên Hương Thị trấn 595 60 595;"
	                "2025-07-01..infinity Xã Liên Hương Xã 68 68 -",
	             "SELECT string_agg(concat_ws(' ', valid_from || '..' || valid_to, name, unit_type, "
	             "parent_code, province_code, coalesce(district_code, '-')), ';' ORDER BY "
	             "valid_from) FROM ref.unit_periods WHERE code = '22969'");
	/* Successors: a commune, a district and a province of the old era. */
	assert_value(c, "22987>22969 595>68 60>68",
	             "SELECT string_agg(code || '>' || successor_code, ' ' ORDER BY length(code) DESC) "
	             "FROM ref.units WHERE code IN ('22987', '595', '60')");
	PQfinish(c);

	/* Again: a no-op, quiet, nothing reloaded. */
	o = ingest(db, "--migrate", NULL);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);
}

Test(units_builtin, lineage_kinds_as_the_table_says)
{
	PGconn *c = hx_test_db_connect(db);

	/* Whole: Liên Hương took Phú Lạc, Phước Thể and Bình Thạnh. */
	assert_value(c, "22969:whole:t:f 22987:whole:t:f 22990:whole:t:f 22999:whole:t:f",
	             "SELECT string_agg(concat_ws(':', old_code, kind, carries, approximate), ' ' "
	             "ORDER BY old_code) FROM ref.unit_lineage WHERE new_code = '22969'");
	/* Part: old Phong Phú went to two communes; the one that kept its code carries it. */
	assert_value(c, "22972:part:f:t 22978:part:t:t",
	             "SELECT string_agg(concat_ws(':', new_code, kind, carries, approximate), ' ' "
	             "ORDER BY new_code) FROM ref.unit_lineage WHERE old_code = '22978'");
	/* All of the population to 07180, a part of the land (no people) to 07168: exact. */
	assert_value(c, "07168:part:f:f 07180:population:t:f",
	             "SELECT string_agg(concat_ws(':', new_code, kind, carries, approximate), ' ' "
	             "ORDER BY new_code) FROM ref.unit_lineage WHERE old_code = '07180'");
	/* A misspelt part note, a descriptive one, an island district made a special zone. */
	assert_value(c, "part|part|whole",
	             "SELECT string_agg(kind, '|' ORDER BY note) FROM ref.unit_lineage "
	             "WHERE note IN ('Nhâp một phần diện tích', 'Phần còn lại sau khi tách một phần "
	             "vào xã Canh Vinh', 'Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo')");
	assert_value(c, "755>26732", "SELECT old_code || '>' || new_code FROM ref.unit_lineage "
	                             "WHERE note LIKE '%%Côn Đảo%%'");
	/* Self-contradicting pairs are taken as parts: approximate, lowest code carries. */
	assert_value(c, "01636:t:t 01648:f:t",
	             "SELECT string_agg(concat_ws(':', new_code, carries, approximate), ' ' "
	             "ORDER BY new_code) FROM ref.unit_lineage WHERE old_code = '01615'");
	/* Old provinces continue in the new ones; old Tiền Giang (82) in one only. */
	assert_value(c, "60>68 67>68 68>68",
	             "SELECT string_agg(old_code || '>' || new_code, ' ' ORDER BY old_code) "
	             "FROM ref.unit_lineage WHERE new_code = '68' AND length(old_code) = 2");
	assert_value(c, "82", "SELECT string_agg(new_code, ' ') FROM ref.unit_lineage "
	                      "WHERE old_code = '82'");
	PQfinish(c);
}

Test(units_builtin, any_real_code_of_either_era_is_accepted)
{
	struct hx_test_output o;
	char *file = hx_asprintf("%s/t.csv", dir);
	PGconn *c;

	/* Old communes of the north and south, an island district, new communes, new provinces. */
	hx_test_put(dir, "t.csv",
	            "year,unit_code,title,eligible,recognized\n"
	            "2020,00001,family,100,50\n2020,32248,family,100,50\n2020,755,family,100,50\n"
	            "2025,00004,family,100,50\n2025,26732,family,100,50\n2025,96,family,100,50\n"
	            "2024,22987,family,100,50\n2025,23246,family,100,50\n");
	o = ingest(db, file, NULL);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	assert_value(c, "8", "SELECT count(*) FROM staging.tally");
	assert_value(c, "0", "SELECT count(*) FROM staging.rejects");
	PQfinish(c);
	free(file);
}

Test(units_builtin, a_provinces_file_adds_to_the_shipped_lists)
{
	struct hx_test_output o;
	char *spec = hx_asprintf("builtin,%s/units.csv", dir);
	PGconn *c;

	/* A commune that ended before 2025 (illustrative code and dates), restated shipped
	 * rows (dropped), and a province becoming a centrally-run city later (test dates). */
	hx_test_put(dir, "units.csv",
	            "code,name,level,parent_code,valid_from,valid_to,successor_code\n"
	            "22901,Xã Thử Nghiệm,commune,593,,2019-12-31,22915\n"
	            "60,Tỉnh Bình Thuận,province,,,2025-06-30,\n"
	            "75,Thành phố Đồng Nai,province,,2026-03-01,,\n");
	o = ingest(db, "--units", spec);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	assert_value(c, "10822", "SELECT count(*) FROM ref.units");
	assert_value(c, "Xã Thử Nghiệm|593|60|2019-12-31|22915",
	             "SELECT concat_ws('|', name, parent_code, province_code, valid_to, "
	             "successor_code) FROM ref.units WHERE code = '22901'");
	/* Đồng Nai keeps its code; its name and type are dated. */
	assert_value(c, "-infinity..2025-06-30 Tỉnh Đồng Nai Tỉnh;"
	                "2025-07-01..2026-02-28 Tỉnh Đồng Nai Tỉnh;"
	                "2026-03-01..infinity Thành phố Đồng Nai Thành phố",
	             "SELECT string_agg(concat_ws(' ', valid_from || '..' || valid_to, name, "
	             "unit_type), ';' ORDER BY valid_from) FROM ref.unit_periods WHERE code = '75'");
	assert_value(c, "Thành phố Đồng Nai|Thành phố",
	             "SELECT name || '|' || unit_type FROM ref.units WHERE code = '75'");
	/* The year's name: 2025 the province, 2026 the city. */
	assert_value(c, "2025 Tỉnh Đồng Nai;2026 Thành phố Đồng Nai",
	             "SELECT string_agg(year || ' ' || name, ';' ORDER BY year) FROM "
	             "core.placements(ARRAY[2025, 2026]::smallint[]) WHERE code = '75'");
	PQfinish(c);
	free(spec);
}

/* Each bad file: exit 65, the message with file and line, and nothing changed. */
Test(units_builtin, bad_units_files_change_nothing)
{
	static const struct {
		const char *rows;
		const char *message;
	} bad[] = {
		/* the same code in another province */
		{"22969,Xã Liên Hương,commune,42,2026-01-01,,\n",
		 "units.csv:2: 22969 is in province 68 in the shipped lists "
		 "(ref/communes-2025-07-01.csv:2167), the file puts it in 42: a unit keeps its "
		 "province"},
		{"22969,Xã Liên Hương,commune,42,2025-07-01,,\n",
		 "units.csv:2: 22969 contradicts the shipped lists, where it is commune Xã Liên Hương "
		 "under 68, from 2025-07-01 (ref/communes-2025-07-01.csv:2167)"},
		/* codes used outside their validity */
		{"22902,Xã Mới,commune,595,2026-01-01,,\n",
		 "units.csv:2: parent 595 of 22902 is not valid on 2026-01-01, and 22902 is valid "
		 "from 2026-01-01"},
		{"22902,Xã Cũ,commune,595,,2019-12-31,11948\n",
		 "units.csv:2: successor 11948 of 22902 is not valid on 2020-01-01, the day after "
		 "22902 ends"},
		{"22987,Xã Phú Lạc,commune,595,2024-01-01,,\n",
		 "units.csv:2: 22987: the shipped lists end Xã Phú Lạc on 2025-06-30 "
		 "(ref/communes-2025-01-04.csv:6879); a units file may not make it last longer"},
		/* unknown codes */
		{"22902,Xã Mới,commune,59999,,,\n",
		 "units.csv:2: parent_code 59999 of 22902 is not in the file or the shipped lists"},
		{"22902,Xã Mới,commune,595,,2019-12-31,22904\n",
		 "units.csv:2: successor_code 22904 of 22902 is not in the file or the shipped lists"},
		/* one code twice over one period */
		{"22902,Xã A,commune,595,,2019-12-31,\n22902,Xã B,commune,595,2019-01-01,2020-12-31,\n",
		 "units.csv:3: code 22902 is also on line 2"},
	};
	struct hx_test_output o;
	char *spec = hx_asprintf("builtin,%s/units.csv", dir);
	PGconn *c = hx_test_db_connect(db);
	char *before;

	before = hx_test_db_value(c, "SELECT md5(string_agg(p::text, '|' ORDER BY p.code, "
	                             "p.valid_from)) FROM ref.unit_periods p");
	for (size_t i = 0; i < lengthof(bad); i++) {
		char *text = hx_asprintf("code,name,level,parent_code,valid_from,valid_to,"
		                         "successor_code\n%s", bad[i].rows);

		hx_test_put(dir, "units.csv", text);
		free(text);
		o = ingest(db, "--units", spec);
		cr_assert(eq(int, o.status, 65), "case %zu: %s", i, o.err);
		assert_has(o.err, bad[i].message);
		assert_has(o.err, "hint: nothing was changed");
		hx_test_output_free(&o);
		assert_value(c, before, "SELECT md5(string_agg(p::text, '|' ORDER BY p.code, "
		                        "p.valid_from)) FROM ref.unit_periods p");
	}
	/* A spec with no file name is a usage error. */
	o = ingest(db, "--units", "builtin,");
	cr_assert(eq(int, o.status, 64), "%s", o.err);
	hx_test_output_free(&o);
	free(before);
	PQfinish(c);
	free(spec);
}

/* --units FILE alone keeps its meaning: the province's list replaces the set. */
Test(units_builtin, a_units_file_alone_replaces_the_shipped_lists)
{
	struct hx_test_output o;
	char *units = hx_test_src("samples/units.csv");
	PGconn *c;

	o = ingest(db, "--units", units);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "warning") == NULL, "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	/* 31 codes; 40 periods: 9 codes of samples/units.csv have a row for each era. */
	assert_value(c, "31|40|0",
	             "SELECT (SELECT count(*) FROM ref.units) || '|' || (SELECT count(*) FROM "
	             "ref.unit_periods) || '|' || (SELECT count(*) FROM ref.unit_lineage)");
	/* A code on two dated rows: two periods. */
	assert_value(c, "595 60|68 68",
	             "SELECT string_agg(parent_code || ' ' || province_code, '|' ORDER BY valid_from) "
	             "FROM ref.unit_periods WHERE code = '22969'");
	PQfinish(c);
	/* And back: the shipped lists again. */
	o = ingest(db, "--units", "builtin");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	assert_value(c, "10821", "SELECT count(*) FROM ref.units");
	PQfinish(c);
	free(units);
}
