/*
 * The movement's own yardsticks against a real database, through the three
 * programs (docs/rules.md "Levels and groups", "Targets", "Rankings",
 * "Provisional years"): national targets with their sources and a
 * province's own replacing one, ties in a ranking, communes recognised at
 * levels 1 and 2, learning citizens on two bases, a provisional year, and
 * the bad input a clerk or a plan can bring (a level or group a title does
 * not have, a target outside 0..100 or for an unknown scope).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lengthof.h"
#include "testsupport.h"
#include "vocab.h"

/* Bình Thuận with Tuy Phong's four communes and two of Bắc Bình's. */
static const char units_csv[] = "code,name,level,parent_code,valid_from,valid_to,successor_code\n"
                                "60,Tỉnh Bình Thuận,province,,,,\n"
                                "595,Huyện Tuy Phong,district,60,,,\n"
                                "596,Huyện Bắc Bình,district,60,,,\n"
                                "22969,Thị trấn Liên Hương,commune,595,,,\n"
                                "22972,Thị trấn Phan Rí Cửa,commune,595,,,\n"
                                "22975,Xã Phan Dũng,commune,595,,,\n"
                                "22981,Xã Vĩnh Hảo,commune,595,,,\n"
                                "23005,Thị trấn Chợ Lầu,commune,596,,,\n"
                                "23020,Xã Hải Ninh,commune,596,,,\n";

struct env {
	char *db, *dir, *out;
	const char *compare; /* hoctap-report's --compare, or NULL */
	PGconn *conn;
};

static struct hx_test_output prog(struct env *e, const char *program, const char *a1,
                                  const char *a2, const char *a3)
{
	const char *args[] = {a1, a2, a3, NULL};

	return hx_test_program(program, e->db, args);
}

/* Run a program, asserting its exit status; returns its stderr (caller frees). */
static char *run(struct env *e, int want, const char *program, const char *a1, const char *a2,
                 const char *a3)
{
	struct hx_test_output o = prog(e, program, a1, a2, a3);
	char *err = o.err;

	cr_assert(eq(int, o.status, want), "%s %s: %d\n%s", program, a1 ? a1 : "", o.status, o.err);
	o.err = NULL;
	hx_test_output_free(&o);
	return err;
}

static void env_open(struct env *e)
{
	char *units;

	e->db = hx_test_db_create(1);
	e->dir = hx_test_tempdir();
	e->out = hx_asprintf("%s/out", e->dir);
	hx_test_put(e->dir, "units.csv", units_csv);
	units = hx_asprintf("%s/units.csv", e->dir);
	free(run(e, 0, "hoctap-ingest", "--units", units, NULL));
	free(units);
	e->conn = hx_test_db_connect(e->db);
	e->compare = NULL; /* the years compared must have figures: only a test with both sets it */
}

/* Whatever env_open reached: close, drop, remove, free; nothing twice. */
static void env_close(struct env *e)
{
	if (e->conn != NULL)
		PQfinish(e->conn);
	e->conn = NULL;
	hx_test_db_discard(&e->db);
	hx_test_dir_discard(&e->dir);
	free(e->out);
	e->out = NULL;
}

/*
 * The test's database and what it holds, made by setup and removed by
 * teardown whatever the test reached (a failed assertion leaves the test
 * at once; .fini still runs).
 */
static struct env env;

static void setup(void)
{
	env_open(&env);
}

static void teardown(void)
{
	env_close(&env);
}

TestSuite(yardsticks, .init = setup, .fini = teardown);

/* Write name into the test's directory and ingest it; returns ingest's stderr. */
static char *ingest(struct env *e, int want, const char *name, const char *text)
{
	char *path, *err;

	hx_test_put(e->dir, name, text);
	path = hx_asprintf("%s/%s", e->dir, name);
	err = run(e, want, "hoctap-ingest", path, NULL, NULL);
	free(path);
	return err;
}

static char *targets(struct env *e, int want, const char *name, const char *text)
{
	char *path, *err;

	hx_test_put(e->dir, name, text);
	path = hx_asprintf("%s/%s", e->dir, name);
	err = run(e, want, "hoctap-ingest", "--targets", path, NULL);
	free(path);
	return err;
}

static void transform(struct env *e)
{
	free(run(e, 0, "hoctap-transform", NULL, NULL, NULL));
}

