package dev.unusd.spokesim.organizations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import dev.unusd.spokesim.wire.AwsError;

/**
 * One organisation: its root, OUs and member accounts, in the order they were created or joined (the order the list
 * calls answer in). Synchronised as a whole: changes come from tests and the control plane, reads from the wire.
 */
public final class AwsOrganization {

    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** Account states as AWS spells them; {@code Status} is the field AWS retires on 9 September 2026. */
    public enum State {
        PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED;

        String legacyStatus() {
            return switch (this) {
                case PENDING_ACTIVATION, ACTIVE -> "ACTIVE";
                case SUSPENDED, CLOSED -> "SUSPENDED";
                case PENDING_CLOSURE -> "PENDING_CLOSURE";
            };
        }
    }

    public record Unit(String id, String name, String parentId) {
    }

    public record Member(String accountId, String name, String email, State state, String joinedMethod,
            Instant joinedAt, String parentId, Map<String, String> tags) {

        public Member {
            tags = Map.copyOf(tags);
        }

        Member in(String newParentId) {
            return new Member(accountId, name, email, state, joinedMethod, joinedAt, newParentId, tags);
        }

        Member named(String newName) {
            return new Member(accountId, newName, email, state, joinedMethod, joinedAt, parentId, tags);
        }
    }

    private final String id;
    private final String managementAccountId;
    private final String rootId;
    private final Random ids;
    private final Map<String, Unit> units = new LinkedHashMap<>();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Set<String> delegatedAdministrators = new java.util.HashSet<>();

    AwsOrganization(String managementAccountId, long seed) {
        this.ids = new Random(seed ^ Long.parseLong(managementAccountId));
        this.managementAccountId = managementAccountId;
        this.id = "o-" + random(10);
        this.rootId = "r-" + random(4);
    }

    public String id() {
        return id;
    }

    public String rootId() {
        return rootId;
    }

    public String managementAccountId() {
        return managementAccountId;
    }

    public String arn() {
        return "arn:aws:organizations::" + managementAccountId + ":organization/" + id;
    }

    String rootArn() {
        return "arn:aws:organizations::" + managementAccountId + ":root/" + id + "/" + rootId;
    }

    String unitArn(String unitId) {
        return "arn:aws:organizations::" + managementAccountId + ":ou/" + id + "/" + unitId;
    }

    String accountArn(String accountId) {
        return "arn:aws:organizations::" + managementAccountId + ":account/" + id + "/" + accountId;
    }

    /** A new OU under the root or another OU; ids look like AWS's: ou-{root suffix}-{8 characters}. */
    public synchronized String createUnit(String parentId, String name) {
        requireParent(parentId);
        String unitId = "ou-" + rootId.substring(2) + "-" + random(8);
        units.put(unitId, new Unit(unitId, name, parentId));
        return unitId;
    }

    /** Joins an account (INVITED) or, when it is a member already, moves it and replaces its state and tags. */
    public synchronized Member put(String accountId, String parentId, String name, State state,
            Map<String, String> tags, Instant now) {
        requireParent(parentId);
        Member was = members.get(accountId);
        Member member = new Member(accountId, name, "aws+" + accountId + "@example.com", state,
                was == null ? "INVITED" : was.joinedMethod(), was == null ? now : was.joinedAt(), parentId, tags);
        members.put(accountId, member);
        return member;
    }

    public synchronized Member move(String accountId, String parentId) {
        requireParent(parentId);
        Member member = member(accountId).in(parentId);
        members.put(accountId, member);
        return member;
    }

    /** As account:PutAccountName or the console renames a member: it keeps its place, state and tags. */
    public synchronized Member rename(String accountId, String name) {
        Member member = member(accountId).named(name);
        members.put(accountId, member);
        return member;
    }

    public synchronized void remove(String accountId) {
        if (accountId.equals(managementAccountId)) {
            throw new IllegalArgumentException("the management account cannot leave its organisation");
        }
        if (members.remove(accountId) == null) {
            throw new IllegalArgumentException("account " + accountId + " is not in " + id);
        }
    }

    public synchronized void delegateAdministration(String accountId) {
        member(accountId);
        delegatedAdministrators.add(accountId);
    }

    /** The management account and delegated administrators may read the organisation; members may not. */
    synchronized boolean mayRead(String accountId) {
        return accountId.equals(managementAccountId) || delegatedAdministrators.contains(accountId);
    }

    public synchronized Optional<Member> find(String accountId) {
        return Optional.ofNullable(members.get(accountId));
    }

    synchronized Member member(String accountId) {
        Member member = members.get(accountId);
        if (member == null) {
            throw new IllegalArgumentException("account " + accountId + " is not in " + id);
        }
        return member;
    }

    public synchronized List<Member> members() {
        return List.copyOf(members.values());
    }

    public synchronized List<Unit> units() {
        return List.copyOf(units.values());
    }

    synchronized List<Unit> unitsOf(String parentId) {
        requireParentOnWire(parentId);
        return units.values().stream().filter(u -> u.parentId().equals(parentId)).toList();
    }

    synchronized List<Member> membersOf(String parentId) {
        requireParentOnWire(parentId);
        return members.values().stream().filter(m -> m.parentId().equals(parentId)).toList();
    }

    synchronized Optional<Unit> unit(String unitId) {
        return Optional.ofNullable(units.get(unitId));
    }

    /** The parent of an account or OU, or empty when the child is neither. */
    synchronized Optional<String> parentOf(String childId) {
        Member member = members.get(childId);
        if (member != null) {
            return Optional.of(member.parentId());
        }
        return Optional.ofNullable(units.get(childId)).map(Unit::parentId);
    }

    /** Whether the account sits in one of the targets (root or OUs), directly or in a child OU. */
    public synchronized boolean within(String accountId, Set<String> targets) {
        Member member = members.get(accountId);
        if (member == null) {
            return false;
        }
        for (String at = member.parentId(); at != null; at = at.equals(rootId) ? null : units.get(at).parentId()) {
            if (targets.contains(at)) {
                return true;
            }
        }
        return false;
    }

    public synchronized List<String> path(String accountId) {
        List<String> path = new ArrayList<>();
        for (String at = member(accountId).parentId(); !at.equals(rootId); at = units.get(at).parentId()) {
            path.add(0, at);
        }
        path.add(0, rootId);
        return path;
    }

    private void requireParent(String parentId) {
        if (!parentId.equals(rootId) && !units.containsKey(parentId)) {
            throw new IllegalArgumentException("no root or OU " + parentId + " in " + id);
        }
    }

    private void requireParentOnWire(String parentId) {
        if (!parentId.equals(rootId) && !units.containsKey(parentId)) {
            throw new AwsError("ParentNotFoundException", 400, "We can't find a root or OU with the ParentId that you"
                    + " specified.");
        }
    }

    private String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHANUMERIC.charAt(ids.nextInt(ALPHANUMERIC.length())));
        }
        return s.toString();
    }
}
