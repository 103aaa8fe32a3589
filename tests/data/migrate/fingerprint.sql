-- The schema of the hoctap schemas as one sorted text: two databases with
-- the same fingerprint have the same tables, columns (in order), types,
-- defaults, constraints, indexes, views, functions, triggers, privileges and
-- comments, and the same rows in the tables the schema itself fills.
WITH ns AS (
	SELECT oid, nspname FROM pg_catalog.pg_namespace
	WHERE nspname IN ('ref', 'staging', 'core', 'mart', 'audit')
), items AS (
	SELECT 'schema ' || n.nspname || ' ' || coalesce(pg_catalog.obj_description(n.oid, 'pg_namespace'), '')
	       || ' ' || coalesce(pg_catalog.array_to_string(s.nspacl, ','), '') AS item
	FROM ns n JOIN pg_catalog.pg_namespace s ON s.oid = n.oid
	UNION ALL
	SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' '
	       || coalesce(pg_catalog.pg_get_expr(c.relpartbound, c.oid), '') || ' '
	       || coalesce(pg_catalog.array_to_string(c.relacl, ','), '') || ' '
	       || coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '')
	FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace
	WHERE c.relkind IN ('r', 'p', 'v', 'S')
	UNION ALL
	SELECT 'col ' || n.nspname || '.' || c.relname || ' ' || a.attnum || ' ' || a.attname || ' '
	       || pg_catalog.format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
	       || coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text
	FROM pg_catalog.pg_attribute a
	JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
	JOIN ns n ON n.oid = c.relnamespace
	LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	WHERE c.relkind IN ('r', 'p', 'v') AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT 'con ' || n.nspname || '.' || c.relname || ' ' || k.conname || ' '
	       || pg_catalog.pg_get_constraintdef(k.oid)
	FROM pg_catalog.pg_constraint k
	JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
	JOIN ns n ON n.oid = c.relnamespace
	UNION ALL
	SELECT 'idx ' || pg_catalog.pg_get_indexdef(i.indexrelid)
	FROM pg_catalog.pg_index i
	JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
	JOIN ns n ON n.oid = c.relnamespace
	UNION ALL
	SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || pg_catalog.pg_get_viewdef(c.oid)
	FROM pg_catalog.pg_class c JOIN ns n ON n.oid = c.relnamespace
	WHERE c.relkind = 'v'
	UNION ALL
	SELECT 'func ' || pg_catalog.pg_get_functiondef(p.oid) || ' '
	       || coalesce(pg_catalog.array_to_string(p.proacl, ','), '')
	FROM pg_catalog.pg_proc p JOIN ns n ON n.oid = p.pronamespace
	UNION ALL
	SELECT 'trig ' || pg_catalog.pg_get_triggerdef(t.oid)
	FROM pg_catalog.pg_trigger t
	JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
	JOIN ns n ON n.oid = c.relnamespace
	WHERE NOT t.tgisinternal
	UNION ALL
	SELECT 'defacl ' || coalesce(n.nspname, '') || ' ' || d.defaclobjtype::text || ' '
	       || pg_catalog.array_to_string(d.defaclacl, ',')
	FROM pg_catalog.pg_default_acl d LEFT JOIN ns n ON n.oid = d.defaclnamespace
	UNION ALL
	SELECT 'titles ' || t::text FROM ref.titles t
	UNION ALL
	SELECT 'rules ' || r::text FROM core.rules r
)
SELECT pg_catalog.string_agg(item, E'\n' ORDER BY item) FROM items;