/* hoctap-report into e->out, then the text of one of its CSV files (caller frees). */
static char *report(struct env *e, const char *file)
{
	char *path, *text;

	free(run(e, 0, "hoctap-report", "-o", e->out, e->compare));
	path = hx_asprintf("%s/%s", e->out, file);
	text = hx_test_read_file(path, NULL);
	cr_assert(text != NULL, "%s", path);
	free(path);
	return text;
}

static void assert_has(const char *text, const char *want, const char *where)
{
	cr_assert(strstr(text, want) != NULL, "%s lacks\n%s\n--- it has:\n%s", where, want, text);
}

#define assert_value(e, want, ...) hx_test_assert_value((e)->conn, (want), __VA_ARGS__)

/* Every commune of the province reports its 2025 families; 22975 without a base. */
static const char families_2025[] =
	"year,unit_code,title,eligible,registered,recognized\n"
	"2025,22969,family,8000,7700,6000\n"   /* 75.00 */
	"2025,22972,family,9800,8900,7350\n"   /* 75.00 */
	"2025,22975,family,,500,448\n"         /* no base: no rate */
	"2025,22981,family,3200,2900,2000\n"   /* 62.50 */
	"2025,23005,family,5600,4900,4480\n"   /* 80.00 */
	"2025,23020,family,2400,1800,1632\n";  /* 68.00 */

Test(yardsticks, national_targets_without_a_file_and_a_province_target_replacing_one)
{
	char *csv;

	free(ingest(&env, 0, "2025.csv", families_2025));
	transform(&env);
	/* No targets file: 387/QĐ-TTg's 70 % for every scope that reported, communes included;
	 * 22975's own figure has no base (actual null), the province's is over the five that do. */
	assert_value(&env,
	             "22969:70.00:387/QĐ-TTg:75.00:5.00:t,22972:70.00:387/QĐ-TTg:75.00:5.00:t,"
	             "22975:70.00:387/QĐ-TTg,22981:70.00:387/QĐ-TTg:62.50:-7.50:f,"
	             "23005:70.00:387/QĐ-TTg:80.00:10.00:t,23020:70.00:387/QĐ-TTg:68.00:-2.00:f,"
	             "595:70.00:387/QĐ-TTg:73.10:3.10:t,596:70.00:387/QĐ-TTg:76.40:6.40:t,"
	             "60:70.00:387/QĐ-TTg:74.01:4.01:t",
	             "SELECT string_agg(concat_ws(':', scope_code, target_percent, source, "
	             "actual_percent, gap_pp, met), ',' ORDER BY scope_code) FROM mart.targets "
	             "WHERE title = 'family' AND year = 2025");
	csv = report(&env, "targets.csv");
	assert_has(csv, "scope_level,scope_code,scope_name,province_code,title,group,year,"
	                "target_percent,source,actual_percent,headline,numerator,denominator,gap_pp,"
	                "met,provisional\n", "targets.csv");
	assert_has(csv, "\nprovince,60,Tỉnh Bình Thuận,60,family,,2025,70.00,387/QĐ-TTg,74.01,"
	                "eligible,21462,29000,4.01,true,false\n", "targets.csv");
	assert_has(csv, "\ncommune,22981,Xã Vĩnh Hảo,60,family,,2025,70.00,387/QĐ-TTg,62.50,"
	                "eligible,2000,3200,-7.50,false,false\n", "targets.csv");
	free(csv);

	/* The province's own: 75 % for itself and 60 % for Hải Ninh replace 387/QĐ-TTg's there
	 * and nowhere else; a target for a year nobody reported stands too (provisional). */
	free(targets(&env, 0, "ke-hoach-2025.csv",
	             "scope_code,title,year,target_percent,source\n"
	             "60,family,2025,75,Kế hoạch 15/KH-UBND\n"
	             "23020,Gia đình học tập,2025,60,\n"
	             "60,family,2030,80,Kế hoạch 15/KH-UBND\n"));
	transform(&env);
	assert_value(&env,
	             "22981:70.00:387/QĐ-TTg,23020:60.00:ke-hoach-2025.csv,595:70.00:387/QĐ-TTg,"
	             "60:75.00:Kế hoạch 15/KH-UBND",
	             "SELECT string_agg(concat_ws(':', scope_code, target_percent, source), ',' "
	             "ORDER BY scope_code) FROM mart.targets WHERE title = 'family' AND year = 2025 "
	             "AND scope_code IN ('22981', '23020', '595', '60')");
	assert_value(&env, "-0.99:false|8.00:true",
	             "SELECT string_agg(gap_pp || ':' || met, '|' ORDER BY scope_code DESC) "
	             "FROM mart.targets WHERE title = 'family' AND year = 2025 "
	             "AND scope_code IN ('60', '23020')");
	assert_value(&env, "80.00:NULL:t",
	             "SELECT concat_ws(':', target_percent, coalesce(actual_percent::text, 'NULL'), "
	             "provisional) FROM mart.targets WHERE scope_code = '60' AND year = 2030");
	csv = report(&env, "targets.csv");
	assert_has(csv, "\nprovince,60,Tỉnh Bình Thuận,60,family,,2025,75.00,Kế hoạch 15/KH-UBND,"
	                "74.01,eligible,21462,29000,-0.99,false,false\n", "targets.csv");
	free(csv);

	/* Loaded again without them: the national target is back. */
	free(targets(&env, 0, "ke-hoach-2026.csv", "scope_code,title,year,target_percent\n"
	                                         "595,clan,2025,50\n"));
	transform(&env);
	assert_value(&env, "70.00:387/QĐ-TTg",
	             "SELECT target_percent || ':' || source FROM mart.targets WHERE scope_code = '60' "
	             "AND title = 'family' AND year = 2025");
	/* A target of a title nobody reported stands, with nothing to compare. */
	assert_value(&env, "50.00:ke-hoach-2026.csv:NULL",
	             "SELECT concat_ws(':', target_percent, source, "
	             "coalesce(actual_percent::text, 'NULL')) FROM mart.targets "
	             "WHERE scope_code = '595' AND title = 'clan'");
}

