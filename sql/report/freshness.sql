-- report/freshness.sql — read first in the report's snapshot: how many
-- files ingest committed that the marts do not hold yet (mart.freshness)
-- and since when, whether a transform holds its lock ($1, $2) now, and
-- whether this server is a standby (which does not see the primary's
-- locks).  hoctap-report publishes nothing while files are pending.
SELECT f.files_pending,
       pg_catalog.to_char(f.pending_since AT TIME ZONE 'UTC',
                          'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS pending_since,
       EXISTS (SELECT FROM pg_catalog.pg_locks l
               WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                 AND l.classid = $1::oid AND l.objid = $2::oid
                 AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d
                                   WHERE d.datname = pg_catalog.current_database()))
           AS transform_running,
       pg_catalog.pg_is_in_recovery() AS standby
FROM mart.freshness AS f
