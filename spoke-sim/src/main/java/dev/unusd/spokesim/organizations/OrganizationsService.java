package dev.unusd.spokesim.organizations;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.unusd.spokesim.organizations.AwsOrganization.Member;
import dev.unusd.spokesim.organizations.AwsOrganization.Unit;
import dev.unusd.spokesim.wire.AwsError;
import dev.unusd.spokesim.wire.CallContext;
import dev.unusd.spokesim.wire.WireJson;

/**
 * The read side of AWS Organizations that account discovery uses. Lists answer in pages of at most 20 (MaxResults
 * 1-20, as the API model limits it) with an opaque NextToken bound to the operation and its parameters.
 */
public final class OrganizationsService {

    public static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
    private static final int MAX_RESULTS = 20;
    /** ListTagsForResource takes no MaxResults; AWS pages its tags by 20 as well. */
    private static final int TAG_PAGE = 20;

    private final Organizations organizations;

    public OrganizationsService(Organizations organizations) {
        this.organizations = organizations;
    }

    public Map<String, Object> call(String operation, Map<String, Object> request, CallContext call) {
        call.authorize("organizations:" + operation, "*");
        String caller = call.caller().accountId();
        AwsOrganization organization = organizations.ofAccount(caller).orElseThrow(() -> new AwsError(
                "AWSOrganizationsNotInUseException", 400, "Your account is not a member of an organization."));
        if (!organization.mayRead(caller)) {
            throw new AwsError("AccessDeniedException", 400, "You don't have permissions to access this resource.");
        }
        return switch (operation) {
            case "DescribeOrganization" -> Map.of("Organization", describe(organization));
            case "ListRoots" -> page(request, operation, "", List.of(organization.rootId()), "Roots",
                    root -> root(organization));
            case "ListOrganizationalUnitsForParent" -> {
                String parentId = required(request, "ParentId");
                yield page(request, operation, parentId, organization.unitsOf(parentId), "OrganizationalUnits",
                        unit -> unit(organization, unit));
            }
            case "ListAccountsForParent" -> {
                String parentId = required(request, "ParentId");
                yield page(request, operation, parentId, organization.membersOf(parentId), "Accounts",
                        member -> account(organization, member));
            }
            case "ListAccounts" -> page(request, operation, "", organization.members(), "Accounts",
                    member -> account(organization, member));
            case "DescribeAccount" -> {
                String accountId = required(request, "AccountId");
                Member member = organization.find(accountId).orElseThrow(() -> new AwsError(
                        "AccountNotFoundException", 400, "We can't find an AWS account with the AccountId that you"
                                + " specified, or the account whose credentials you used to make this request isn't"
                                + " a member of an organization."));
                yield Map.of("Account", account(organization, member));
            }
            case "ListParents" -> {
                String childId = required(request, "ChildId");
                String parentId = organization.parentOf(childId).orElseThrow(() -> new AwsError(
                        "ChildNotFoundException", 400, "We can't find an organizational unit (OU) or AWS account"
                                + " with the ChildId that you specified."));
                yield page(request, operation, childId, List.of(parentId), "Parents", parent -> Map.of("Id", parent,
                        "Type", parent.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT"));
            }
            case "ListTagsForResource" -> {
                String resourceId = required(request, "ResourceId");
                Map<String, String> tags = tags(organization, resourceId);
                List<Map.Entry<String, String>> entries = new ArrayList<>(tags.entrySet());
                Map<String, Object> answer = new LinkedHashMap<>();
                int from = offset(request, operation, resourceId, entries.size());
                int to = Math.min(entries.size(), from + TAG_PAGE);
                answer.put("Tags", entries.subList(from, to).stream()
                        .map(e -> Map.of("Key", e.getKey(), "Value", e.getValue())).toList());
                if (to < entries.size()) {
                    answer.put("NextToken", token(operation, resourceId, to));
                }
                yield answer;
            }
            default -> throw new AwsError("UnknownOperationException", 400, "The simulator does not implement "
                    + operation);
        };
    }

    private Map<String, Object> describe(AwsOrganization organization) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("Id", organization.id());
        o.put("Arn", organization.arn());
        o.put("FeatureSet", "ALL");
        o.put("MasterAccountArn", "arn:aws:organizations::" + organization.managementAccountId() + ":account/"
                + organization.id() + "/" + organization.managementAccountId());
        o.put("MasterAccountId", organization.managementAccountId());
        o.put("MasterAccountEmail", "aws+" + organization.managementAccountId() + "@example.com");
        o.put("AvailablePolicyTypes", List.of());
        return o;
    }

    private static Map<String, Object> root(AwsOrganization organization) {
        return Map.of("Id", organization.rootId(), "Arn", organization.rootArn(), "Name", "Root",
                "PolicyTypes", List.of());
    }

    private static Map<String, Object> unit(AwsOrganization organization, Unit unit) {
        return Map.of("Id", unit.id(), "Arn", organization.unitArn(unit.id()), "Name", unit.name());
    }

    private Map<String, Object> account(AwsOrganization organization, Member member) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("Id", member.accountId());
        a.put("Arn", organization.accountArn(member.accountId()));
        a.put("Email", member.email());
        a.put("Name", member.name());
        if (organizations.legacyStatus()) {
            a.put("Status", member.state().legacyStatus());
        }
        a.put("State", member.state().name());
        a.put("JoinedMethod", member.joinedMethod());
        a.put("JoinedTimestamp", WireJson.epochSeconds(member.joinedAt()));
        return a;
    }