Test(yardsticks, ties_share_a_rank_and_units_without_a_rate_come_last)
{
	char *csv;

	free(ingest(&env, 0, "2025.csv", families_2025));
	transform(&env);
	csv = report(&env, "rankings.csv");
	cr_assert(strncmp(csv, "scope_level,scope_code,year,title,rank,unit_level,unit_code,unit_name,"
	                       "rate,numerator,denominator,provisional\n", 100) == 0, "%s", csv);
	/* The districts in the province; then each district's communes: 75.00 twice shares
	 * rank 2 and the next is 4; 22975 (no base) last, unranked. */
	assert_has(csv, "\nprovince,60,2025,family,1,district,596,Huyện Bắc Bình,76.40,6112,8000,false\n"
	                "province,60,2025,family,2,district,595,Huyện Tuy Phong,73.10,15350,21000,false\n",
	           "rankings.csv");
	assert_has(csv, "\ndistrict,595,2025,family,1,commune,22969,Thị trấn Liên Hương,75.00,6000,8000,"
	                "false\n"
	                "district,595,2025,family,1,commune,22972,Thị trấn Phan Rí Cửa,75.00,7350,9800,"
	                "false\n"
	                "district,595,2025,family,3,commune,22981,Xã Vĩnh Hảo,62.50,2000,3200,false\n"
	                "district,595,2025,family,,commune,22975,Xã Phan Dũng,,,,false\n",
	           "rankings.csv");
	free(csv);

	/* A fifth rate above the tie: 1, 2, 2, 4. */
	free(ingest(&env, 0, "2025b.csv", "year,unit_code,title,eligible,recognized\n"
	                                "2025,22975,family,560,448\n"));
	transform(&env);
	csv = report(&env, "rankings.csv");
	assert_has(csv, "\ndistrict,595,2025,family,1,commune,22975,Xã Phan Dũng,80.00,448,560,false\n"
	                "district,595,2025,family,2,commune,22969,Thị trấn Liên Hương,75.00,6000,8000,"
	                "false\n"
	                "district,595,2025,family,2,commune,22972,Thị trấn Phan Rí Cửa,75.00,7350,9800,"
	                "false\n"
	                "district,595,2025,family,4,commune,22981,Xã Vĩnh Hảo,62.50,2000,3200,false\n",
	           "rankings.csv");
	free(csv);
}

