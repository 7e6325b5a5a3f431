package io.slipway.runtime.deploy;

import io.slipway.runtime.model.EnvRules;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A deployment asked for; omitted fields take the defaults shown.
 *
 * @param image the image (e.g. {@code localhost/acme/web:1})
 * @param digest {@code sha256:...}: when given, this exact image runs
 * @param replicas instances, 0 to 100 (1)
 * @param port the port the app listens on, 1024 to 65535, told to it in {@code $PORT} (the image's
 *     {@code EXPOSE}d port where the runtime can read it, else 8080)
 * @param memoryMib memory per instance (128)
 * @param cpuMillicores CPU per instance (250)
 * @param env environment variables
 * @param healthPath answers 2xx or 3xx when ready ({@code /})
 * @param buildId the build deployed: a second request with it answers the first deployment
 * @param runAsUser the non-root user to run as (65534)
 * @param readOnlyRootFilesystem mount the image read-only, with a writable /tmp (true)
 * @param buildNumber the number of the build deployed within its app, shown with the revision
 * @param commit the commit that build built, shown with the revision
 * @param fork true when the build is of a pull request from a fork (issue 25): the app then runs
 *     with no secrets at all, this revision and every later one ({@link AppConfigStore#markFork})
 */
record DeployRequest(
    @NotBlank @Size(max = 500) String image,
    @Pattern(regexp = "sha256:[0-9a-f]{64}") String digest,
    @Min(0) @Max(100) Integer replicas,
    @Min(1024) @Max(65535) Integer port,
    @Min(16) @Max(262144) Integer memoryMib,
    @Min(10) @Max(64000) Integer cpuMillicores,
    @Size(max = EnvRules.MAX_VARIABLES)
        Map<
                @NotNull @Pattern(regexp = EnvRules.NAME, message = EnvRules.NAME_MESSAGE) String,
                @NotNull @Size(max = EnvRules.MAX_VALUE)
                @Pattern(regexp = EnvRules.VALUE, message = EnvRules.VALUE_MESSAGE) String>
            env,
    @Pattern(regexp = "/[^\\s]*") @Size(max = 200) String healthPath,
    @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._:-]+") String buildId,
    @Min(1) Long runAsUser,
    Boolean readOnlyRootFilesystem,
    @Min(1) Integer buildNumber,
    @Pattern(regexp = "[0-9a-f]{7,64}") String commit,
    Boolean fork) {}
