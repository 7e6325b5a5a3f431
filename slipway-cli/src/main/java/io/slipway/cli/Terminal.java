package io.slipway.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's terminal, as far as commands need one. Standard output on a terminal gets colors
 * and loses the control characters of servers' text ({@link Output}); standard input on a terminal
 * is where a secret is typed, without echo. Given to {@link Main#run} so that tests can stand in
 * for it.
 */
interface Terminal {

  /** No terminal: output piped or redirected, input read as it comes. */
  Terminal NONE = new Streams(false, false);

  /** Is standard output a terminal? */
  boolean output();

  /** Is standard input a terminal (a person typing)? */
  boolean input();

  /**
   * Shows {@code prompt} on the terminal and reads one line typed there without echoing it. Only
   * when {@link #input()}; fails with the usage exit code when the terminal cannot turn echo off
   * (standard output is not the terminal too).
   */
  String readHidden(String prompt);

  /** The process's own standard input and output. */
  static Terminal ofProcess() {
    return new Streams(isTerminal(1), isTerminal(0));
  }

  /** The process's standard streams, each a terminal or not. */
  record Streams(boolean output, boolean input) implements Terminal {
    @Override
    public String readHidden(String prompt) {
      // java.base's console exists only when standard input and output are both the terminal
      Console console = System.console();
      if (console == null) {
        throw new Failure(
            Exit.USAGE,
            "cannot read a value from the terminal without showing it while standard output is"
                + " redirected: pipe the value in (printf '%s' \"$VALUE\" | slipway-cli ...)");
      }
      char[] typed = console.readPassword("%s", prompt);
      if (typed == null) {
        throw new Failure(Exit.USAGE, "no value typed");
      }
      return new String(typed);
    }
  }

  /**
   * Whether file descriptor {@code fd} is a terminal. {@link System#console()} answers only for
   * standard input and output together, so that {@code printf ... | slipway-cli secrets set S} on a
   * terminal would print servers' text unstripped: Linux tells each descriptor in {@code /proc}.
   */
  private static boolean isTerminal(int fd) {
    try {
      String device = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return device.startsWith("/dev/pts/")
          || device.startsWith("/dev/tty")
          || device.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException noProc) {
      return System.console() != null;
    }
  }
}
