package dev.unusd.hub.db;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The tenant the current thread works for. Every transaction copies it into the Postgres setting
 * {@code hub.tenant_id}, on which row-level security filters every tenant-owned table; without it a transaction
 * sees no tenant rows at all.
 */
public final class TenantContext {

    private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

    private TenantContext() {
    }

    public static Optional<UUID> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public static UUID require() {
        UUID tenant = CURRENT.get();
        if (tenant == null) {
            throw new IllegalStateException("no tenant in context");
        }
        return tenant;
    }

    public static <T> T callAs(UUID tenantId, Supplier<T> work) {
        try (Scope scope = open(tenantId)) {
            return work.get();
        }
    }

    /** Works for {@code tenantId} until the scope is closed, then restores what was there before. */
    public static Scope open(UUID tenantId) {
        UUID previous = CURRENT.get();
        CURRENT.set(tenantId);
        return () -> restore(previous);
    }

    /** A tenant scope; closing it cannot fail. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static void runAs(UUID tenantId, Runnable work) {
        callAs(tenantId, () -> {
            work.run();
            return null;
        });
    }

    private static void restore(UUID previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