Test(yardsticks, levels_one_and_two_and_a_commune_recognised_at_both_counts_once)
{
	char *csv, *err;

	/* Liên Hương recognised at level 1 in March and level 2 in December; Phan Rí Cửa at
	 * level 1; Phan Dũng at neither; Vĩnh Hảo reports the title without levels, as before. */
	err = ingest(&env, 0, "cap-xa-2025.csv",
	             "Năm;Mã đơn vị;Danh hiệu;Mức độ;Tổng số;Đăng ký;Được công nhận\n"
	             "2025;22969;Cộng đồng học tập cấp xã;Mức độ 1;1;1;1\n"
	             "2025;22969;Cộng đồng học tập cấp xã;Mức độ 2;1;1;1\n"
	             "2025;22972;Cộng đồng học tập cấp xã;Mức 1;1;1;1\n"
	             "2025;22972;Cộng đồng học tập cấp xã;2;1;0;0\n"
	             "2025;22975;Cộng đồng học tập cấp xã;1;1;1;0\n"
	             "2025;22975;Cộng đồng học tập cấp xã;mức độ II;1;0;0\n"
	             "2025;22981;Cộng đồng học tập cấp xã;;1;1;1\n");
	cr_assert(eq(str, err, ""), "%s", err);
	free(err);
	transform(&env);
	/* The staged levels, as written in four ways. */
	assert_value(&env, "22969:1,22969:2,22972:1,22972:2,22975:1,22975:2,22981:NULL",
	             "SELECT string_agg(unit_code || ':' || coalesce(level::text, 'NULL'), ',' "
	             "ORDER BY unit_code, level) FROM staging.tally");
	/* Liên Hương's title figure made from its levels counts it once. */
	assert_value(&env, "1/1/1:levels",
	             "SELECT eligible || '/' || registered || '/' || recognized || ':' || counts_source "
	             "FROM mart.facts WHERE unit_code = '22969' AND title = 'commune'");
	/* The district: 3 of 4 recognised, not 4 (level 1: 2 of 3, level 2: 1 of 3 — the
	 * levels of the three communes that gave them). */
	assert_value(&env, "NULL:4:4:3:75.00|1:3:3:2:66.67|2:3:1:1:33.33",
	             "SELECT string_agg(concat_ws(':', coalesce(level::text, 'NULL'), eligible, "
	             "registered, recognized, rate_eligible), '|' ORDER BY level NULLS FIRST) FROM ("
	             "SELECT NULL::smallint AS level, eligible, registered, recognized, rate_eligible "
	             "FROM mart.rates WHERE scope_code = '595' AND title = 'commune' UNION ALL "
	             "SELECT level, eligible, registered, recognized, rate_eligible FROM "
	             "mart.rate_parts WHERE scope_code = '595' AND title = 'commune') r");
	csv = report(&env, "rates.csv");
	assert_has(csv, "\ndistrict,595,Huyện Tuy Phong,60,595,2025,commune,,,4,4,3,,75.00,3,4,75.00,3,4,4,4,"
	                "commune,false\n"
	                "district,595,Huyện Tuy Phong,60,595,2025,commune,1,,3,3,2,,66.67,2,3,66.67,2,3,3,4,"
	                "commune,false\n"
	                "district,595,Huyện Tuy Phong,60,595,2025,commune,2,,3,1,1,,33.33,1,3,100.00,1,1,3,4,"
	                "commune,false\n", "rates.csv");
	free(csv);

	/* A level whose values contradict each other is kept out and named. */
	free(ingest(&env, 0, "cap-xa-2025-sai.csv",
	            "year,unit_code,title,level,eligible,recognized\n"
	            "2025,23005,commune,2,1,2\n"));
	free(run(&env, 65, "hoctap-transform", NULL, NULL, NULL)); /* the new error is listed */
	assert_value(&env, "invariant_breach:error:23005:cap-xa-2025-sai.csv:2",
	             "SELECT concat_ws(':', code, severity, unit_code, file, line) FROM mart.findings "
	             "WHERE unit_code = '23005'");
	assert_value(&env, "1", "SELECT count(*) FROM mart.findings WHERE unit_code = '23005' AND "
	                      "message LIKE '%%recognized 2 > eligible 1 (level 2)%%'");
	assert_value(&env, "0", "SELECT count(*) FROM mart.facts WHERE unit_code = '23005'");
}

