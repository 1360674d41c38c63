package dev.unusd.spokesim.kms;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.Scenario.Key;
import dev.unusd.spokesim.Scenario.KeyManager;
import dev.unusd.spokesim.Scenario.KeyState;
import dev.unusd.spokesim.Scenario.KeyUsage;
import dev.unusd.spokesim.Scenario.Origin;
import dev.unusd.spokesim.cloudtrail.TrailEvent;
import dev.unusd.spokesim.organisation.Organisation;
import dev.unusd.spokesim.organisation.SimKey;
import dev.unusd.spokesim.organisation.SimKey.KeyMaterial;
import dev.unusd.spokesim.organisation.SimKey.KeyRotation;
import dev.unusd.spokesim.organisation.SimKey.KeyUse;
import dev.unusd.spokesim.organisation.SimKey.MultiRegionConfiguration;
import dev.unusd.spokesim.organisation.SimKey.RotationSchedule;
import dev.unusd.spokesim.organisation.SimRegion;
import dev.unusd.spokesim.wire.AwsError;
import dev.unusd.spokesim.wire.CallContext;
import dev.unusd.spokesim.wire.Page;
import dev.unusd.spokesim.wire.WireJson;

/** KMS over JSON 1.1 (X-Amz-Target: TrentService.*): the read calls the hub makes and the calls that use a key. */
public final class KmsService {

    public static final String TARGET_PREFIX = "TrentService.";

    /** Ciphertext is not encryption here: a tag, the key ARN and the plaintext, so Decrypt can find the key. */
    private static final byte[] CIPHERTEXT_TAG = "SIMKMS1".getBytes(StandardCharsets.US_ASCII);

    /** Calls whose KeyId must be a key id or key ARN: KMS does not resolve aliases for them. */
    private static final Set<String> KEY_ID_OR_ARN_ONLY =
            Set.of("GetKeyRotationStatus", "GetKeyLastUsage", "ListResourceTags", "ListKeyRotations", "GetKeyPolicy",
                    "ListGrants");

    private final Organisation organisation;

    public KmsService(Organisation organisation) {
        this.organisation = organisation;
    }

    public Map<String, Object> call(String operation, Map<String, Object> request, CallContext call) {
        return switch (operation) {
            case "ListKeys" -> listKeys(request, call);
            case "DescribeKey" -> describeKey(request, call);
            case "GetKeyRotationStatus" -> getKeyRotationStatus(request, call);
            case "ListAliases" -> listAliases(request, call);
            case "ListResourceTags" -> listResourceTags(request, call);
            case "ListKeyRotations" -> listKeyRotations(request, call);
            case "GetKeyLastUsage" -> getKeyLastUsage(request, call);
            case "GetKeyPolicy" -> getKeyPolicy(request, call);
            case "ListGrants" -> listGrants(request, call);
            case "Encrypt" -> encrypt(request, call);
            case "Decrypt" -> decrypt(request, call);
            case "GenerateDataKey" -> generateDataKey(request, call);
            default -> throw AwsError.client("UnknownOperationException", "The simulator does not implement " + operation);
        };
    }

    private Map<String, Object> listKeys(Map<String, Object> request, CallContext call) {
        call.authorize("kms:ListKeys", "*");
        Page<SimKey> page = Page.of(call.region().keys(), "ListKeys", WireJson.integer(request, "Limit"), 1000, 100,
                WireJson.string(request, "Marker"));
        List<Map<String, Object>> keys = new ArrayList<>(page.items().size());
        for (SimKey key : page.items()) {
            keys.add(Map.of("KeyId", key.id(), "KeyArn", key.arn()));
        }
        call.region().events().append(call.event("ListKeys", true, null, null, null));
        return paged("Keys", keys, page);
    }

    private Map<String, Object> describeKey(Map<String, Object> request, CallContext call) {
        return onKey("DescribeKey", request, call, key -> {
            if (key.faults().denyDescribeKey()) {
                throw call.keyPolicyDenies("kms:DescribeKey", key.arn());
            }
            return Map.of("KeyMetadata", keyMetadata(key, call.now()));
        });
    }

