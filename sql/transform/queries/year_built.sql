-- transform/queries/year_built.sql — for --close $1: whether the year has
-- any figure (a fact or a fund row taken in by a run), and the years that
-- have, for the message when it has none.
SELECT EXISTS (SELECT FROM core.facts f WHERE f.year = $1::smallint)
       OR EXISTS (SELECT FROM core.funds d WHERE d.year = $1::smallint) AS built,
       (SELECT pg_catalog.string_agg(y.year::text, ', ' ORDER BY y.year)
        FROM (SELECT DISTINCT f.year FROM core.facts f
              UNION
              SELECT DISTINCT d.year FROM core.funds d) y) AS years
