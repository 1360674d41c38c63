package dev.unusd.hub.scan;

import java.util.UUID;

import org.springframework.stereotype.Service;

/** What other features start of scans. Runs in the caller's tenant context. */
@Service
public class ScanApi {

    private final ScanLauncher launcher;

    ScanApi(ScanLauncher launcher) {
        this.launcher = launcher;
    }

    /** A manual scan of every enabled account, or the scan already running for them. */
    public UUID scanAllAccounts() {
        return launcher.launchManual(null).scanId();
    }
}
