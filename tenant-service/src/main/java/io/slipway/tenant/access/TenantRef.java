package io.slipway.tenant.access;

/** A tenant the actor has been allowed to act on. */
public record TenantRef(long id, String name) {}
