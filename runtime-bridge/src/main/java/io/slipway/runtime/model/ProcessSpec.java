package io.slipway.runtime.model;

/**
 * One process type of a revision other than {@code web}: its instances run {@code /bin/sh -c
 * <command>} from the revision's image, with its environment and limits, without a route or a
 * health check.
 *
 * @param command the command, as the image's Procfile label gives it
 * @param count how many instances run, 0 to {@value ProcessTypes#MAX_COUNT}
 */
public record ProcessSpec(String command, int count) {

  public ProcessSpec {
    if (!ProcessTypes.validCommand(command)) {
      throw new IllegalArgumentException(
          "a process command is one line of at most " + ProcessTypes.MAX_COMMAND + " characters");
    }
    if (count < 0 || count > ProcessTypes.MAX_COUNT) {
      throw new IllegalArgumentException(
          "a process type's count must be 0 to " + ProcessTypes.MAX_COUNT);
    }
  }

  /** The same command with another count. */
  public ProcessSpec withCount(int newCount) {
    return new ProcessSpec(command, newCount);
  }
}