Test(yardsticks, learning_citizens_on_two_bases_with_their_own_targets)
{
	char *csv, *err;

	err = ingest(&env, 0, "cong-dan-2025.csv",
	             "Năm;Mã đơn vị;Danh hiệu;Nhóm đối tượng;Tổng số;Đăng ký;Được công nhận\n"
	             "2025;22969;Công dân học tập;Người lớn;15.200;9.100;6.840\n"
	             "2025;22969;Công dân học tập;Cán bộ, công chức;320;300;208\n"
	             "2025;22972;Công dân học tập;người lớn;18.000;10.000;6.300\n"
	             "2025;22972;Công dân học tập;CBCCVC;410;380;246\n");
	cr_assert(eq(str, err, ""), "%s", err);
	free(err);
	/* The same two bases in a JSON submission. */
	free(ingest(&env, 0, "23005.json",
	            "{\"unit_code\": \"23005\", \"year\": 2025, \"tallies\": ["
	            "{\"title\": \"citizen\", \"group\": \"adult\", \"eligible\": 9000, "
	            "\"recognized\": 3780},"
	            "{\"title\": \"Công dân học tập\", \"nhóm\": \"official\", \"eligible\": 240, "
	            "\"recognized\": 156}]}"));
	transform(&env);
	/* Each group on its own base; the total over groups counts people, with no rate. */
	assert_value(&env, "NULL:NULL:NULL:13594:NULL|adult:33200:19100:13140:39.58|"
	                 "official:730:680:454:62.19",
	             "SELECT string_agg(concat_ws(':', coalesce(grp, 'NULL'), "
	             "coalesce(eligible::text, 'NULL'), coalesce(registered::text, 'NULL'), "
	             "recognized, coalesce(rate_eligible::text, 'NULL')), '|' ORDER BY grp NULLS FIRST) "
	             "FROM (SELECT NULL AS grp, eligible, registered, recognized, rate_eligible FROM "
	             "mart.rates WHERE scope_code = '595' AND title = 'citizen' UNION ALL "
	             "SELECT grp, eligible, registered, recognized, rate_eligible FROM mart.rate_parts "
	             "WHERE scope_code = '595' AND title = 'citizen') r");
	/* 677/QĐ-TTg: 40 % of adults, 60 % of officials, each against its own base. */
	assert_value(&env,
	             "22972:adult:40.00:35.00:f,22972:official:60.00:60.00:t,"
	             "595:adult:40.00:39.58:f,595:official:60.00:62.19:t,"
	             "60:adult:40.00:40.09:t,60:official:60.00:62.89:t",
	             "SELECT string_agg(concat_ws(':', scope_code, grp, target_percent, actual_percent, "
	             "met), ',' ORDER BY scope_code, grp) FROM mart.targets WHERE title = 'citizen' "
	             "AND source = '677/QĐ-TTg' AND scope_code IN ('22972', '595', '60')");
	assert_value(&env, "0", "SELECT count(*) FROM mart.targets WHERE title = 'citizen' "
	                      "AND grp IS NULL");
	csv = report(&env, "rates.csv");
	assert_has(csv, "\ndistrict,595,Huyện Tuy Phong,60,595,2025,citizen,,,,,13594,,,,,,,,2,4,commune,"
	                "true\n"
	                "district,595,Huyện Tuy Phong,60,595,2025,citizen,,adult,33200,19100,13140,,39.58,"
	                "13140,33200,68.80,13140,19100,2,4,commune,true\n", "rates.csv");
	free(csv);
	csv = report(&env, "targets.csv");
	assert_has(csv, "\ndistrict,595,Huyện Tuy Phong,60,citizen,official,2025,60.00,677/QĐ-TTg,"
	                "62.19,eligible,454,730,2.19,true,true\n", "targets.csv");
	free(csv);

	/* A percent written on a group's row is checked against that group's rate: a
	 * warning naming the group; the figure stays in. */
	free(ingest(&env, 0, "ty-le.csv",
	            "Năm;Mã đơn vị;Danh hiệu;Nhóm đối tượng;Tổng số;Được công nhận;Tỷ lệ\n"
	            "2025;22975;Công dân học tập;Người lớn;1.050;462;45,50\n"
	            "2025;22975;Công dân học tập;Cán bộ, công chức;60;33;55\n"));
	transform(&env);
	assert_value(&env, "reported_rate_mismatch:warning:ty-le.csv:2",
	             "SELECT string_agg(concat_ws(':', code, severity, file, line), ',') "
	             "FROM mart.findings WHERE unit_code = '22975'");
	assert_value(&env, "1", "SELECT count(*) FROM mart.findings WHERE message LIKE "
	                      "'%%reported 45,50%% but recognized/eligible = 462/1050 = 44.00%% "
	                      "(group adult)'");
	assert_value(&env, "3:3", "SELECT string_agg(units_reporting::text, ':' ORDER BY grp) "
	                        "FROM mart.rate_parts WHERE scope_code = '595' AND title = 'citizen'");

	/* A province's own target for one group replaces the national one for it alone. */
	free(targets(&env, 0, "cong-dan.csv", "scope_code,title,year,target_percent,group\n"
	                                    "595,citizen,2025,35,Người lớn\n"));
	transform(&env);
	assert_value(&env, "adult:35.00:cong-dan.csv,official:60.00:677/QĐ-TTg",
	             "SELECT string_agg(concat_ws(':', grp, target_percent, source), ',' ORDER BY grp) "
	             "FROM mart.targets WHERE scope_code = '595' AND title = 'citizen'");
}

