package io.slipway.build.kubernetes;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Kubernetes build executor ({@code slipway.build.kubernetes.*}).
 *
 * @param namespace where build Jobs run
 * @param builderImage the builder image ({@code config/builder/}, pushed to a registry the cluster
 *     pulls from) of every step: the podman sandbox's image
 * @param ttlAfterFinished how long a finished Job (and its pod and log) is kept
 * @param contextUrl build-service's base URL as build pods reach it ({@code http://} only: the
 *     fetch step has no TLS client), e.g. {@code http://build-service.slipway.svc:8082}; empty: no
 *     build context can be issued
 * @param contextLifetime how long a build's context URL may be fetched (once)
 */
@Validated
@ConfigurationProperties("slipway.build.kubernetes")
public record KubernetesBuildProperties(
    @NotBlank @Pattern(regexp = "[a-z0-9]([-a-z0-9]*[a-z0-9])?") @DefaultValue("slipway-builds")
        String namespace,
    @NotBlank @DefaultValue("localhost/slipway/builder:1") String builderImage,
    @NotNull @DefaultValue("1h") Duration ttlAfterFinished,
    @Pattern(regexp = "|http://[^/?#@\\s]+", message = "must be http://<host>[:<port>], no path")
        @DefaultValue("")
        String contextUrl,
    @NotNull @DefaultValue("5m") Duration contextLifetime) {}
