package io.slipway.tenant.audit;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/**
 * A change another Slipway service made, for the tenant's audit trail. Details name what changed
 * (variable and secret names, a revision, a replica count), never a secret's value: the service
 * sends only names.
 *
 * @param eventId chosen by the service, unique per change: a retry with the same id is recorded
 *     once
 * @param at when the service made the change (its outbox may deliver it much later); absent: now
 * @param actor the user (or service) who asked for the change, named as {@code
 *     io.slipway.kit.audit.AuditActor} names it
 * @param actorKind {@code user}, {@code token} (a personal access token) or {@code service}
 * @param actorId the user's id ({@code sub})
 * @param tokenId the personal access token's id
 * @param tenant the tenant the change belongs to; null for a platform-wide change
 * @param action a stable verb such as {@code app.deployed} or {@code env.updated}
 * @param target the changed object's path, e.g. {@code acme/web/api}
 * @param sourceIp the address the change was asked from, as the service saw it
 * @param details what changed, as JSON (names only)
 */
public record ServiceEvent(
    @NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._:-]+") String eventId,
    Instant at,
    @NotBlank @Size(max = 255) @Pattern(regexp = "[^\\p{Cntrl}]+") String actor,
    @Pattern(regexp = "user|token|service") String actorKind,
    @Size(max = 255) @Pattern(regexp = "[^\\p{Cntrl}]+") String actorId,
    @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String tokenId,
    @Size(max = 20) @Pattern(regexp = "[a-z0-9-]+") String tenant,
    @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+")
        String action,
    @NotBlank @Size(max = 300) @Pattern(regexp = "[^\\p{Cntrl}]+") String target,
    @Size(max = 64) @Pattern(regexp = "[0-9A-Fa-f.:%a-z]*") String sourceIp,
    @Size(max = 50) Map<@NotNull @Size(max = 100) String, @NotNull Object> details) {}
