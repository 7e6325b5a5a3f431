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
 * @param buildahImage the image of the build and push steps; its user 1000 runs rootless buildah
 * @param gitImage the image of the source-fetching steps; it needs {@code git} on the path
 * @param ttlAfterFinished how long a finished Job (and its pod and log) is kept
 */
@Validated
@ConfigurationProperties("slipway.build.kubernetes")
public record KubernetesBuildProperties(
    @NotBlank @Pattern(regexp = "[a-z0-9]([-a-z0-9]*[a-z0-9])?") @DefaultValue("slipway-builds")
        String namespace,
    @NotBlank @DefaultValue("quay.io/buildah/stable:v1.42") String buildahImage,
    @NotBlank @DefaultValue("docker.io/alpine/git:2.49.1") String gitImage,
    @NotNull @DefaultValue("1h") Duration ttlAfterFinished) {}