Test(yardsticks, a_year_with_fewer_units_reporting_is_provisional_everywhere)
{
	char *csv;

	env.compare = "--compare=2024:2025";
	/* 2024: every commune; 2025: Tuy Phong's four, and Bắc Bình's funds only from one. */
	free(ingest(&env, 0, "2024.csv",
	            "year,unit_code,title,eligible,recognized\n"
	            "2024,22969,family,100,70\n2024,22972,family,100,70\n2024,22975,family,100,70\n"
	            "2024,22981,family,100,70\n2024,23005,family,100,70\n2024,23020,family,100,70\n"));
	free(ingest(&env, 0, "2025.csv",
	            "year,unit_code,title,eligible,recognized\n"
	            "2025,22969,family,100,80\n2025,22972,family,100,80\n2025,22975,family,100,80\n"
	            "2025,22981,family,100,80\n"));
	free(ingest(&env, 0, "quy-2025.csv", "year,unit_code,mobilized_vnd\n"
	                                   "2025,23005,1000000\n2025,22969,2000000\n"));
	transform(&env);
	assert_value(&env, "595:2024:4:4:f|595:2025:4:4:f|596:2024:2:2:f|596:2025:2:1:t|"
	                 "60:2024:6:6:f|60:2025:6:5:t",
	             "SELECT string_agg(concat_ws(':', scope_code, year, units_expected, "
	             "units_reporting, provisional), '|' ORDER BY scope_code, year) "
	             "FROM mart.scope_years WHERE scope_level <> 'commune'");
	/* Each expected commune has its own row: 23020 sent nothing for 2025. */
	assert_value(&env, "22969:false|22972:false|22975:false|22981:false|23005:false|23020:true",
	             "SELECT string_agg(scope_code || ':' || provisional, '|' ORDER BY scope_code) "
	             "FROM mart.scope_years WHERE scope_level = 'commune' AND year = 2025");
	csv = report(&env, "rates.csv");
	assert_has(csv, "\nprovince,60,Tỉnh Bình Thuận,60,,2025,family,,,400,,320,,80.00,320,400,,,,4,6,"
	                "commune,true\n", "rates.csv");
	assert_has(csv, "\ndistrict,595,Huyện Tuy Phong,60,595,2025,family,,,400,,320,,80.00,320,400,,,,4,4,"
	                "commune,false\n", "rates.csv");
	free(csv);
	csv = hx_asprintf("%s/funds.csv", env.out);
	{
		char *funds = hx_test_read_file(csv, NULL);

		assert_has(funds, "\ndistrict,596,Huyện Bắc Bình,60,2025,1000000,1,1000000,,,1,1,1000000,1,,,true\n",
		           "funds.csv");
		assert_has(funds, "\nprovince,60,Tỉnh Bình Thuận,60,2025,3000000,3,3000000,,,2,1,3000000,3,,,true\n",
		           "funds.csv");
		free(funds);
	}
	free(csv);
	csv = hx_asprintf("%s/comparison.csv", env.out);
	{
		char *cmp = hx_test_read_file(csv, NULL);

		/* 2024 complete, 2025 not: the comparison is provisional; Tuy Phong's is not. */
		assert_has(cmp, ",2024,2025,,,false,600,400,-200,", "comparison.csv");
		assert_has(cmp, ",10.00,-23.81,true\n", "comparison.csv");
		assert_has(cmp, ",10.00,14.29,false\n", "comparison.csv");
		free(cmp);
	}
	free(csv);
	csv = report(&env, "rankings.csv");
	assert_has(csv, "\nprovince,60,2025,family,1,district,595,Huyện Tuy Phong,80.00,320,400,true\n",
	           "rankings.csv");
	assert_has(csv, "\nprovince,60,2024,family,1,district,595,Huyện Tuy Phong,70.00,280,400,false\n",
	           "rankings.csv");
	free(csv);
	csv = report(&env, "targets.csv");
	assert_has(csv, "\nprovince,60,Tỉnh Bình Thuận,60,family,,2025,70.00,387/QĐ-TTg,80.00,eligible,"
	                "320,400,10.00,true,true\n", "targets.csv");
	assert_has(csv, "\ndistrict,595,Huyện Tuy Phong,60,family,,2025,70.00,387/QĐ-TTg,80.00,"
	                "eligible,320,400,10.00,true,false\n", "targets.csv");
	free(csv);
	/* Bắc Bình's other commune reports: the year is complete. */
	free(ingest(&env, 0, "2025-23020.csv", "year,unit_code,title,eligible,recognized\n"
	                                     "2025,23020,family,100,75\n"));
	transform(&env);
	assert_value(&env, "false:false",
	             "SELECT string_agg(provisional::text, ':' ORDER BY scope_code) FROM "
	             "mart.scope_years WHERE year = 2025 AND scope_code IN ('596', '60')");
}

