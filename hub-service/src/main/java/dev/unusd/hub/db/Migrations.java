package dev.unusd.hub.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.core.Utils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.stereotype.Component;

/**
 * Runs the Flyway migrations, then gives the application role the password this deployment configured (if any),
 * so a fresh database or a rotated password needs no manual step. Done here rather than in SQL so the password
 * is quoted by the driver and never lands in a migration script.
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
        try (Connection c = flyway.getConfiguration().getDataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("alter role " + Utils.escapeIdentifier(null, appRole).toString()
                    + " password " + Utils.escapeLiteral(null, appPassword, true).toString().transform(q -> "'" + q + "'"));
        } catch (SQLException e) {
            throw new IllegalStateException("could not set the application role's password", e);
        }
    }
}
