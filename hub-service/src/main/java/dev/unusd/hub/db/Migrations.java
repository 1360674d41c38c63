package dev.unusd.hub.db;

import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.stereotype.Component;

/**
 * Runs the Flyway migrations, then gives the application role the password this deployment configured (if any),
 * so a fresh database or a rotated password needs no manual step. Done here rather than in SQL so the password never
 * lands in a migration script; and the driver hashes it (as the server's password_encryption asks) before it is sent,
 * so the plaintext never reaches the server, where statement logging (log_statement = 'ddl', pgaudit) or
 * pg_stat_statements would otherwise keep it.
 */
@Component
class Migrations implements FlywayMigrationStrategy {

    private final String appRole;
    private final String appPassword;

    Migrations(@Value("${spring.datasource.username}") String appRole,
            @Value("${spring.datasource.password:}") String appPassword) {
        this.appRole = appRole;
        this.appPassword = appPassword;
    }

    @Override
    public void migrate(org.flywaydb.core.Flyway flyway) {
        flyway.migrate();
        if (appPassword.isEmpty()) {
            return;
        }
        try (Connection c = flyway.getConfiguration().getDataSource().getConnection()) {
            c.unwrap(PGConnection.class).alterUserPassword(appRole, appPassword.toCharArray(), null);
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the application role's password", e);
        }
    }
}
