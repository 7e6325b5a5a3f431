package io.slipway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the samples in {@code samples/}: where it is, the file whose {@code marker} text shows on
 * its page, and the Containerfile that does by hand what the platform's stack does (for the floor).
 */
record Sample(String name, String file, String marker, String floorContainerfile, int port) {

  static final Sample STATIC_SITE =
      new Sample(
          "static-site",
          "index.html",
          "Hello from Slipway",
          "FROM localhost/slipway/stacks/static:1\nCOPY . /www\n",
          8080);

  Path directory() {
    return Path.of("..", "samples", name);
  }

  /** Makes the page show {@code marker (text)}; returns that text, which the page will contain. */
  String change(Path repository, String text) {
    Path path = repository.resolve(file);
    String changed = marker + " (" + text + ")";
    try {
      String content = Files.readString(path);
      Files.writeString(
          path,
          Pattern.compile(Pattern.quote(marker) + "( \\([^)]*\\))?")
              .matcher(content)
              .replaceFirst(Matcher.quoteReplacement(changed)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return changed;
  }
}
