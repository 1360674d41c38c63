package dev.unusd.hub.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import jakarta.persistence.EntityManagerFactory;

/**
 * A JPA transaction manager that starts every transaction by binding {@link TenantContext} to the
 * transaction-local Postgres setting row-level security reads. JPA and JDBC work in the transaction share the
 * connection, so both are filtered. With no tenant in context the setting is empty and every tenant table is empty.
 */
public class TenantScopedTransactionManager extends JpaTransactionManager {

    private static final String BIND_TENANT = "select set_config('hub.tenant_id', ?, true)";

    public TenantScopedTransactionManager(EntityManagerFactory emf) {
        super(emf);
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        super.doBegin(transaction, definition);
        DataSource dataSource = getDataSource();
        if (dataSource == null
                || !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder)) {
            throw new CannotCreateTransactionException("JPA transaction exposes no JDBC connection to bind the tenant to");
        }
        try (PreparedStatement bind = holder.getConnection().prepareStatement(BIND_TENANT)) {
            bind.setString(1, TenantContext.current().map(UUID::toString).orElse(""));
            bind.execute();
        } catch (SQLException e) {
            throw new CannotCreateTransactionException("could not bind tenant to transaction", e);
        }
    }
}
