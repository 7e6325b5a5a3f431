package io.slipway.tenant.catalog;

import io.slipway.kit.problem.Problem;
import io.slipway.kit.tenant.Role;
import io.slipway.tenant.access.Actor;
import io.slipway.tenant.access.TenantAccess;
import io.slipway.tenant.access.TenantRef;
import io.slipway.tenant.audit.AuditLog;
import io.slipway.tenant.catalog.Requests.CreateTenant;
import io.slipway.tenant.catalog.Views.MemberView;
import io.slipway.tenant.catalog.Views.TenantView;
import io.slipway.tenant.events.CatalogEvents;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tenants and their members. */
@Service
@Transactional
class TenantService {

  /**
   * Tenant names that would collide with platform or Kubernetes names once they become namespaces
   * ({@code <tenant>-<project>}) or host names.
   */
  private static final List<String> RESERVED_PREFIXES =
      List.of("kube", "openshift", "slipway", "default", "system", "admin", "api", "www");

  private final TenantRepository tenants;
  private final ProjectRepository projects;
  private final MembershipRepository memberships;
  private final TenantAccess access;
  private final QuotaGate quotas;
  private final AuditLog audit;
  private final AppRepository apps;
  private final CatalogEvents events;

  TenantService(
      TenantRepository tenants,
      ProjectRepository projects,
      AppRepository apps,
      MembershipRepository memberships,
      TenantAccess access,
      QuotaGate quotas,
      AuditLog audit,
      CatalogEvents events) {
    this.tenants = tenants;
    this.projects = projects;
    this.apps = apps;
    this.events = events;
    this.memberships = memberships;
    this.access = access;
    this.quotas = quotas;
    this.audit = audit;
  }

  /** Any signed-in user may create a tenant and becomes its tenant-admin. */
  TenantView create(Actor actor, CreateTenant request) {
    if (actor.service()) {
      throw Problem.forbidden("Services may not create tenants");
    }
    if (RESERVED_PREFIXES.stream().anyMatch(request.name()::startsWith)) {
      throw Problem.invalid(
              "reserved-name",
              "Tenant names may not start with " + String.join(", ", RESERVED_PREFIXES))
          .with("name", request.name());
    }
    if (tenants.existsByName(request.name())) {
      // says only that the name is taken: not by whom, nor anything else about that tenant
      throw Problem.conflict(
          "already-exists", "The tenant name '" + request.name() + "' is taken; choose another");
    }
    String displayName = request.displayName() == null ? request.name() : request.displayName();
    String id = CatalogIds.issue(CatalogIds.TENANT, tenants::existsByPublicId);
    Tenant tenant = tenants.saveAndFlush(new Tenant(id, request.name(), displayName, actor.name()));
    memberships.save(new Membership(tenant.getId(), actor.name(), Role.TENANT_ADMIN));
    quotas.tenantCreated(tenant.getId());
    TenantView view = TenantView.of(tenant, Role.TENANT_ADMIN);
    audit.record(actor, tenant.getName(), "tenant.created", tenant.getName(), null, view);
    return view;
  }

  @Transactional(readOnly = true)
  Page<TenantView> mine(Actor actor, Pageable pageable) {
    return tenants
        .findByMember(actor.name(), pageable)
        .map(tenant -> TenantView.of(tenant, roleOf(tenant.getId(), actor.name())));
  }

  @Transactional(readOnly = true)
  TenantView get(Actor actor, String name) {
    TenantRef ref = access.require(actor, name, Role.VIEWER);
    return TenantView.of(tenants.getReferenceById(ref.id()), roleOf(ref.id(), actor.name()));
  }

  TenantView update(Actor actor, String name, String displayName) {
    TenantRef ref = access.require(actor, name, Role.TENANT_ADMIN);
    Tenant tenant = tenants.getReferenceById(ref.id());
    Role role = roleOf(ref.id(), actor.name());
    TenantView before = TenantView.of(tenant, role);
    tenant.setDisplayName(displayName);
    TenantView after = TenantView.of(tenant, role);
    audit.record(actor, name, "tenant.updated", name, before, after);
    return after;
  }

  /**
   * Deletes the tenant with its projects, apps, members, quotas and reservations, and records a
   * {@code tenant.deleted} event in the same transaction: build-service and runtime-bridge consume
   * it and remove everything they hold of the tenant. Its name is free again at once; a tenant
   * registered under it gets new ids, so it never sees what is left of this one.
   */
  void delete(Actor actor, String name) {
    TenantRef ref = access.require(actor, name, Role.TENANT_ADMIN);
    if (actor.service()) {
      throw Problem.forbidden("Services may not delete tenants");
    }
    Tenant tenant = tenants.getReferenceById(ref.id());
    TenantView before = TenantView.of(tenant, null);
    // recorded while the tenant exists, so the event carries its id
    audit.record(actor, name, "tenant.deleted", name, before, null);
    apps.deleteByTenantId(ref.id());
    projects.deleteByTenantId(ref.id());
    tenants.delete(tenant);
    tenants.flush();
    events.tenantDeleted(tenant.getPublicId(), name);
  }

  @Transactional(readOnly = true)
  Page<MemberView> members(Actor actor, String tenant, Pageable pageable) {
    TenantRef ref = access.require(actor, tenant, Role.VIEWER);
    return memberships.findByKeyTenantId(ref.id(), pageable).map(MemberView::of);
  }

  /** Adds a member or changes a member's role. A tenant never loses its last tenant-admin. */
  MemberView putMember(Actor actor, String tenant, String username, Role role) {
    TenantRef ref = access.require(actor, tenant, Role.TENANT_ADMIN);
    Membership.Key key = new Membership.Key(ref.id(), username);
    Membership membership = memberships.findById(key).orElse(null);
    MemberView before = membership == null ? null : MemberView.of(membership);
    if (membership == null) {
      membership = memberships.save(new Membership(ref.id(), username, role));
    } else {
      if (membership.role() == Role.TENANT_ADMIN && role != Role.TENANT_ADMIN) {
        requireAnotherAdmin(ref);
      }
      membership.role(role);
    }
    MemberView after = MemberView.of(membership);
    String action = before == null ? "member.added" : "member.updated";
    audit.record(actor, tenant, action, tenant + "/members/" + username, before, after);
    return after;
  }

  void removeMember(Actor actor, String tenant, String username) {
    // Members may leave on their own; removing someone else takes a tenant-admin.
    Role needed = username.equals(actor.name()) ? Role.VIEWER : Role.TENANT_ADMIN;
    TenantRef ref = access.require(actor, tenant, needed);
    Membership membership =
        memberships
            .findById(new Membership.Key(ref.id(), username))
            .orElseThrow(() -> Problem.notFound("member", tenant + "/" + username));
    if (membership.role() == Role.TENANT_ADMIN) {
      requireAnotherAdmin(ref);
    }
    memberships.delete(membership);
    audit.record(
        actor,
        tenant,
        "member.removed",
        tenant + "/members/" + username,
        MemberView.of(membership),
        null);
  }

  private void requireAnotherAdmin(TenantRef ref) {
    if (memberships.countByKeyTenantIdAndRole(ref.id(), Role.TENANT_ADMIN) <= 1) {
      throw Problem.conflict(
          "last-admin",
          "Tenant '" + ref.name() + "' must keep at least one tenant-admin; promote another first");
    }
  }

  private Role roleOf(long tenantId, String username) {
    return memberships
        .findById(new Membership.Key(tenantId, username))
        .map(Membership::role)
        .orElse(null);
  }
}
