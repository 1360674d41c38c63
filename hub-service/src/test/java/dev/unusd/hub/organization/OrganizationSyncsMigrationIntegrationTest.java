package dev.unusd.hub.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.unusd.hub.db.DatabaseBootstrap;
import dev.unusd.hub.support.TestDatabase;

/**
 * Upgrading a database on which older hubs ran scheduled syncs without a task of their own: the syncs they left
 * QUEUED or RUNNING, which nothing would ever end, are ended; a sync whose task is queued is left to it.
 */
class OrganizationSyncsMigrationIntegrationTest {

    private static final String DATABASE_URL = TestDatabase.get().url() + "_syncs_migration";
    private static final JdbcClient DATABASE = JdbcClient.create(new DriverManagerDataSource(DATABASE_URL,
            TestDatabase.get().adminUser(), TestDatabase.get().adminPassword()));

    @Test
    void syncsNoTaskCarriesAreEndedAndTheOthersAreLeftAsTheyWere() {
        DatabaseBootstrap.createIfMissing(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword());
        migrations().target("170").load().migrate();
        UUID tenant = UUID.randomUUID();
        UUID organization = UUID.randomUUID();
        DATABASE.sql("insert into tenants (id, name) values (?, 'upgraded')").param(tenant).update();
        DATABASE.sql("""
                insert into organizations (id, tenant_id, management_account_id, name, organizational_units,
                    external_id, reader_role_name, spoke_role_name, created_at)
                values (?, ?, '123456789012', 'Acme', '{}', ?, 'UnusdOrgReaderRole', 'UnusdSpokeRole', now())""")
                .params(organization, tenant, "unusd-" + UUID.randomUUID() + UUID.randomUUID()).update();
        UUID halted = sync(tenant, organization, "SCHEDULED", "RUNNING");
        UUID neverStarted = sync(tenant, organization, "SCHEDULED", "QUEUED");
        UUID carried = sync(tenant, organization, "MANUAL", "QUEUED");
        UUID ended = sync(tenant, organization, "MANUAL", "SUCCEEDED");
        DATABASE.sql("""
                insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)
                values (?, ?, now(), false, 1)""").params(OrganizationTasks.SYNC, carried.toString()).update();

        migrations().load().migrate();

        assertThat(state(halted)).isEqualTo("FAILED INTERRUPTED finished");
        assertThat(state(neverStarted)).isEqualTo("FAILED INTERRUPTED finished");
        assertThat(state(carried)).isEqualTo("QUEUED - -");
        assertThat(state(ended)).isEqualTo("SUCCEEDED - -");
    }

    /** As the hub migrates: its locations, the schema owner, the application role's name. */
    private static FluentConfiguration migrations() {
        return Flyway.configure().dataSource(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword()).locations("classpath:db/migration")
                .placeholders(Map.of("appRole", TestDatabase.APP_ROLE));
    }

    private static UUID sync(UUID tenant, UUID organization, String trigger, String status) {
        UUID id = UUID.randomUUID();
        DATABASE.sql("""
                insert into organization_syncs (id, tenant_id, organization_id, trigger, status, created_at)
                values (?, ?, ?, ?, ?, now())""").params(id, tenant, organization, trigger, status).update();
        return id;
    }

    /** Status, error code and whether it has finished. */
    private static String state(UUID sync) {
        return DATABASE.sql("""
                select status || ' ' || coalesce(error_code, '-') || ' '
                       || case when finished_at is null then '-' else 'finished' end
                  from organization_syncs where id = ?""").param(sync).query(String.class).single();
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabase.get().drop(DATABASE_URL);
    }
}
