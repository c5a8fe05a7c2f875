-- Orleans' ADO.NET cluster membership on PostgreSQL, Acorn's version. Safe to run again (IF NOT EXISTS, upserts).
--
-- The provider reads its queries from the table OrleansQuery by key, binds parameters by name (@DeploymentId, @Address,
-- @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @SuspectTimes, @StartTime, @IAmAliveTime, @Version)
-- and reads result columns by name (the membership columns and Version); an insert or update reports success as a
-- first column greater than zero. Everything else is our own choice:
-- - every membership change is one statement that moves the cluster's version row only from the version the silo read
--   (compare-and-set), so two silos acting on the same view cannot both win;
-- - a version bump whose row write then matched nothing (the silo's row already there, or gone) is harmless: the
--   provider sees 0, rereads the table and retries against the new version;
-- - parameters are cast because a NULL parameter has no type PostgreSQL could infer.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

-- One row per cluster (Orleans calls the cluster id DeploymentId here): the membership table's version.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) PRIMARY KEY,
    Timestamp timestamptz NOT NULL DEFAULT now(),
    Version integer NOT NULL DEFAULT 0
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer,
    SuspectTimes varchar(8000),
    StartTime timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (CAST(@DeploymentId AS varchar))
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT CAST(count(*) AS integer) FROM inserted
$q$),
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Version = CAST(@Version AS integer)
    RETURNING DeploymentId),
inserted AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT DeploymentId, CAST(@Address AS varchar), CAST(@Port AS integer), CAST(@Generation AS integer),
           CAST(@SiloName AS varchar), CAST(@HostName AS varchar), CAST(@Status AS integer), CAST(@ProxyPort AS integer),
           CAST(@StartTime AS timestamptz), CAST(@IAmAliveTime AS timestamptz)
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT CAST(count(*) AS integer) FROM inserted
$q$),
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Version = CAST(@Version AS integer)
    RETURNING DeploymentId),
updated AS (
    UPDATE OrleansMembershipTable m
    SET Status = CAST(@Status AS integer), SuspectTimes = CAST(@SuspectTimes AS varchar),
        IAmAliveTime = GREATEST(m.IAmAliveTime, CAST(@IAmAliveTime AS timestamptz))
    FROM bumped
    WHERE m.DeploymentId = bumped.DeploymentId AND m.Address = CAST(@Address AS varchar)
      AND m.Port = CAST(@Port AS integer) AND m.Generation = CAST(@Generation AS integer)
    RETURNING 1)
SELECT CAST(count(*) AS integer) FROM updated
$q$),
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable SET IAmAliveTime = GREATEST(IAmAliveTime, CAST(@IAmAliveTime AS timestamptz))
WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Address = CAST(@Address AS varchar)
  AND Port = CAST(@Port AS integer) AND Generation = CAST(@Generation AS integer)
$q$),
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    AND m.Address = CAST(@Address AS varchar) AND m.Port = CAST(@Port AS integer)
    AND m.Generation = CAST(@Generation AS integer)
WHERE v.DeploymentId = CAST(@DeploymentId AS varchar)
$q$),
('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = CAST(@DeploymentId AS varchar)
$q$),
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Status = CAST(@Status AS integer) AND ProxyPort > 0
$q$),
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipTable WHERE DeploymentId = CAST(@DeploymentId AS varchar);
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = CAST(@DeploymentId AS varchar)
$q$),
-- Status 6 is Dead: only rows of silos declared dead, quiet since before the cutoff, are removed.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Status = 6
  AND IAmAliveTime < CAST(@IAmAliveTime AS timestamptz) AND StartTime < CAST(@IAmAliveTime AS timestamptz)
$q$),
-- One dead row, removed only if it is still exactly as the caller saw it.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = CAST(@DeploymentId AS varchar) AND Status = 6
  AND Address = CAST(@Address AS varchar) AND Port = CAST(@Port AS integer) AND Generation = CAST(@Generation AS integer)
  AND IAmAliveTime = CAST(@IAmAliveTime AS timestamptz) AND StartTime = CAST(@StartTime AS timestamptz)
  AND COALESCE(SuspectTimes, '') = COALESCE(CAST(@SuspectTimes AS varchar), '')
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
