package dev.unusd.spokesim;

import java.util.HashMap;
import java.util.Map;

/**
 * The size and seed of a generated organisation, as the command line spells it:
 * {@code accounts=20,regions=2,keys=150,seed=42[,externalId=...][,ous=40]}. Keys are per account and region. With an
 * externalId every spoke role is deployed trusting it; without, the roles wait for {@code deployRole}. With ous the
 * accounts also form an AWS organisation: the first is its management account, the others spread over that many
 * OUs.
 */
public record OrganisationSpec(int accounts, int regions, int keysPerRegion, long seed, String externalId, int ous) {

    public OrganisationSpec {
        if (accounts < 1 || regions < 1 || keysPerRegion < 0 || ous < 0) {
            throw new IllegalArgumentException("accounts and regions must be at least 1, keys and ous at least 0");
        }
        if (regions > OrganisationGenerator.REGIONS.size()) {
            throw new IllegalArgumentException("at most " + OrganisationGenerator.REGIONS.size() + " regions");
        }
    }

    public OrganisationSpec(int accounts, int regions, int keysPerRegion, long seed) {
        this(accounts, regions, keysPerRegion, seed, null, 0);
    }

    public OrganisationSpec(int accounts, int regions, int keysPerRegion, long seed, String externalId) {
        this(accounts, regions, keysPerRegion, seed, externalId, 0);
    }

    public static OrganisationSpec parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected name=value in '" + pair + "'");
            }
            values.put(kv[0].trim(), kv[1].trim());
        }
        OrganisationSpec spec = new OrganisationSpec(
                Integer.parseInt(values.getOrDefault("accounts", "3")),
                Integer.parseInt(values.getOrDefault("regions", "2")),
                Integer.parseInt(values.getOrDefault("keys", "15")),
                Long.parseLong(values.getOrDefault("seed", "42")),
                values.get("externalId"),
                Integer.parseInt(values.getOrDefault("ous", "0")));
        values.keySet().removeAll(java.util.Set.of("accounts", "regions", "keys", "seed", "externalId", "ous"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown generator settings " + values.keySet());
        }
        return spec;
    }
}
