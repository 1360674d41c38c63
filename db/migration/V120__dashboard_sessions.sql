-- The dashboard's sessions (Spring Session JDBC), shared by every hub instance: a browser signed in on one is signed
-- in on all of them. The tables are Spring Session's own (schema-postgresql.sql of spring-session-jdbc 4.0), created
-- here rather than by Spring Session so that migrations stay the only source of the schema. A session holds the API
-- key's id and tenant, never the key, so the tables are not tenant-scoped: the hub reads a session before it knows
-- the tenant. Each instance deletes expired sessions once a minute (spring.session.jdbc.cleanup-cron).
CREATE TABLE spring_session (
    primary_id            char(36)     NOT NULL,
    session_id            char(36)     NOT NULL,
    creation_time         bigint       NOT NULL,
    last_access_time      bigint       NOT NULL,
    max_inactive_interval int          NOT NULL,
    expiry_time           bigint       NOT NULL,
    principal_name        varchar(100),
    CONSTRAINT spring_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX spring_session_ix1 ON spring_session (session_id);
CREATE INDEX spring_session_ix2 ON spring_session (expiry_time);
CREATE INDEX spring_session_ix3 ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id char(36)     NOT NULL,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea        NOT NULL,
    CONSTRAINT spring_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT spring_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES spring_session (primary_id) ON DELETE CASCADE
);

GRANT SELECT, INSERT, UPDATE, DELETE ON spring_session, spring_session_attributes TO "${appRole}";
