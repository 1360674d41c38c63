package dev.unusd.spokesim.scenario;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.Scenario.Account;
import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyFaults;
import dev.unusd.spokesim.Scenario.LastUsage;
import dev.unusd.spokesim.Scenario.MultiRegion;
import dev.unusd.spokesim.Scenario.Region;
import dev.unusd.spokesim.Scenario.Role;
import dev.unusd.spokesim.Scenario.Rotation;
import dev.unusd.spokesim.Scenario.TrailEntry;

/**
 * Maps a parsed YAML/JSON tree onto the scenario records by hand: a data-binding library costs more start-up time
 * than the whole rest of the simulator. Unknown fields fail with their path, so a typo in a fixture cannot pass.
 */
public final class ScenarioTree {

    private final ScenarioTime time;

    /** Relative dates in the tree ("-30d") count from {@code now}. */
    public ScenarioTree(Instant now) {
        this.time = new ScenarioTime(now);
    }

    public Scenario scenario(Object root) {
        Fields f = new Fields(root, "scenario", "hubAccountId", "seed", "quotaScale", "latencyMs",
                "rotationStatusForUnsupported", "quotas", "serverErrorRate", "serverErrorRates", "accounts",
                "organizations");
        return new Scenario(f.string("hubAccountId"), f.number("seed", 0).longValue(),
                f.number("quotaScale", 1.0).doubleValue(), f.number("latencyMs", 0).longValue(),
                f.enumValue("rotationStatusForUnsupported", Scenario.RotationStatusForUnsupported.class),
                f.rates("quotas"), f.number("serverErrorRate", 0).doubleValue(), f.rates("serverErrorRates"),
                f.list("accounts", this::account), f.list("organizations", this::organization));
    }

    private Scenario.Organization organization(Fields f) {
        Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        f.map("tags").forEach((account, values) -> {
            Map<String, String> accountTags = new LinkedHashMap<>();
            if (values instanceof Map<?, ?> m) {
                m.forEach((k, v) -> accountTags.put(String.valueOf(k), String.valueOf(v)));
            }
            tags.put(account, accountTags);
        });
        return new Scenario.Organization(f.string("managementAccountId"), f.strings("accounts"),
                f.list("units", this::organizationalUnit), tags);
    }

    private Scenario.OrganizationalUnit organizationalUnit(Fields f) {
        return new Scenario.OrganizationalUnit(f.string("name"), f.strings("accounts"),
                f.list("units", this::organizationalUnit));
    }

    private Account account(Fields f) {
        Map<String, Region> regions = new LinkedHashMap<>();
        f.map("regions").forEach((name, region) ->
                regions.put(name, region(new Fields(region, f.path + ".regions." + name, "trackingStartDate",
                        "cloudTrailDenied", "keys", "aliasesWithoutKey"))));
        return new Account(f.string("id"), f.string("name"), f.list("roles", this::role), f.strings("disabledRegions"),
                f.number("latencyMs", 0).longValue(), regions);
    }

    private Role role(Fields f) {
        return new Role(f.string("name"), f.string("externalId"),
                f.has("actions") ? new LinkedHashSet<>(f.strings("actions")) : null);
    }

    private Region region(Fields f) {
        return new Region(f.instant("trackingStartDate"), f.bool("cloudTrailDenied"), f.list("keys", this::key),
                f.strings("aliasesWithoutKey"));
    }

    private Key key(Fields f) {
        Map<String, String> tags = new LinkedHashMap<>();
        f.map("tags").forEach((k, v) -> tags.put(k, String.valueOf(v)));
        return new Key(f.string("id"), f.enumValue("manager", Scenario.KeyManager.class),
                f.enumValue("state", Scenario.KeyState.class), f.string("spec"),
                f.enumValue("usage", Scenario.KeyUsage.class), f.enumValue("origin", Scenario.Origin.class),
                f.string("description"), f.object("multiRegion", this::multiRegion), f.instant("createdAt"),
                f.instant("deletionDate"), f.object("rotation", this::rotation), tags, f.strings("aliases"),
                lastUsage(f), f.list("cloudTrail", this::trailEntry), f.number("noiseEvents", 0).intValue(),
                f.object("faults", this::faults), keyPolicy(f), f.list("grants", this::grant));
    }

