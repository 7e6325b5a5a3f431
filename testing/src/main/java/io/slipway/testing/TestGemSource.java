package io.slipway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gem source of a test's own, for Bundler: rubygems.org is not reachable here. The gems are made
 * at start with {@code gem build} from a gemspec, and indexed with {@code gem generate_index} (the
 * static "full index" Bundler falls back to when a source has no compact index), both run in the
 * ruby stack image {@code ./slipway test} builds; the index is served over HTTP by a {@link
 * NamespaceHost} of its own at a private address that the build-service under test must put on its
 * egress allow-list ({@link #cidr()}), with a log of the paths asked for.
 */
public final class TestGemSource implements AutoCloseable {

  /** The image with {@code ruby} and {@code gem} (config/stacks/ruby). */
  public static final String RUBY_IMAGE = "localhost/slipway/stacks/ruby:1";

  private final NamespaceHost host = new NamespaceHost("slwgem", 1);
  private Path requestLog;

  /** A one-file gem: {@code lib/<name>.rb} holds {@code code}. */
  public record Gem(String name, String version, String code) {}

  /**
   * Makes {@code gems}, indexes them and serves the index; its files and logs go to {@code dir}.
   */
  public TestGemSource open(Path dir, Gem... gems) throws IOException, InterruptedException {
    Path index = Files.createDirectories(dir.resolve("gem-index/gems"));
    List<String> script = new ArrayList<>();
    for (Gem gem : gems) {
      Path src = Files.createDirectories(dir.resolve("gem-src").resolve(gem.name()).resolve("lib"));
      Files.writeString(src.resolve(gem.name() + ".rb"), gem.code());
      Files.writeString(
          src.getParent().resolve(gem.name() + ".gemspec"),
          """
          Gem::Specification.new do |s|
            s.name = "%s"
            s.version = "%s"
            s.summary = "A gem made by a Slipway test"
            s.authors = ["Slipway tests"]
            s.homepage = "https://slipway.invalid/"
            s.license = "MIT"
            s.files = ["lib/%s.rb"]
          end
          """
              .formatted(gem.name(), gem.version(), gem.name()));
      script.add(
          "cd /work/gem-src/%s && gem build -q %s.gemspec && mv *.gem /work/gem-index/gems/"
              .formatted(gem.name(), gem.name()));
    }
    script.add("gem generate_index -q --directory /work/gem-index");
    ruby(dir, String.join(" && ", script));
    requestLog = Files.writeString(dir.resolve("gem-requests"), "");
    host.open();
    host.serve(
        PackageIndex.SERVER,
        dir,
        host.privateAddress(2),
        index.getParent().toString(),
        requestLog.toString());
    return this;
  }

  private static void ruby(Path dir, String script) throws IOException, InterruptedException {
    Process gem =
        new ProcessBuilder(
                "podman",
                "run",
                "--rm",
                "--network=none",
                "-v",
                dir + ":/work",
                RUBY_IMAGE,
                "sh",
                "-c",
                script)
            .redirectErrorStream(true)
            .start();
    String output = new String(gem.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gem.waitFor(2, TimeUnit.MINUTES) || gem.exitValue() != 0) {
      throw new IllegalStateException(
          "making the test gems in "
              + RUBY_IMAGE
              + " failed (./slipway test builds it):\n"
              + output);
    }
  }

  /** A gem the source serves, by name and version (e.g. to commit it in {@code vendor/cache}). */
  public Path gemFile(Gem gem) {
    return requestLog
        .resolveSibling("gem-index/gems")
        .resolve(gem.name() + "-" + gem.version() + ".gem");
  }

  /** For {@code slipway.build.stacks.ruby.gem-source}. */
  public String url() {
    return "http://" + host.privateAddress(2) + "/";
  }

  /** For {@code slipway.build.egress.allowed-cidrs}. */
  public String cidr() {
    return host.privateAddress(2) + "/32";
  }

  /** The paths asked for so far, in order. */
  public List<String> requests() throws IOException {
    return Files.readAllLines(requestLog, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    host.close();
  }
}
