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
 *     pulls from) of the build and push steps: the podman sandbox's image
 * @param gitImage the image of the source-fetching steps; it needs {@code git} on the path
 * @param ttlAfterFinished how long a finished Job (and its pod and log) is kept
 */
@Validated
@ConfigurationProperties("slipway.build.kubernetes")
public record KubernetesBuildProperties(
    @NotBlank @Pattern(regexp = "[a-z0-9]([-a-z0-9]*[a-z0-9])?") @DefaultValue("slipway-builds")
        String namespace,
    @NotBlank @DefaultValue("localhost/slipway/builder:1") String builderImage,
    @NotBlank @DefaultValue("docker.io/alpine/git:2.49.1") String gitImage,
    @NotNull @DefaultValue("1h") Duration ttlAfterFinished) {}
