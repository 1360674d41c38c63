package dev.unusd.spokerole;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spoke-role template as shipped: its text, and the IAM actions its inline policy allows. The hub checks its own
 * list of calls against {@link #allowedActions()}, and the simulator grants a spoke role exactly these actions, so a
 * permission missing from the template fails the hub's tests instead of a customer's scan.
 */
public final class SpokeRoleTemplate {

    public static final String SPOKE_ROLE = "spoke-role.yaml";
    public static final String SPOKE_STACKSET = "spoke-stackset.yaml";
    public static final String ORG_READER_ROLE = "org-reader-role.yaml";
    public static final String DEFAULT_ROLE_NAME = "UnusdSpokeRole";
    public static final String DEFAULT_ORG_READER_ROLE_NAME = "UnusdOrgReaderRole";

    private final String name;
    private final String text;
    private final Map<String, Object> document;

    private SpokeRoleTemplate(String name, String text) {
        this.name = name;
        this.text = text;
        this.document = CloudFormationYaml.parse(text);
    }

    /** The single-account spoke-role template from the classpath. */
    public static SpokeRoleTemplate spokeRole() {
        return load(SPOKE_ROLE);
    }

    /** The Organizations StackSet template from the classpath. */
    public static SpokeRoleTemplate stackSet() {
        return load(SPOKE_STACKSET);
    }

    /** The role in the management (or delegated administrator) account that account discovery reads through. */
    public static SpokeRoleTemplate orgReaderRole() {
        return load(ORG_READER_ROLE);
    }

    public static SpokeRoleTemplate load(String name) {
        try (InputStream in = SpokeRoleTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("template " + name + " is not on the classpath");
            }
            return new SpokeRoleTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SpokeRoleTemplate of(String name, String text) {
        return new SpokeRoleTemplate(name, text);
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    public Map<String, Object> document() {
        return document;
    }

    /**
     * Every action an Allow statement of an inline policy of an {@code AWS::IAM::Role} grants, wherever the role sits
     * (directly in the template, or inside a StackSet's {@code TemplateBody}).
     */
    public Set<String> allowedActions() {
        Set<String> actions = new TreeSet<>();
        for (Map<String, Object> role : roles()) {
            for (Object policy : list(map(role.get("Properties")).get("Policies"))) {
                Map<String, Object> policyDocument = map(map(policy).get("PolicyDocument"));
                // IAM accepts a single statement object as well as a list of them
                Object statements = policyDocument.get("Statement");
                for (Object statement : statements instanceof Map<?, ?> one ? List.of(one) : list(statements)) {
                    Map<String, Object> s = map(statement);
                    if ("Allow".equals(s.get("Effect"))) {
                        Object action = s.get("Action");
                        if (action instanceof String single) {
                            actions.add(single);
                        } else {
                            list(action).forEach(a -> actions.add((String) a));
                        }
                    }
                }
            }
        }
        return actions;
    }

    /**
     * The IAM roles this template declares: its own {@code AWS::IAM::Role} resources, then those of each
     * {@linkplain #embeddedTemplates() embedded template}.
     */
    public List<Map<String, Object>> roles() {
        List<Map<String, Object>> roles = new ArrayList<>();
        for (Object resource : map(document.get("Resources")).values()) {
            Map<String, Object> r = map(resource);
            if ("AWS::IAM::Role".equals(r.get("Type"))) {
                roles.add(r);
            }
        }
        for (SpokeRoleTemplate embedded : embeddedTemplates()) {
            roles.addAll(embedded.roles());
        }
        return roles;
    }

    /**
     * The templates a StackSet of this template deploys, parsed from their literal {@code TemplateBody}. Each is
     * named {@code <this name>#<logical id>.TemplateBody}. A body built with intrinsic functions, or a
     * {@code TemplateURL}, cannot be read here and is left out.
     */
    public List<SpokeRoleTemplate> embeddedTemplates() {
        List<SpokeRoleTemplate> embedded = new ArrayList<>();
        for (Map.Entry<String, Object> resource : map(document.get("Resources")).entrySet()) {
            Map<String, Object> r = map(resource.getValue());
            if ("AWS::CloudFormation::StackSet".equals(r.get("Type"))
                    && map(r.get("Properties")).get("TemplateBody") instanceof String body) {
                embedded.add(new SpokeRoleTemplate(name + "#" + resource.getKey() + ".TemplateBody", body));
            }
        }
        return embedded;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Collection<?> list(Object value) {
        return value instanceof Collection<?> c ? c : List.of();
    }
}
