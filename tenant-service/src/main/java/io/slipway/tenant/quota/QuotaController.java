package io.slipway.tenant.quota;

import io.slipway.tenant.access.Actor;
import io.slipway.tenant.quota.QuotaService.ProjectQuotaView;
import io.slipway.tenant.quota.QuotaService.QuotaView;
import io.slipway.tenant.quota.QuotaService.TenantOverview;
import io.slipway.tenant.quota.QuotaService.TenantUsage;
import io.slipway.tenant.quota.ReservationService.Outcome;
import io.slipway.tenant.quota.ReservationService.ReservationView;
import io.slipway.tenant.web.PageRequests;
import io.slipway.tenant.web.PageResponse;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Quotas, usage and reservations. */
@RestController
@RequestMapping("/api/v1")
class QuotaController {

  private final QuotaService quotas;
  private final ReservationService reservations;

  QuotaController(QuotaService quotas, ReservationService reservations) {
    this.quotas = quotas;
    this.reservations = reservations;
  }

  @GetMapping("/tenants/{tenant}/quota")
  QuotaView tenantQuota(Actor actor, @PathVariable String tenant) {
    return quotas.tenantQuota(actor, tenant);
  }

  @PutMapping("/tenants/{tenant}/quota")
  QuotaView putTenantQuota(
      Actor actor, @PathVariable String tenant, @RequestBody Resources limits) {
    return quotas.putTenantQuota(actor, tenant, limits);
  }

  @GetMapping("/tenants/{tenant}/projects/{project}/quota")
  ProjectQuotaView projectQuota(
      Actor actor, @PathVariable String tenant, @PathVariable String project) {
    return quotas.projectQuota(actor, tenant, project);
  }

  @PutMapping("/tenants/{tenant}/projects/{project}/quota")
  ProjectQuotaView putProjectQuota(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String project,
      @RequestBody Resources limits) {
    return quotas.putProjectQuota(actor, tenant, project, limits);
  }

  /** The tenant's usage against quota, with one page of its projects' usage. */
  @GetMapping("/tenants/{tenant}/usage")
  TenantUsage usage(
      Actor actor,
      @PathVariable String tenant,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return quotas.usage(actor, tenant, PageRequests.of(page, size, Sort.by("name")));
  }

  /** Held usage at the end of each day, oldest first: {@code ?days=30} (1 to 90). */
  @GetMapping("/tenants/{tenant}/usage/history")
  UsageHistory history(
      Actor actor, @PathVariable String tenant, @RequestParam(defaultValue = "30") int days) {
    return new UsageHistory(tenant, quotas.history(actor, tenant, days));
  }

  /** A tenant's held usage, one entry per day. */
  record UsageHistory(String tenant, java.util.List<QuotaStore.DayUsage> days) {}

  /**
   * Every tenant with usage against quota: {@code ?q=} searches names and display names, {@code
   * ?sort=} orders by {@code name}, a resource's usage or {@code overages}, each {@code ,asc} or
   * {@code ,desc}.
   */
  @GetMapping("/admin/tenants")
  PageResponse<TenantOverview> tenants(
      Actor actor,
      @RequestParam(name = "q", required = false) String search,
      @RequestParam(defaultValue = "name") String sort,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return quotas.overview(actor, search, sort, page, size);
  }

  /** 201 with the new reservation; 200 with the first answer when the key was already used. */
  @PostMapping("/tenants/{tenant}/reservations")
  ResponseEntity<ReservationView> reserve(
      Actor actor, @PathVariable String tenant, @Valid @RequestBody ReserveRequest request) {
    Outcome outcome = reservations.reserve(actor, tenant, request);
    if (!outcome.created()) {
      return ResponseEntity.ok(outcome.reservation());
    }
    return ResponseEntity.created(
            URI.create("/api/v1/tenants/" + tenant + "/reservations/" + request.idempotencyKey()))
        .body(outcome.reservation());
  }

  @GetMapping("/tenants/{tenant}/reservations")
  PageResponse<ReservationView> reservations(
      Actor actor,
      @PathVariable String tenant,
      @RequestParam(defaultValue = "false") boolean active,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    PageRequests.of(page, size, Sort.unsorted());
    return reservations.list(actor, tenant, active, page, size);
  }

  @GetMapping("/tenants/{tenant}/reservations/{key}")
  ReservationView reservation(Actor actor, @PathVariable String tenant, @PathVariable String key) {
    return reservations.get(actor, tenant, key);
  }

  /**
   * What a service measured the tenant using ({@code storageMib}: build-service's stores; {@code
   * activations}: runtime-bridge's kept activations), replacing its last measurement under {@code
   * key}; Slipway's services (and platform admins) only.
   */
  @PutMapping("/tenants/{tenant}/measured-usage/{key}")
  ReservationView measure(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String key,
      @RequestBody MeasuredUsage usage) {
    return reservations.measure(actor, tenant, key, usage.amounts());
  }

  /**
   * A measurement: storage (a service's stores on disk) or activations (the functions' activations
   * runtime-bridge keeps). Absent fields stay null, so that naming a resource outside the caller's
   * grant is refused even at 0.
   */
  record MeasuredUsage(Long storageMib, Long activations) {
    Resources amounts() {
      return new Resources(null, null, null, null, null, null, storageMib, null, activations);
    }
  }

  /** Releases held quota; idempotent. */
  @DeleteMapping("/tenants/{tenant}/reservations/{key}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void release(
      Actor actor,
      @PathVariable String tenant,
      @PathVariable String key,
      @RequestParam(required = false) Long buildMinutesUsed) {
    reservations.release(actor, tenant, key, buildMinutesUsed);
  }
}
