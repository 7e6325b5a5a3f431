package io.slipway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The Python package index builds use in tests: the public one is not reachable here, so a {@link
 * PackageIndex} in a {@link NamespaceHost} of its own, at a private address that the build-service
 * under test must put on its egress allow-list ({@link #cidr()}), serving what the samples' {@code
 * requirements.txt} names: {@code humanize} 4.4.0, a wheel made from Debian's {@code
 * python3-humanize} 4.4.0-1 (that release's code, its translations' {@code .mo} files, MIT licence
 * in the dist-info) in {@code src/main/resources/python-index/}.
 */
public final class TestPythonIndex implements AutoCloseable {

  private final NamespaceHost host = new NamespaceHost("slwpyi", 1);
  private PackageIndex index;

  /**
   * Starts the index with the samples' packages (its addresses are known before: {@link #url()});
   * its files and logs go to {@code dir}.
   */
  public TestPythonIndex open(Path dir) throws IOException {
    host.open();
    index = new PackageIndex(dir);
    try (InputStream wheel =
        TestPythonIndex.class.getResourceAsStream(
            "/python-index/humanize-4.4.0-py3-none-any.whl")) {
      index.add("humanize", "4.4.0", wheel.readAllBytes());
    }
    index.serve(host, host.privateAddress(2));
    return this;
  }

  /** For {@code slipway.build.stacks.python.index-url}. */
  public String url() {
    return "http://" + host.privateAddress(2) + "/simple";
  }

  /** For {@code slipway.build.egress.allowed-cidrs}. */
  public String cidr() {
    return host.privateAddress(2) + "/32";
  }

  /** The index itself, e.g. for its request log. */
  public PackageIndex packages() {
    return index;
  }

  @Override
  public void close() {
    host.close();
  }
}