    /** A key policy written as a mapping (read like the JSON it is) or as the JSON text itself. */
    private static String keyPolicy(Fields f) {
        Object value = f.values.get("keyPolicy");
        if (value == null) {
            return null;
        }
        return value instanceof Map<?, ?> ? new String(dev.unusd.spokesim.wire.WireJson.write(value),
                java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private Scenario.Grant grant(Fields f) {
        return new Scenario.Grant(f.string("id"), f.string("name"), f.string("granteePrincipal"),
                f.string("retiringPrincipal"), f.strings("operations"), f.string("issuingAccount"),
                f.instant("createdAt"));
    }

    private LastUsage lastUsage(Fields f) {
        if ("none".equals(f.values.get("lastUsage"))) {
            return LastUsage.NONE;
        }
        return f.object("lastUsage", u -> new LastUsage(u.instant("at"), u.string("operation")));
    }

    private MultiRegion multiRegion(Fields f) {
        return new MultiRegion(f.enumValue("type", Scenario.MultiRegionKeyType.class), f.string("primaryRegion"));
    }

    private Rotation rotation(Fields f) {
        Number period = f.number("periodDays", null);
        return new Rotation(f.bool("enabled"), period == null ? null : period.intValue(),
                f.number("rotations", 0).intValue(), f.instant("nextRotationAt"));
    }

    private TrailEntry trailEntry(Fields f) {
        return new TrailEntry(f.instant("at"), f.string("eventName"), f.string("errorCode"));
    }

    private KeyFaults faults(Fields f) {
        return new KeyFaults(f.bool("denyDescribeKey"), f.bool("denyGetKeyLastUsage"),
                f.bool("getKeyLastUsageUnsupported"), f.bool("rotationsLag"), f.bool("omitTrackingStartDate"),
                f.bool("omitLastUsageTimestamp"), f.bool("omitKeyManager"));
    }

    /** One mapping node with the fields its record allows. */
    private final class Fields {
        private final String path;
        private final Map<?, ?> values;

        Fields(Object node, String path, String... allowed) {
            this.path = path;
            if (node != null && !(node instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(path + ": expected a mapping, got " + node);
            }
            this.values = node == null ? Map.of() : (Map<?, ?>) node;
            Set<String> known = Set.of(allowed);
            for (Object name : values.keySet()) {
                if (!known.contains(String.valueOf(name))) {
                    throw new IllegalArgumentException(path + ": unknown field '" + name + "' (known: " + known + ")");
                }
            }
        }

        boolean has(String name) {
            return values.get(name) != null;
        }

        String string(String name) {
            Object value = values.get(name);
            return value == null ? null : String.valueOf(value);
        }

        Number number(String name, Number otherwise) {
            Object value = values.get(name);
            if (value == null) {
                return otherwise;
            }
            if (value instanceof Number n) {
                return n;
            }
            try {
                return Double.valueOf(value.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(path + "." + name + ": expected a number, got " + value);
            }
        }

        boolean bool(String name) {
            Object value = values.get(name);
            return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString());
        }

        Instant instant(String name) {
            Object value = values.get(name);
            if (value == null) {
                return null;
            }
            // SnakeYAML turns bare ISO timestamps into Dates.
            if (value instanceof Date date) {
                return date.toInstant();
            }
            try {
                return time.parse(value.toString());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(path + "." + name + ": not a date: " + value);
            }
        }

        <E extends Enum<E>> E enumValue(String name, Class<E> type) {
            String value = string(name);
            if (value == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + "." + name + ": '" + value + "' is not one of "
                        + List.of(type.getEnumConstants()));
            }
        }

        List<String> strings(String name) {
            Object value = values.get(name);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException(path + "." + name + ": expected a list");
            }
            return list.stream().map(String::valueOf).toList();
        }

        Map<String, Object> map(String name) {
            Object value = values.get(name);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(path + "." + name + ": expected a mapping");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }

        Map<String, Double> rates(String name) {
            Map<String, Double> rates = new LinkedHashMap<>();
            map(name).forEach((k, v) -> rates.put(k, numberOf(name + "." + k, v)));
            return rates;
        }

        private double numberOf(String name, Object value) {
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            throw new IllegalArgumentException(path + "." + name + ": expected a number, got " + value);
        }

        <T> T object(String name, Function<Fields, T> mapping) {
            Object value = values.get(name);
            return value == null ? null : mapping.apply(new Fields(value, path + "." + name, allowedFor(name)));
        }

        <T> List<T> list(String name, Function<Fields, T> mapping) {
            Object value = values.get(name);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException(path + "." + name + ": expected a list");
            }
            List<T> mapped = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                mapped.add(mapping.apply(new Fields(list.get(i), path + "." + name + "[" + i + "]", allowedFor(name))));
            }
            return mapped;
        }
    }

    /** The fields each nested record accepts, by the name it appears under. */
    private static String[] allowedFor(String name) {
        return switch (name) {
            case "accounts" -> new String[] {"id", "name", "roles", "disabledRegions", "latencyMs", "regions"};
            case "roles" -> new String[] {"name", "externalId", "actions"};
            case "keys" -> new String[] {"id", "manager", "state", "spec", "usage", "origin", "description",
                    "multiRegion", "createdAt", "deletionDate", "rotation", "tags", "aliases", "lastUsage", "cloudTrail",
                    "noiseEvents", "faults", "keyPolicy", "grants"};
            case "grants" -> new String[] {"id", "name", "granteePrincipal", "retiringPrincipal", "operations",
                    "issuingAccount", "createdAt"};
            case "multiRegion" -> new String[] {"type", "primaryRegion"};
            case "rotation" -> new String[] {"enabled", "periodDays", "rotations", "nextRotationAt"};
            case "lastUsage" -> new String[] {"at", "operation"};
            case "cloudTrail" -> new String[] {"at", "eventName", "errorCode"};
            case "faults" -> new String[] {"denyDescribeKey", "denyGetKeyLastUsage", "getKeyLastUsageUnsupported",
                    "rotationsLag", "omitTrackingStartDate", "omitLastUsageTimestamp",
                    "omitKeyManager"};
            case "organizations" -> new String[] {"managementAccountId", "accounts", "units", "tags"};
            case "units" -> new String[] {"name", "accounts", "units"};
            default -> throw new IllegalStateException("no fields known for " + name);
        };
    }
}
