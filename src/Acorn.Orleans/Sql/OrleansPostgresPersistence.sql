-- Orleans' ADO.NET grain storage on PostgreSQL, as Acorn's tests install it.
--
-- The provider reads its three queries from a table named OrleansQuery (keys WriteToStorageKey, ReadFromStorageKey,
-- ClearStorageKey), binds parameters by name (@GrainIdN0, @GrainStateVersion, @PayloadBinary, ...) and reads result
-- columns by name (PayloadBinary, Version, NewGrainStateVersion). Everything else here is our own choice:
-- - one row per (service, state name, grain id) under a primary key, so two racing first writes cannot both insert
--   (ON CONFLICT), where a NOT EXISTS check would need a table lock;
-- - the version is the provider's ETag: a write names the version it read and succeeds only if the row still has it.
--   A write that changed nothing returns the version it was given, which the provider reports as an
--   InconsistentStateException: the backstop against two activations of one grain.
-- Parameters are cast because a NULL parameter has no type PostgreSQL could infer.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

CREATE TABLE IF NOT EXISTS acorn_grain_state
(
    service_id varchar(150) NOT NULL,
    grain_type varchar(512) NOT NULL,
    grain_n0 bigint NOT NULL,
    grain_n1 bigint NOT NULL,
    grain_key varchar(512) NOT NULL,
    payload bytea,
    version integer NOT NULL,
    modified_on timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_n0, grain_n1, grain_key)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE acorn_grain_state
    SET payload = CAST(@PayloadBinary AS bytea), version = version + 1, modified_on = now()
    WHERE service_id = CAST(@ServiceId AS varchar) AND grain_type = CAST(@GrainTypeString AS varchar)
      AND grain_n0 = CAST(@GrainIdN0 AS bigint) AND grain_n1 = CAST(@GrainIdN1 AS bigint)
      AND grain_key = COALESCE(CAST(@GrainIdExtensionString AS varchar), '')
      AND version = CAST(@GrainStateVersion AS integer)
    RETURNING version),
inserted AS (
    INSERT INTO acorn_grain_state (service_id, grain_type, grain_n0, grain_n1, grain_key, payload, version)
    SELECT CAST(@ServiceId AS varchar), CAST(@GrainTypeString AS varchar), CAST(@GrainIdN0 AS bigint),
           CAST(@GrainIdN1 AS bigint), COALESCE(CAST(@GrainIdExtensionString AS varchar), ''),
           CAST(@PayloadBinary AS bytea), 1
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted), CAST(@GrainStateVersion AS integer))
    AS NewGrainStateVersion
$q$),
('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, CAST(NULL AS xml) AS PayloadXml, CAST(NULL AS text) AS PayloadJson,
       modified_on AS ModifiedOn, version AS Version
FROM acorn_grain_state
WHERE service_id = CAST(@ServiceId AS varchar) AND grain_type = CAST(@GrainTypeString AS varchar)
  AND grain_n0 = CAST(@GrainIdN0 AS bigint) AND grain_n1 = CAST(@GrainIdN1 AS bigint)
  AND grain_key = COALESCE(CAST(@GrainIdExtensionString AS varchar), '')
$q$),
('ClearStorageKey', $q$
UPDATE acorn_grain_state
SET payload = NULL, version = version + 1, modified_on = now()
WHERE service_id = CAST(@ServiceId AS varchar) AND grain_type = CAST(@GrainTypeString AS varchar)
  AND grain_n0 = CAST(@GrainIdN0 AS bigint) AND grain_n1 = CAST(@GrainIdN1 AS bigint)
  AND grain_key = COALESCE(CAST(@GrainIdExtensionString AS varchar), '')
  AND version = CAST(@GrainStateVersion AS integer)
RETURNING version AS NewGrainStateVersion
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
