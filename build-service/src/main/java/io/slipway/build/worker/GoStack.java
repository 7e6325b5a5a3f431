package io.slipway.build.worker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Go: a {@code go.mod} at the root. The main package at the root is built as a static binary
 * ({@code CGO_ENABLED=0}, with the toolchain of the builder image; no {@code -trimpath}, which
 * would recompile the standard library on every build) and run on the runtime image.
 */
record GoStack(StackProperties.Go entry) implements SourceStack {

  @Override
  public String name() {
    return "go";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "go.mod");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) {
    return String.join(
        "\n",
        "FROM " + entry.builderImage() + " AS build",
        "WORKDIR /src",
        "ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOCACHE=/tmp/go-cache GOPATH=/tmp/go",
        "COPY . .",
        "RUN go build -ldflags=-s -o /tmp/out/app .",
        "FROM " + entry.runtimeImage(),
        "ENV PORT=" + PORT,
        "USER " + USER,
        "EXPOSE " + PORT,
        web.map(SourceStack::startCommand).orElse("CMD [\"/app/app\"]"),
        "COPY --from=build /tmp/out/app /app/app",
        "");
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }
}
