package dev.unusd.hub.scan;

/**
 * Scans one region of one registered account: inventories its KMS keys, resolves their use, judges the rules and
 * reconciles the findings. Called in the target's tenant context. Idempotent per target: running the same target of
 * the same scan twice leaves exactly the result of one run.
 */
public interface RegionScanner {

    TargetResult scan(TargetRef target);
}
