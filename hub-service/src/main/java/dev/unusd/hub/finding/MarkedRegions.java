package dev.unusd.hub.finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The account-regions whose findings are unverified (hub_unverified_regions, db/migration/V191): every region of the
 * {@code accounts} (disabled), and the {@code regions} of other accounts. The unverified filter reads the findings
 * of these few, or skips them, rather than judging every finding of a list.
 */
record MarkedRegions(List<UUID> accounts, List<AccountRegion> regions) {

    static final MarkedRegions NONE = new MarkedRegions(List.of(), List.of());

    record AccountRegion(UUID account, String region) {
    }

    MarkedRegions {
        accounts = List.copyOf(accounts);
        regions = List.copyOf(regions);
    }

    static MarkedRegions of(JdbcClient jdbc, UUID tenant) {
        List<UUID> accounts = new ArrayList<>();
        List<AccountRegion> regions = new ArrayList<>();
        jdbc.sql("SELECT account_id, region FROM hub_unverified_regions(:tenant) ORDER BY 1, 2").param("tenant", tenant)
                .query(rs -> {
                    UUID account = rs.getObject("account_id", UUID.class);
                    String region = rs.getString("region");
                    if (region == null) {
                        accounts.add(account);
                    } else {
                        regions.add(new AccountRegion(account, region));
                    }
                });
        return new MarkedRegions(accounts, regions);
    }

    /** What a list's filter takes or leaves out by its {@code unverified}; none read when it has none. */
    static MarkedRegions of(JdbcClient jdbc, UUID tenant, FindingQueries.Filter filter) {
        return filter.unverified() == null ? NONE : of(jdbc, tenant).within(filter.accountId(), filter.region());
    }

    /** Those a filter on one account or one region can meet. */
    MarkedRegions within(@Nullable UUID account, @Nullable String region) {
        return new MarkedRegions(
                accounts.stream().filter(a -> account == null || a.equals(account)).toList(),
                regions.stream().filter(r -> account == null || r.account().equals(account))
                        .filter(r -> region == null || r.region().equals(region)).toList());
    }

    int size() {
        return accounts.size() + regions.size();
    }

    /** The accounts of {@link #regions}, per region. */
    Map<String, List<UUID>> accountsByRegion() {
        Map<String, List<UUID>> byRegion = new LinkedHashMap<>();
        regions.forEach(r -> byRegion.computeIfAbsent(r.region(), k -> new ArrayList<>()).add(r.account()));
        return byRegion;
    }
}
