package io.slipway.build.worker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * The catalog of source-build stacks ({@code slipway.build.stacks.*}): how a repository without a
 * Containerfile is built. Only the static-site stack exists so far.
 *
 * @param staticSite {@code slipway.build.stacks.static.*}
 */
@Validated
@ConfigurationProperties("slipway.build.stacks")
record StackProperties(@Name("static") @Valid @NotNull @DefaultValue StaticSite staticSite) {

  /**
   * The static-site stack: a repository with an {@code index.html} at its root is copied into
   * {@code webRoot} of {@code baseImage}, whose own command serves that directory on {@code port}.
   *
   * @param baseImage the image in local containers-storage that serves files; empty: the stack is
   *     off
   * @param webRoot the directory the base image serves
   * @param port the port it listens on
   */
  record StaticSite(
      @Pattern(regexp = "|[a-z0-9][a-z0-9./:_@-]*") @DefaultValue("") String baseImage,
      @Pattern(regexp = "/[A-Za-z0-9._/-]*") @DefaultValue("/www") String webRoot,
      @Min(1) @Max(65535) @DefaultValue("8080") int port) {

    boolean enabled() {
      return !baseImage.isBlank();
    }
  }
}