    private static Map<String, String> tags(AwsOrganization organization, String resourceId) {
        if (resourceId.matches("\\d{12}")) {
            return organization.find(resourceId).map(Member::tags).orElseThrow(OrganizationsService::targetNotFound);
        }
        if (resourceId.equals(organization.rootId()) || organization.unit(resourceId).isPresent()) {
            return Map.of();
        }
        throw targetNotFound();
    }

    private static AwsError targetNotFound() {
        return new AwsError("TargetNotFoundException", 400, "We can't find a root, OU, account, or policy with the"
                + " TargetId that you specified.");
    }

    private static <T> Map<String, Object> page(Map<String, Object> request, String operation, String scope,
            List<T> all, String field, Function<T, Map<String, Object>> render) {
        Integer max = WireJson.integer(request, "MaxResults");
        int size = max == null ? MAX_RESULTS : max;
        if (size < 1 || size > MAX_RESULTS) {
            throw invalidInput(size < 1 ? "MIN_VALUE_EXCEEDED" : "MAX_VALUE_EXCEEDED",
                    "You provided a value that is " + (size < 1 ? "below the minimum" : "above the maximum")
                            + " allowed for MaxResults (1-" + MAX_RESULTS + ").");
        }
        int from = offset(request, operation, scope, all.size());
        int to = Math.min(all.size(), from + size);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(field, all.subList(from, to).stream().map(render).toList());
        if (to < all.size()) {
            answer.put("NextToken", token(operation, scope, to));
        }
        return answer;
    }

    private static int offset(Map<String, Object> request, String operation, String scope, int size) {
        String token = WireJson.string(request, "NextToken");
        if (token == null) {
            return 0;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n");
            int offset = Integer.parseInt(parts[2]);
            if (parts.length != 3 || !parts[0].equals(operation) || !parts[1].equals(scope) || offset < 0
                    || offset > size) {
                throw invalidToken();
            }
            return offset;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw invalidToken();
        }
    }

    private static String token(String operation, String scope, int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((operation + "\n" + scope + "\n" + offset)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static AwsError invalidToken() {
        return invalidInput("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken. You must get the value"
                + " from the response to a previous call to the API.");
    }

    private static AwsError invalidInput(String reason, String message) {
        return new OrganizationsError("InvalidInputException", message, reason);
    }

    private static String required(Map<String, Object> request, String name) {
        String value = WireJson.string(request, name);
        if (value == null || value.isBlank()) {
            throw invalidInput("INVALID_INPUT", "You provided no value for the required parameter " + name + ".");
        }
        return value;
    }

    /** InvalidInputException carries a Reason beside its Message. */
    public static final class OrganizationsError extends AwsError {
        private final String reason;

        OrganizationsError(String code, String message, String reason) {
            super(code, 400, message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
