package dev.unusd.hub.tenant;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface TenantSettingsRows extends JpaRepository<TenantSettingsRow, UUID> {
}
