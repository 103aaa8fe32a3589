-- 001: the five schemas of DESIGN.md §5 and the three NOLOGIN roles that
-- deployers grant to their login roles (README "Roles").
--   hoctap_ingest    reads ref, writes staging
--   hoctap_transform reads ref and staging, writes core, mart and audit
--   hoctap_report    reads mart only (and the schema version)
-- Privileges on tables created by later migrations come from the default
-- privileges set here, so each migration need not repeat its grants.

CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS mart;
CREATE SCHEMA IF NOT EXISTS audit;

COMMENT ON SCHEMA ref IS 'reference data: administrative units, titles, plan targets';
COMMENT ON SCHEMA staging IS 'files as ingested: ledger, raw rows with file and line, rejects';
COMMENT ON SCHEMA core IS 'current normalised facts with provenance, after supersession';
COMMENT ON SCHEMA mart IS 'aggregates that hoctap-report reads';
COMMENT ON SCHEMA audit IS 'schema version, transform runs, findings, closed years';

-- Roles belong to the whole cluster: another database migrating at the same
-- moment may create them first, which is fine.
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['hoctap_ingest', 'hoctap_transform', 'hoctap_report'] LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			BEGIN
				EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
			EXCEPTION WHEN duplicate_object OR unique_violation THEN
				NULL;
			END;
		END IF;
	END LOOP;
END
$$;

REVOKE ALL ON SCHEMA ref, staging, core, mart, audit FROM PUBLIC;

GRANT USAGE ON SCHEMA ref TO hoctap_ingest, hoctap_transform;
GRANT USAGE ON SCHEMA staging TO hoctap_ingest, hoctap_transform;
GRANT USAGE ON SCHEMA core TO hoctap_transform;
GRANT USAGE ON SCHEMA mart TO hoctap_transform, hoctap_report;
GRANT USAGE ON SCHEMA audit TO hoctap_ingest, hoctap_transform, hoctap_report;

ALTER DEFAULT PRIVILEGES IN SCHEMA ref GRANT SELECT ON TABLES TO hoctap_ingest, hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging
	GRANT SELECT, INSERT, UPDATE ON TABLES TO hoctap_ingest;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging GRANT USAGE ON SEQUENCES TO hoctap_ingest;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging GRANT SELECT ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA core
	GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT USAGE ON SEQUENCES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA mart
	GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO hoctap_report;
ALTER DEFAULT PRIVILEGES IN SCHEMA audit
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA audit GRANT USAGE ON SEQUENCES TO hoctap_transform;

-- Every program reads the schema version before it works.
GRANT SELECT ON audit.schema_migrations TO hoctap_ingest, hoctap_transform, hoctap_report;