    private Map<String, Object> getKeyRotationStatus(Map<String, Object> request, CallContext call) {
        return onKey("GetKeyRotationStatus", request, call, key -> {
            if (key.state() == KeyState.PendingDeletion) {
                throw AwsError.invalidState(key.arn() + " is pending deletion.");
            }
            // A multi-Region key's transient states refuse some management calls; modelled as refusing this one.
            if (key.state() == KeyState.Creating || key.state() == KeyState.Updating) {
                throw AwsError.invalidState(key.arn() + " is " + key.state() + ".");
            }
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("KeyId", key.arn());
            if (!key.definition().rotatable()) {
                if (organisation.rotationStatusForUnsupported() == Scenario.RotationStatusForUnsupported.EXCEPTION) {
                    throw unsupported(key);
                }
                response.put("KeyRotationEnabled", false);
                return response;
            }
            RotationSchedule rotation = key.rotation(call.now());
            response.put("KeyRotationEnabled", rotation.enabled());
            if (rotation.enabled()) {
                response.put("RotationPeriodInDays", rotation.periodDays());
                response.put("NextRotationDate", WireJson.epochSeconds(rotation.nextRotationAt()));
            }
            return response;
        });
    }

    /** The key's only policy, "default"; KMS answers NotFoundException for any other name. */
    private Map<String, Object> getKeyPolicy(Map<String, Object> request, CallContext call) {
        return onKey("GetKeyPolicy", request, call, key -> {
            String name = WireJson.string(request, "PolicyName");
            if (name != null && !name.equals("default")) {
                throw AwsError.notFound("Policy " + name + " not found for " + key.arn());
            }
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("Policy", key.definition().keyPolicy(key.accountId()));
            response.put("PolicyName", "default");
            return response;
        });
    }

