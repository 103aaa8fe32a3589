-- The partition of staging.register that holds each year, for copying a
-- register list straight into it (PostgreSQL then need not route each row).
-- Only partitions bounded by exactly one year qualify; other years go
-- through the parent.  year_default: the partition's default for year is
-- that year (migration 028), so the rows need not carry it.
SELECT y.year,
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS partition,
       coalesce((SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) = y.year::text
                 FROM pg_catalog.pg_attrdef AS d
                 JOIN pg_catalog.pg_attribute AS a
                   ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                 WHERE d.adrelid = c.oid AND a.attname = 'year'), false) AS year_default
FROM pg_catalog.generate_series(2000, 2100) AS y(year)
JOIN pg_catalog.pg_inherits AS i ON i.inhparent = 'staging.register'::pg_catalog.regclass
JOIN pg_catalog.pg_class AS c ON c.oid = i.inhrelid
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE pg_catalog.pg_get_expr(c.relpartbound, c.oid)
      = pg_catalog.format('FOR VALUES FROM (%L) TO (%L)', y.year, y.year + 1)
ORDER BY y.year;
