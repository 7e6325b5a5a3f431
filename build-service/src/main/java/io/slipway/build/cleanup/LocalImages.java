package io.slipway.build.cleanup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/** The images in local container storage that builds made, listed and removed with buildah. */
@Component
class LocalImages {

  private static final long TIMEOUT_SECONDS = 60;

  /** {@code buildah images}: one {@code name:tag} a line. */
  static List<String> listArguments() {
    return List.of("buildah", "images", "--noheading", "--format", "{{.Name}}:{{.Tag}}");
  }

  /** {@code buildah rmi -f} of these images. */
  static List<String> removeArguments(Set<String> images) {
    List<String> args = new ArrayList<>(List.of("buildah", "rmi", "-f"));
    args.addAll(images);
    return args;
  }

  /**
   * Removes the {@code known} images and every image in storage whose name {@code owned} accepts.
   * Images already gone are no error.
   */
  void removeAll(Predicate<String> owned, List<String> known) {
    Set<String> doomed = new LinkedHashSet<>();
    known.stream().filter(owned).forEach(doomed::add);
    run(listArguments()).lines().map(String::strip).filter(owned).forEach(doomed::add);
    for (String image : doomed) {
      // one at a time: rmi -f of several stops at the first that is missing
      exec(removeArguments(Set.of(image)));
    }
    List<String> left = run(listArguments()).lines().map(String::strip).filter(owned).toList();
    if (!left.isEmpty()) {
      throw new IllegalStateException("could not remove the images " + left);
    }
  }

  private static String run(List<String> args) {
    Result result = exec(args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", args) + " failed (" + result.exitCode() + "): " + result.output());
    }
    return result.output();
  }

  private record Result(int exitCode, String output) {}

  private static Result exec(List<String> args) {
    try {
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", args) + " timed out");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + args.getFirst(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + args.getFirst(), e);
    }
  }
}
