package dev.unusd.hub.aws;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/** The AWS regions the hub knows, taken from the SDK's own region metadata (global pseudo-regions excluded). */
public final class AwsRegions {

    private static final Set<String> KNOWN = Region.regions().stream()
            .filter(r -> !r.isGlobalRegion())
            .map(Region::id)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * The regions of the commercial partition (the one spoke-role ARNs are in), sorted: the regions every account has
     * enabled by default and the opt-in ones. An account that covers every region is scanned in all of them; one it
     * has not enabled answers its first call with "not enabled" and is SKIPPED.
     */
    private static final List<String> COMMERCIAL = Region.regions().stream()
            .filter(r -> !r.isGlobalRegion())
            .filter(r -> RegionMetadata.of(r) != null && "aws".equals(RegionMetadata.of(r).partition().id()))
            .map(Region::id)
            .sorted()
            .toList();

    private static final Set<String> COMMERCIAL_SET = Set.copyOf(COMMERCIAL);

    private AwsRegions() {
    }

    public static List<String> commercial() {
        return COMMERCIAL;
    }

    public static boolean isKnown(String region) {
        return KNOWN.contains(region);
    }

    public static Set<String> known() {
        return KNOWN;
    }

    /** Whether scans can reach the region: one of the commercial partition, where spoke-role ARNs are. */
    public static boolean isScannable(String region) {
        return COMMERCIAL_SET.contains(region);
    }

    /**
     * A region a scan can reach, such as {@code eu-west-1}: of the commercial partition. The hub assumes
     * {@code arn:aws:iam::...} roles with commercial-partition credentials, so a GovCloud, China or ISO region listed for
     * an account could never be scanned nor verified: it would fail every scan and every verification of the account.
     */
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.TYPE_USE})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = Scannable.Validator.class)
    public @interface Scannable {

        String message() default "must be an AWS region of the aws partition such as us-east-1";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<Scannable, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || isScannable(value);
            }
        }
    }

    /** A region name AWS knows, such as {@code eu-west-1}. */
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.TYPE_USE})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = Known.Validator.class)
    public @interface Known {

        String message() default "must be an AWS region name such as us-east-1";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<Known, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || isKnown(value);
            }
        }
    }
}
