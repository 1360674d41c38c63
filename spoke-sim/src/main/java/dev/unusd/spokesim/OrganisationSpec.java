package dev.unusd.spokesim;

import java.util.HashMap;
import java.util.Map;

/**
 * The size and seed of a generated organisation, as the command line spells it:
 * {@code accounts=20,regions=2,keys=150,seed=42[,profile=org][,externalId=...][,ous=40]}. With the {@code uniform}
 * profile (the default) keys are per account and region; with {@code org} they are crowded as in real organisations
 * (see {@link Profile#ORG}). With an externalId every spoke role is deployed trusting it; without, the roles wait for
 * {@code deployRole}. With ous the accounts also form an AWS organisation: the first is its management account, the
 * others spread over that many OUs.
 */
public record OrganisationSpec(int accounts, int regions, int keysPerRegion, long seed, String externalId,
        Profile profile, int ous) {

    /** How keys are spread over an account's regions. */
    public enum Profile {
        /** Every region holds {@code keys} keys. */
        UNIFORM,
        /**
         * A home region (the first) holds {@code keys} keys; the next two hold a fifth of that each; of the others,
         * about half hold only a few AWS-managed keys (services turned on there) and the rest none at all.
         */
        ORG
    }

    public OrganisationSpec {
        if (accounts < 1 || regions < 1 || keysPerRegion < 0 || ous < 0) {
            throw new IllegalArgumentException("accounts and regions must be at least 1, keys and ous at least 0");
        }
        if (profile == null) {
            profile = Profile.UNIFORM;
        }
        if (regions > OrganisationGenerator.REGIONS.size()) {
            throw new IllegalArgumentException("at most " + OrganisationGenerator.REGIONS.size() + " regions");
        }
    }

    public OrganisationSpec(int accounts, int regions, int keysPerRegion, long seed) {
        this(accounts, regions, keysPerRegion, seed, null, Profile.UNIFORM, 0);
    }

    public OrganisationSpec(int accounts, int regions, int keysPerRegion, long seed, String externalId) {
        this(accounts, regions, keysPerRegion, seed, externalId, Profile.UNIFORM, 0);
    }

    public OrganisationSpec(int accounts, int regions, int keysPerRegion, long seed, Profile profile) {
        this(accounts, regions, keysPerRegion, seed, null, profile, 0);
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
                Profile.valueOf(values.getOrDefault("profile", "uniform").toUpperCase(java.util.Locale.ROOT)),
                Integer.parseInt(values.getOrDefault("ous", "0")));
        values.keySet().removeAll(java.util.Set.of("accounts", "regions", "keys", "seed", "externalId", "profile",
                "ous"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown generator settings " + values.keySet());
        }
        return spec;
    }
}