Test(yardsticks, a_level_or_group_a_title_does_not_have_is_refused_at_its_line)
{
	char *err;

	err = ingest(&env, 65, "sai.csv",
	             "Năm;Mã đơn vị;Danh hiệu;Mức độ;Nhóm đối tượng;Tổng số;Được công nhận\n"
	             "2025;22969;Cộng đồng học tập cấp xã;Mức độ 3;;1;1\n"
	             "2025;22969;Gia đình học tập;1;;100;70\n"
	             "2025;22969;Gia đình học tập;;Người lớn;100;70\n"
	             "2025;22969;Công dân học tập;;Học sinh;100;70\n"
	             "2025;22969;Công dân học tập;;Người lớn;100;40\n");
	assert_has(err, "sai.csv:2: column \"Mức độ\" [level]: level 3 is not a level of commune, which is "
	                "recognised at levels 1 to 2 (row not loaded)", "stderr");
	assert_has(err, "sai.csv:3: column \"Mức độ\" [level]: family is not recognised by levels: leave the "
	                "level empty", "stderr");
	assert_has(err, "sai.csv:4: column \"Nhóm đối tượng\" [group]: family is not counted by group: leave "
	                "the group empty", "stderr");
	assert_has(err, "sai.csv:5: column \"Nhóm đối tượng\" [group]: \"Học sinh\" is not a group; write "
	                "adult (người lớn) or official (cán bộ, công chức)", "stderr");
	free(err);
	assert_value(&env, "2:Mức độ:bad_level,3:Mức độ:bad_level,4:Nhóm đối tượng:bad_group,"
	                 "5:Nhóm đối tượng:bad_group",
	             "SELECT string_agg(concat_ws(':', line, col, reason), ',' ORDER BY line) "
	             "FROM staging.rejects");
	/* The rest of the file loads. */
	assert_value(&env, "6:adult", "SELECT line || ':' || grp FROM staging.tally");
	/* The message in Vietnamese for a Vietnamese clerk. */
	hx_test_put(env.dir, "sai-vi.csv", "year,unit_code,title,level,eligible,recognized\n"
	                                 "2025,22972,commune,3,1,1\n");
	{
		char *path = hx_asprintf("%s/sai-vi.csv", env.dir);
		const char *argv[] = {NULL, "-d", env.db, "--lang", "vi", "--dry-run", path, NULL};
		char bin[4096];
		struct hx_test_output o;

		snprintf(bin, sizeof bin, "%s", hx_test_bin("hoctap-ingest"));
		argv[0] = bin;
		hx_test_run(argv, NULL, &o);
		assert_has(o.err, "mức 3 không phải là mức độ của commune", "stderr (vi)");
		hx_test_output_free(&o);
		free(path);
	}
}

