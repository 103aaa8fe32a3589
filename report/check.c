/*
 * check.c — the report's last line of defence: before writing anything it
 * recomputes every rate and percent the marts hold from the numerator and
 * denominator beside it (sql/report/check.sql).  A disagreement means the
 * files would publish a wrong figure, so the run stops and the previous
 * files stay; the message names the figure, both values and the fraction.
 */
#include <stdio.h>

#include "db.h"
#include "report.h"
#include "sqlfiles.h"

int report_check_send(PGconn *conn, struct hx_error *err)
{
	const char *sql = hx_sql_script("report/check.sql");

	if (sql == NULL)
		return hx_error_set(err, HX_SOFTWARE, "sql/report/check.sql is missing from this build");
	return hx_db_send(conn, err, sql, 0, NULL);
}

int report_check_receive(PGconn *conn, struct hx_error *err)
{
	PGresult *res = hx_db_receive(conn, err);
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	if (n > 0) {
		/* file, scope_code, year, title, col, published, num, den, exact */
		hx_error_set(err, HX_SOFTWARE,
		             "%s: scope %s, %s%s%s: %s is %s in the marts, but %s / %s gives %s",
		             PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
		             PQgetisnull(res, 0, 3) ? "" : ", ", PQgetvalue(res, 0, 3),
		             PQgetvalue(res, 0, 4),
		             PQgetisnull(res, 0, 5) ? "null" : PQgetvalue(res, 0, 5),
		             PQgetisnull(res, 0, 6) ? "null" : PQgetvalue(res, 0, 6),
		             PQgetisnull(res, 0, 7) ? "null" : PQgetvalue(res, 0, 7),
		             PQgetisnull(res, 0, 8) ? "null (no base)" : PQgetvalue(res, 0, 8));
		hx_error_detail(err, "%d figure%s of the marts disagree%s with %s numerator and "
		                "denominator; nothing was written", n, n == 1 ? "" : "s",
		                n == 1 ? "s" : "", n == 1 ? "its" : "their");
		hx_error_hint(err, "rebuild the marts with \"hoctap-transform --full\"; if the figure "
		              "stays wrong, report it as a bug");
	}
	PQclear(res);
	return n > 0 ? -1 : 0;
}
