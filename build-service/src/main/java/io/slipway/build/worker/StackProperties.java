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
 * Containerfile is built. Every image named here must be in local containers-storage (builds never
 * pull); {@code ./slipway up} builds the defaults from {@code config/stacks/}. An empty builder
 * image turns a stack off.
 *
 * @param staticSite {@code slipway.build.stacks.static.*}
 * @param node {@code slipway.build.stacks.node.*}
 * @param python {@code slipway.build.stacks.python.*}
 * @param javaMaven {@code slipway.build.stacks.java-maven.*}
 * @param javaGradle {@code slipway.build.stacks.java-gradle.*}
 * @param go {@code slipway.build.stacks.go.*}
 * @param ruby {@code slipway.build.stacks.ruby.*}
 * @param php {@code slipway.build.stacks.php.*}
 * @param functionNode {@code slipway.build.stacks.function-node.*}
 * @param functionPython {@code slipway.build.stacks.function-python.*}
 * @param functionJava {@code slipway.build.stacks.function-java.*}
 */
@Validated
@ConfigurationProperties("slipway.build.stacks")
record StackProperties(
    @Name("static") @Valid @NotNull @DefaultValue StaticSite staticSite,
    @Valid @NotNull @DefaultValue Node node,
    @Valid @NotNull @DefaultValue Python python,
    @Name("java-maven") @Valid @NotNull @DefaultValue JavaMaven javaMaven,
    @Name("java-gradle") @Valid @NotNull @DefaultValue JavaGradle javaGradle,
    @Valid @NotNull @DefaultValue Go go,
    @Valid @NotNull @DefaultValue Ruby ruby,
    @Valid @NotNull @DefaultValue Php php,
    @Name("function-node") @Valid @NotNull @DefaultValue FunctionNode functionNode,
    @Name("function-python") @Valid @NotNull @DefaultValue FunctionPython functionPython,
    @Name("function-java") @Valid @NotNull @DefaultValue FunctionJava functionJava) {

  /** Every image the stacks build from (empty ones: stacks switched off). */
  java.util.List<String> images() {
    return java.util.stream.Stream.of(
            staticSite.baseImage(),
            node.builderImage(),
            node.runtimeImage(),
            python.image(),
            javaMaven.builderImage(),
            javaMaven.runtimeImage(),
            javaGradle.builderImage(),
            javaGradle.runtimeImage(),
            go.builderImage(),
            go.runtimeImage(),
            ruby.builderImage(),
            ruby.runtimeImage(),
            php.builderImage(),
            php.runtimeImage(),
            functionNode.builderImage(),
            functionNode.runtimeImage(),
            functionPython.image(),
            functionJava.builderImage(),
            functionJava.runtimeImage())
        .filter(image -> !image.isBlank())
        .toList();
  }

  /** An image reference, or empty. */
  static final String IMAGE = "|[a-z0-9][a-z0-9./:_@-]*";

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
      @Pattern(regexp = IMAGE) @DefaultValue("") String baseImage,
      @Pattern(regexp = "/[A-Za-z0-9._/-]*") @DefaultValue("/www") String webRoot,
      @Min(1) @Max(65535) @DefaultValue("8080") int port) {

    boolean enabled() {
      return !baseImage.isBlank();
    }
  }

  /**
   * Node.js ({@code package.json}): dependencies installed with npm on the builder, the app run
   * with {@code node} on the runtime image.
   *
   * @param builderImage has {@code node} and {@code npm}; empty: the stack is off
   * @param runtimeImage has {@code node}
   */
  record Node(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/node:1") String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/node-runtime:1")
          String runtimeImage) {}

  /**
   * Python ({@code requirements.txt}, {@code pyproject.toml} or {@code app.py}): the packages
   * {@code requirements.txt} names installed with pip into a virtualenv, the app run with {@code
   * python3} from it.
   *
   * @param image has {@code python3} with {@code venv} and {@code pip}; empty: the stack is off
   * @param indexUrl the package index (PEP 503 simple API) pip installs from, reached through the
   *     build's egress proxy: an http or https URL without credentials (a private index on a
   *     private address must also be on {@code slipway.build.egress.allowed-cidrs})
   */
  record Python(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/python:1") String image,
      @Pattern(
              regexp = INDEX_URL,
              message = "must be an http(s) URL of a package index, without credentials or quotes")
          @DefaultValue("https://pypi.org/simple")
          String indexUrl) {}

  /** An http(s) URL with no user info and nothing a shell would read (it goes into a RUN step). */
  static final String INDEX_URL = "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%+/-]*)?";

  /**
   * Java with Maven ({@code pom.xml}): {@code mvn package} on the builder, the jar run with {@code
   * java -jar} on the runtime image.
   *
   * @param builderImage has a JDK and {@code mvn}; empty: the stack is off
   * @param runtimeImage has {@code java}
   */
  record JavaMaven(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/java-maven:1")
          String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/java-runtime:1")
          String runtimeImage) {}

  /**
   * Java with Gradle ({@code build.gradle}): Debian's {@code gradle} on the builder ({@code
   * installDist} of the application plugin), the app's start script run on the runtime image.
   *
   * @param builderImage has a JDK and {@code gradle}; empty: the stack is off
   * @param runtimeImage has {@code java} and {@code sh}
   */
  record JavaGradle(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/java-gradle:1")
          String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/java-runtime:1")
          String runtimeImage) {}

  /**
   * Go ({@code go.mod}): a static binary built on the builder, run on the runtime image.
   *
   * @param builderImage has {@code go}; empty: the stack is off
   * @param runtimeImage any image (the binary needs no libc)
   */
  record Go(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/go:1") String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/debian:12")
          String runtimeImage) {}

  /**
   * Ruby ({@code Gemfile} or {@code config.ru}): the gems {@code Gemfile.lock} names installed with
   * Bundler on the builder, the app run with {@code ruby} on the runtime image.
   *
   * @param builderImage has {@code ruby}, {@code bundle} and a C compiler; empty: the stack is off
   * @param runtimeImage has {@code ruby} and {@code bundle}
   * @param gemSource where Bundler fetches the gems a {@code Gemfile} takes from {@code
   *     https://rubygems.org} (a mirror of it), reached through the build's egress proxy: an http
   *     or https URL without credentials (a private one on a private address must also be on {@code
   *     slipway.build.egress.allowed-cidrs})
   */
  record Ruby(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/ruby:1") String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/ruby-runtime:1")
          String runtimeImage,
      @Pattern(
              regexp = INDEX_URL,
              message = "must be an http(s) URL of a gem source, without credentials or quotes")
          @DefaultValue(RUBYGEMS)
          String gemSource) {}

  /** Where a Gemfile's gems come from unless the platform names a mirror. */
  static final String RUBYGEMS = "https://rubygems.org";

  /**
   * PHP ({@code composer.json} or {@code index.php}): the packages {@code composer.lock} names
   * installed with Composer on the builder, the app served by PHP's built-in web server on the
   * runtime image.
   *
   * @param builderImage has {@code php} and {@code composer}; empty: the stack is off
   * @param runtimeImage has {@code php}
   */
  record Php(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/php:1") String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/php-runtime:1")
          String runtimeImage) {}

  /**
   * Node.js functions ({@code handler.js}): dependencies installed as the node stack does, the
   * handler run by Slipway's function runtime ({@code config/stacks/function-node/runtime.js}),
   * which the runtime image holds.
   *
   * @param builderImage has {@code node} and {@code npm}; empty: the stack is off
   * @param runtimeImage has {@code node} and the runtime at {@value FunctionNodeStack#RUNTIME}
   */
  record FunctionNode(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/node:1") String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/function-node:1")
          String runtimeImage) {}

  /**
   * Python functions ({@code handler.py}): {@code requirements.txt} installed as the python stack
   * does (from its {@code index-url}), the handler run by Slipway's function runtime ({@code
   * config/stacks/function-python/runtime.py}), which the image holds.
   *
   * @param image has {@code python3} with {@code venv} and {@code pip}, and the runtime at {@value
   *     FunctionPythonStack#RUNTIME}; empty: the stack is off
   */
  record FunctionPython(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/function-python:1")
          String image) {}

  /**
   * Java functions ({@code Handler.java}): the root's {@code .java} files compiled on the builder
   * against the runtime's interface, the handler run by Slipway's function runtime ({@code
   * config/stacks/function-java}), which the runtime image holds.
   *
   * @param builderImage has a JDK 17 ({@code java} with its compiler); empty: the stack is off
   * @param runtimeImage has {@code java} 17 and the runtime at {@value FunctionJavaStack#RUNTIME}
   */
  record FunctionJava(
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/java-maven:1")
          String builderImage,
      @Pattern(regexp = IMAGE) @DefaultValue("localhost/slipway/stacks/function-java:1")
          String runtimeImage) {}
}