    /**
     * The key's grants, paged as AWS pages them (Limit 1-100, default 50), optionally one GrantId or one
     * GranteePrincipal. IssuingAccount is an account ARN on the wire, as AWS gives it.
     */
    private Map<String, Object> listGrants(Map<String, Object> request, CallContext call) {
        return onKey("ListGrants", request, call, key -> {
            String grantId = WireJson.string(request, "GrantId");
            String grantee = WireJson.string(request, "GranteePrincipal");
            List<Scenario.Grant> grants = key.definition().grants().stream()
                    .filter(g -> grantId == null || grantId.equals(g.id()))
                    .filter(g -> grantee == null || grantee.equals(g.granteePrincipal())).toList();
            Page<Scenario.Grant> page = Page.of(grants, "ListGrants", WireJson.integer(request, "Limit"), 100, 50,
                    WireJson.string(request, "Marker"));
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Scenario.Grant grant : page.items()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("KeyId", key.arn());
                entry.put("GrantId", grant.id());
                if (grant.name() != null) {
                    entry.put("Name", grant.name());
                }
                entry.put("CreationDate", WireJson.epochSeconds(grant.createdAt()));
                entry.put("GranteePrincipal", grant.granteePrincipal());
                if (grant.retiringPrincipal() != null) {
                    entry.put("RetiringPrincipal", grant.retiringPrincipal());
                }
                entry.put("IssuingAccount", "arn:aws:iam::"
                        + (grant.issuingAccount() != null ? grant.issuingAccount() : key.accountId()) + ":root");
                entry.put("Operations", grant.operations());
                entries.add(entry);
            }
            return paged("Grants", entries, page);
        });
    }

    private Map<String, Object> listAliases(Map<String, Object> request, CallContext call) {
        call.authorize("kms:ListAliases", "*");
        String keyId = WireJson.string(request, "KeyId");
        List<SimRegion.Alias> aliases = call.region().aliases();
        if (keyId != null) {
            String target = call.region().resolve(keyId).id();
            aliases = aliases.stream().filter(a -> target.equals(a.targetKeyId())).toList();
        }
        Page<SimRegion.Alias> page = Page.of(aliases, "ListAliases", WireJson.integer(request, "Limit"), 100, 50,
                WireJson.string(request, "Marker"));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (SimRegion.Alias alias : page.items()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("AliasName", alias.name());
            entry.put("AliasArn", alias.arn());
            if (alias.targetKeyId() != null) {
                entry.put("TargetKeyId", alias.targetKeyId());
                entry.put("CreationDate", WireJson.epochSeconds(alias.createdAt()));
                entry.put("LastUpdatedDate", WireJson.epochSeconds(alias.createdAt()));
            }
            entries.add(entry);
        }
        call.region().events().append(call.event("ListAliases", true, null, null, null));
        return paged("Aliases", entries, page);
    }

    private Map<String, Object> listResourceTags(Map<String, Object> request, CallContext call) {
        return onKey("ListResourceTags", request, call, key -> {
            // AWS-managed keys cannot be tagged: we answer an empty list rather than AccessDenied.
            List<Map.Entry<String, String>> tags = key.definition().manager() == KeyManager.AWS ? List.of() : key.tags();
            Page<Map.Entry<String, String>> page = Page.of(tags, "ListResourceTags", WireJson.integer(request, "Limit"),
                    50, 50, WireJson.string(request, "Marker"));
            List<Map<String, Object>> entries = new ArrayList<>();
            page.items().forEach(t -> entries.add(Map.of("TagKey", t.getKey(), "TagValue", t.getValue())));
            return paged("Tags", entries, page);
        });
    }

    /**
     * The key materials completed rotations made, oldest first; with IncludeKeyMaterial ALL_KEY_MATERIAL the initial
     * material first and imported material pending rotation last (neither has a RotationDate or RotationType). The
     * newest rotated material listed is CURRENT. Imported material also carries ImportState and ExpirationModel.
     */
    private Map<String, Object> listKeyRotations(Map<String, Object> request, CallContext call) {
        return onKey("ListKeyRotations", request, call, key -> {
            String include = WireJson.string(request, "IncludeKeyMaterial");
            if (include != null && !include.equals("ROTATIONS_ONLY") && !include.equals("ALL_KEY_MATERIAL")) {
                throw AwsError.validation("1 validation error detected: Value '" + include + "' at "
                        + "'includeKeyMaterial' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[ALL_KEY_MATERIAL, ROTATIONS_ONLY]");
            }
            if (!key.definition().hasKeyMaterials()) {
                throw unsupported(key);
            }
            List<KeyMaterial> materials = new ArrayList<>(key.keyMaterials(call.now()));
            KeyMaterial pending = materials.getLast().pendingRotation() ? materials.removeLast() : null;
            if (key.faults().rotationsLag() && materials.size() > 1) {
                // Eventual consistency just after a rotation: the listing does not show it yet.
                materials.removeLast();
            }
            KeyMaterial current = materials.getLast();
            List<KeyMaterial> listed = new ArrayList<>(materials);
            if ("ALL_KEY_MATERIAL".equals(include)) {
                if (pending != null) {
                    listed.add(pending);
                }
            } else {
                listed.removeFirst();
            }
            Page<KeyMaterial> page = Page.of(listed, "ListKeyRotations", WireJson.integer(request, "Limit"), 1000, 100,
                    WireJson.string(request, "Marker"));
            List<Map<String, Object>> entries = new ArrayList<>();
            for (KeyMaterial material : page.items()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("KeyId", key.id());
                entry.put("KeyMaterialId", material.id());
                entry.put("KeyMaterialState", material.pendingRotation() ? "PENDING_ROTATION"
                        : material.equals(current) ? "CURRENT" : "NON_CURRENT");
                if (key.definition().importedSymmetric()) {
                    // A key in PendingImport has lost its current material (deleted, or expired).
                    entry.put("ImportState", material.equals(current) && key.state() == KeyState.PendingImport
                            ? "PENDING_IMPORT" : "IMPORTED");
                    entry.put("ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE");
                }
                KeyRotation rotation = material.createdBy();
                if (rotation != null) {
                    entry.put("RotationDate", WireJson.epochSeconds(rotation.at()));
                    entry.put("RotationType", rotation.type().name());
                }
                entries.add(entry);
            }
            return paged("Rotations", entries, page);
        });
    }

    private Map<String, Object> getKeyLastUsage(Map<String, Object> request, CallContext call) {
        return onKey("GetKeyLastUsage", request, call, key -> {
            if (key.faults().denyGetKeyLastUsage()) {
                throw call.keyPolicyDenies("kms:GetKeyLastUsage", key.arn());
            }
            if (key.faults().getKeyLastUsageUnsupported()) {
                throw AwsError.client("UnsupportedOperationException",
                        "GetKeyLastUsage is not supported for " + key.arn());
            }
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("KeyId", key.arn());
            KeyUse use = key.lastUse();
            if (use != null) {
                Map<String, Object> last = new LinkedHashMap<>();
                last.put("Operation", use.operation());
                if (!key.faults().omitLastUsageTimestamp()) {
                    last.put("Timestamp", WireJson.epochSeconds(use.at()));
                }
                last.put("CloudTrailEventId", use.cloudTrailEventId());
                last.put("KmsRequestId", use.kmsRequestId());
                response.put("KeyLastUsage", last);
            }
            if (!key.faults().omitTrackingStartDate()) {
                response.put("TrackingStartDate", WireJson.epochSeconds(call.region().trackingStartDate()));
            }
            response.put("KeyCreationDate", WireJson.epochSeconds(key.definition().createdAt()));
            return response;
        });
    }

    private Map<String, Object> encrypt(Map<String, Object> request, CallContext call) {
        String keyId = WireJson.string(request, "KeyId");
        call.authorize("kms:Encrypt", call.region().resourceArn(keyId));
        SimKey key = call.region().resolve(keyId);
        String algorithm = WireJson.string(request, "EncryptionAlgorithm");
        String usedAlgorithm = algorithm != null ? algorithm : "SYMMETRIC_DEFAULT";
        return use(call, key, "Encrypt", request, KeyUsage.ENCRYPT_DECRYPT, () -> {
            byte[] plaintext = Base64.getDecoder().decode(WireJson.string(request, "Plaintext"));
            return Map.of("CiphertextBlob", Base64.getEncoder().encodeToString(ciphertext(key, plaintext)),
                    "KeyId", key.arn(), "EncryptionAlgorithm", usedAlgorithm);
        });
    }

    private Map<String, Object> decrypt(Map<String, Object> request, CallContext call) {
        byte[] blob = Base64.getDecoder().decode(WireJson.string(request, "CiphertextBlob"));
        int tagLength = CIPHERTEXT_TAG.length;
        if (blob.length < tagLength + 2
                || !java.util.Arrays.equals(blob, 0, tagLength, CIPHERTEXT_TAG, 0, tagLength)) {
            throw AwsError.client("InvalidCiphertextException", "The ciphertext is not valid.");
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob).position(tagLength);
        byte[] arn = new byte[buffer.getShort()];
        buffer.get(arn);
        byte[] plaintext = new byte[buffer.remaining()];
        buffer.get(plaintext);
        String keyArn = new String(arn, StandardCharsets.UTF_8);
        call.authorize("kms:Decrypt", keyArn);
        SimKey key = call.region().resolve(keyArn);
        String keyId = WireJson.string(request, "KeyId");
        if (keyId != null && call.region().resolve(keyId) != key) {
            throw AwsError.client("IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this operation.");
        }
        return use(call, key, "Decrypt", request, KeyUsage.ENCRYPT_DECRYPT, () -> Map.of(
                "KeyId", key.arn(), "Plaintext", Base64.getEncoder().encodeToString(plaintext),
                "EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
    }

    private Map<String, Object> generateDataKey(Map<String, Object> request, CallContext call) {
        String keyId = WireJson.string(request, "KeyId");
        call.authorize("kms:GenerateDataKey", call.region().resourceArn(keyId));
        SimKey key = call.region().resolve(keyId);
        Integer bytes = WireJson.integer(request, "NumberOfBytes");
        int length = bytes != null ? bytes : "AES_128".equals(WireJson.string(request, "KeySpec")) ? 16 : 32;
        return use(call, key, "GenerateDataKey", request, KeyUsage.ENCRYPT_DECRYPT, () -> {
            if (!"SYMMETRIC_DEFAULT".equals(key.definition().spec())) {
                throw AwsError.client("InvalidKeyUsageException", key.arn() + " key usage is not supported for this operation.");
            }
            byte[] plaintext = new byte[length];
            ThreadLocalRandom.current().nextBytes(plaintext);
            return Map.of("CiphertextBlob", Base64.getEncoder().encodeToString(ciphertext(key, plaintext)),
                    "Plaintext", Base64.getEncoder().encodeToString(plaintext), "KeyId", key.arn());
        });
    }

    /**
     * A cryptographic call: checks the key can serve it, and records it as CloudTrail does (failed calls too, with
     * their errorCode) and as last usage once the region's tracking has started.
     */
    private Map<String, Object> use(CallContext call, SimKey key, String operation, Map<String, Object> request,
            KeyUsage requiredUsage, java.util.function.Supplier<Map<String, Object>> perform) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("keyId", request.getOrDefault("KeyId", key.arn()));
        parameters.put("encryptionAlgorithm", request.getOrDefault("EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
        try {
            usable(key, requiredUsage);
            Map<String, Object> response = perform.get();
            recordUse(call, key, operation, parameters);
            return response;
        } catch (AwsError error) {
            call.region().events().append(call.event(operation, true, key, parameters, error));
            throw error;
        }
    }

    static void usable(SimKey key, KeyUsage requiredUsage) {
        KeyState state = key.state();
        if (state == KeyState.Disabled) {
            throw AwsError.client("DisabledException", key.arn() + " is disabled.");
        }
        if (state == KeyState.PendingDeletion) {
            throw AwsError.invalidState(key.arn() + " is pending deletion.");
        }
        if (state != KeyState.Enabled) {
            throw AwsError.invalidState(key.arn() + " is " + state + ".");
        }
        if (key.definition().usage() != requiredUsage) {
            throw AwsError.client("InvalidKeyUsageException", "KeyUsage " + key.definition().usage() + " of " + key.arn()
                    + " is not valid for this operation.");
        }
    }

    static void recordUse(CallContext call, SimKey key, String operation, Map<String, Object> parameters) {
        TrailEvent event = call.event(operation, true, key, parameters, null);
        call.region().events().append(event);
        key.used(new KeyUse(call.now(), operation, event.eventId(), call.requestId()), call.region().trackingStartDate());
    }

    /** A read call on one key, recorded in CloudTrail on that key whether it succeeds or not, as AWS does. */
    private Map<String, Object> onKey(String operation, Map<String, Object> request, CallContext call,
            java.util.function.Function<SimKey, Map<String, Object>> answer) {
        String keyId = WireJson.string(request, "KeyId");
        call.authorize("kms:" + operation, call.region().resourceArn(keyId));
        SimKey key = KEY_ID_OR_ARN_ONLY.contains(operation) ? call.region().resolveKeyIdOrArn(keyId)
                : call.region().resolve(keyId);
        Map<String, Object> parameters = Map.of("keyId", keyId);
        try {
            Map<String, Object> response = answer.apply(key);
            call.region().events().append(call.event(operation, true, key, parameters, null));
            return response;
        } catch (AwsError error) {
            call.region().events().append(call.event(operation, true, key, parameters, error));
            throw error;
        }
    }

    static AwsError unsupported(SimKey key) {
        Key definition = key.definition();
        String reason = definition.origin() != Origin.AWS_KMS
                ? "origin " + definition.origin() : "key spec " + definition.spec();
        return AwsError.client("UnsupportedOperationException",
                key.arn() + " " + reason + " is not supported for this operation.");
    }

    private static Map<String, Object> paged(String field, List<Map<String, Object>> entries, Page<?> page) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put(field, entries);
        response.put("Truncated", page.truncated());
        if (page.truncated()) {
            response.put("NextMarker", page.nextMarker());
        }
        return response;
    }

    private static byte[] ciphertext(SimKey key, byte[] plaintext) {
        byte[] arn = key.arn().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(CIPHERTEXT_TAG.length + 2 + arn.length + plaintext.length)
                .put(CIPHERTEXT_TAG).putShort((short) arn.length).put(arn).put(plaintext).array();
    }

    private static Map<String, Object> keyMetadata(SimKey key, Instant now) {
        Key d = key.definition();
        KeyState state = key.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AWSAccountId", key.accountId());
        m.put("KeyId", key.id());
        m.put("Arn", key.arn());
        m.put("CreationDate", WireJson.epochSeconds(d.createdAt()));
        m.put("Enabled", state == KeyState.Enabled);
        m.put("Description", d.description());
        m.put("KeyUsage", d.usage().name());
        m.put("KeyState", state.name());
        Instant deletionDate = key.deletionDate();
        if (deletionDate != null) {
            m.put("DeletionDate", WireJson.epochSeconds(deletionDate));
            m.put("PendingDeletionWindowInDays", key.pendingWindowDays());
        }
        m.put("Origin", d.origin().name());
        // AWS gives it for keys with key material from KMS and for single-Region keys with imported key material.
        if (d.rotatable() || d.importedSymmetric() && key.multiRegion() == null) {
            m.put("CurrentKeyMaterialId", key.currentKeyMaterialId(now));
        }
        if (d.origin() == Origin.EXTERNAL) {
            m.put("ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE");
        }
        if (d.origin() == Origin.AWS_CLOUDHSM || d.origin() == Origin.EXTERNAL_KEY_STORE) {
            m.put("CustomKeyStoreId", "cks-" + key.id().replace("-", "").substring(0, 17));
        }
        if (d.origin() == Origin.AWS_CLOUDHSM) {
            m.put("CloudHsmClusterId", "cluster-" + key.id().substring(0, 11));
        }
        if (d.origin() == Origin.EXTERNAL_KEY_STORE) {
            m.put("XksKeyConfiguration", Map.of("Id", "xks-" + key.id()));
        }
        if (!key.faults().omitKeyManager()) {
            m.put("KeyManager", d.manager().name());
        }
        m.put("CustomerMasterKeySpec", d.spec());
        m.put("KeySpec", d.spec());
        algorithms(d, m);
        MultiRegionConfiguration multiRegion = key.multiRegion();
        m.put("MultiRegion", multiRegion != null);
        if (multiRegion != null) {
            List<Map<String, Object>> replicas = new ArrayList<>();
            multiRegion.replicas().forEach(r -> replicas.add(Map.of("Arn", r.arn(), "Region", r.region())));
            m.put("MultiRegionConfiguration", Map.of("MultiRegionKeyType", multiRegion.type().name(),
                    "PrimaryKey", Map.of("Arn", multiRegion.primary().arn(), "Region", multiRegion.primary().region()),
                    "ReplicaKeys", replicas));
        }
        return m;
    }

    private static void algorithms(Key d, Map<String, Object> m) {
        String spec = d.spec();
        switch (d.usage()) {
            case ENCRYPT_DECRYPT -> m.put("EncryptionAlgorithms", spec.equals("SYMMETRIC_DEFAULT")
                    ? List.of("SYMMETRIC_DEFAULT")
                    : spec.equals("SM2") ? List.of("SM2PKE") : List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"));
            case SIGN_VERIFY -> m.put("SigningAlgorithms", spec.startsWith("RSA_")
                    ? List.of("RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
                            "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512")
                    : spec.equals("ECC_NIST_P384") ? List.of("ECDSA_SHA_384")
                    : spec.equals("ECC_NIST_P521") ? List.of("ECDSA_SHA_512")
                    : spec.equals("SM2") ? List.of("SM2DSA")
                    : spec.startsWith("ML_DSA_") ? List.of("ML_DSA_SHAKE_256") : List.of("ECDSA_SHA_256"));
            case GENERATE_VERIFY_MAC -> m.put("MacAlgorithms", List.of("HMAC_SHA_" + spec.substring("HMAC_".length())));
            case KEY_AGREEMENT -> m.put("KeyAgreementAlgorithms", List.of("ECDH"));
            case ENCAPSULATE_DECAPSULATE -> m.put("EncapsulationAlgorithms", List.of("ML_KEM"));
        }
    }
}
