-- common/lock_holder.sql — the session holding the advisory lock ($1, $2)
-- in this database, for hx_db_take_lock: its backend's process id, since
-- when (its session began: the programs take their lock right after
-- connecting), its application_name, the process id of its client (the
-- shared lock ($3, client pid) the programs take beside their lock), and
-- whether that client connected the way this session did (both through the
-- unix socket, or both from one address), so that it runs on this machine.
-- pg_stat_activity shows a session's start and address only to its own role
-- (or pg_read_all_stats): unseen, the client is not taken to be here.
SELECT l.pid,
       pg_catalog.to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SSOF') AS since,
       coalesce(a.application_name, '') AS application,
       (SELECT m.objid::bigint
        FROM pg_catalog.pg_locks m
        WHERE m.pid = l.pid AND m.locktype = 'advisory' AND m.database = l.database
          AND m.classid = $3::oid AND m.objsubid = 2 AND m.granted
        LIMIT 1) AS client_pid,
       (a.backend_start IS NOT NULL
        AND a.client_addr IS NOT DISTINCT FROM pg_catalog.inet_client_addr()) AS client_here
FROM pg_catalog.pg_locks l
LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
  AND l.classid = $1::oid AND l.objid = $2::oid
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d
                    WHERE d.datname = pg_catalog.current_database())
LIMIT 1