Test(yardsticks, a_bad_target_file_changes_nothing_and_says_where)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"scope_code,title,year,target_percent\n595,family,2025,105\n",
		 "t.csv:2: target_percent 105 is above 100"},
		{"scope_code,title,year,target_percent\n595,family,2025,-5\n",
		 "t.csv:2: target_percent: \"-5\" is negative; a percentage cannot be below 0"},
		{"scope_code,title,year,target_percent\n595,family,2025,70\n99999,family,2025,70\n",
		 "t.csv:3: scope_code \"99999\" is not a reference unit"},
		{"scope_code,title,year,target_percent,group\n595,family,2025,70,adult\n",
		 "t.csv:2: group: family is not counted by group"},
		{"scope_code,title,year,target_percent,group\n595,citizen,2025,40,học sinh\n",
		 "t.csv:2: group: \"học sinh\" is not a group"},
		{"scope_code,title,year,target_percent,group\n595,citizen,2025,40,adult\n"
		 "595,citizen,2025,45,người lớn\n",
		 "t.csv:3: a second target for 595, citizen (adult), 2025"},
	};

	free(targets(&env, 0, "good.csv", "scope_code,title,year,target_percent\n595,clan,2025,55\n"));
	for (size_t i = 0; i < lengthof(bad); i++) {
		char *err = targets(&env, 65, "t.csv", bad[i].text);

		assert_has(err, bad[i].msg, "stderr");
		assert_has(err, "nothing was changed", "stderr");
		free(err);
		/* The targets loaded before stand, whole. */
		assert_value(&env, "595:clan:2025:55.00:good.csv",
		             "SELECT string_agg(concat_ws(':', scope_code, title, year, target_percent, "
		             "source), ',') FROM ref.targets");
	}
}

/* hoctap-ingest's lists of levels and groups are the database's (ref.title_levels, ref.title_groups). */
Test(yardsticks, the_titles_levels_and_groups_are_the_same_in_ingest_and_the_database)
{
	PGconn *conn = hx_test_db_connect(env.db);
	char want_levels[256] = "", want_groups[256] = "", *got;

	for (int t = 0; t < HX_TITLE_COUNT; t++) {
		for (int l = 1; l <= hx_vocab_title_levels((enum hx_title)t); l++)
			snprintf(want_levels + strlen(want_levels), sizeof want_levels - strlen(want_levels),
			         "%s%s:%d", want_levels[0] ? "," : "", hx_vocab_title_key((enum hx_title)t),
			         l);
		for (int g = 0; g < HX_GROUP_COUNT; g++)
			if (hx_vocab_title_has_group((enum hx_title)t, (enum hx_group)g))
				snprintf(want_groups + strlen(want_groups),
				         sizeof want_groups - strlen(want_groups), "%s%s:%s",
				         want_groups[0] ? "," : "", hx_vocab_title_key((enum hx_title)t),
				         hx_vocab_group_key((enum hx_group)g));
	}
	got = hx_test_db_value(conn, "SELECT string_agg(l.title || ':' || l.level, ',' ORDER BY "
	                             "t.sort_order, l.level) FROM ref.title_levels l "
	                             "JOIN ref.titles t ON t.key = l.title");
	cr_assert(eq(str, got, want_levels));
	free(got);
	got = hx_test_db_value(conn, "SELECT string_agg(g.title || ':' || g.grp, ',' ORDER BY "
	                             "t.sort_order, g.grp) FROM ref.title_groups g "
	                             "JOIN ref.titles t ON t.key = g.title");
	cr_assert(eq(str, got, want_groups));
	free(got);
	/* Every national target names its decision. */
	hx_test_assert_value(conn, "281/QĐ-TTg:2014-02-20:4,387/QĐ-TTg:2022-03-25:4,"
	                           "677/QĐ-TTg:2022-06-03:4",
	                     "SELECT string_agg(concat_ws(':', source, source_date, n), ',' ORDER BY "
	                     "source) FROM (SELECT source, source_date, count(*) n FROM "
	                     "ref.national_targets GROUP BY source, source_date) s");
	PQfinish(conn);
}
