package io.slipway.build.hook;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Commit status reported back to the forge ({@code slipway.build.commit-status.*}). Nothing is
 * posted for an app until a developer sets its forge, API URL and token; these settings bound what
 * may be set and how deliveries are retried.
 *
 * @param allowHttp whether an API URL may be plain {@code http} (else {@code https} only)
 * @param allowedHosts hosts ({@code host} or {@code host:port}) an API URL may name although they
 *     resolve to an address otherwise refused (loopback, private, link-local, the host's own): a
 *     forge on the operator's network
 * @param maxAttempts how many times one status is posted before it is given up
 * @param retryBackoff the wait before the second attempt, doubled before each next one
 * @param pollInterval how often each instance looks for statuses to post
 */
@Validated
@ConfigurationProperties("slipway.build.commit-status")
record CommitStatusProperties(
    @DefaultValue("false") boolean allowHttp,
    @NotNull @DefaultValue List<String> allowedHosts,
    @Min(1) @Max(20) @DefaultValue("6") int maxAttempts,
    @NotNull @DefaultValue("10s") Duration retryBackoff,
    @NotNull @DefaultValue("2s") Duration pollInterval) {

  CommitStatusProperties {
    allowedHosts =
        allowedHosts.stream()
            .map(String::strip)
            .filter(host -> !host.isEmpty())
            .map(host -> host.toLowerCase(Locale.ROOT))
            .toList();
  }

  /** Whether the operator allows this host (at this port, when the entry names one). */
  boolean allows(String host, int port) {
    String name = host.toLowerCase(Locale.ROOT);
    return allowedHosts.contains(name) || allowedHosts.contains(name + ":" + port);
  }
}
