package io.slipway.build.cleanup;

import io.slipway.build.process.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/** The images in local container storage that builds made, listed and removed with buildah. */
@Component
class LocalImages {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final CommandRunner runner = new CommandRunner();

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
    list().stream().filter(owned).forEach(doomed::add);
    for (String image : doomed) {
      // one at a time: rmi -f of several stops at the first that is missing; whether one went is
      // asked of the listing below
      call(() -> runner.run(removeArguments(Set.of(image)), TIMEOUT, line -> {}));
    }
    List<String> left = list().stream().filter(owned).toList();
    if (!left.isEmpty()) {
      throw new IllegalStateException("could not remove the images " + left);
    }
  }

  /**
   * The images in storage. buildah lists by id and then looks each up, so an image another process
   * removes in between fails the whole listing ("image not known"): it is listed again.
   */
  private List<String> list() {
    for (int attempt = 1; ; attempt++) {
      try {
        return call(() -> runner.output(listArguments(), TIMEOUT))
            .lines()
            .map(String::strip)
            .toList();
      } catch (IllegalStateException e) {
        if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("image not known")) {
          throw e;
        }
      }
    }
  }

  private interface Call<T> {
    T run() throws IOException, InterruptedException;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running buildah", e);
    }
  }
}
