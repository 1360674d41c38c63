package dev.unusd.hub.tenant;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface Tenants extends JpaRepository<Tenant, UUID> {
}
