package io.slipway.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real terminal for tests: a tmux server of its own (own socket, no configuration file) whose
 * panes run one command each and stay after it exits, so that a test reads what the terminal shows
 * (with its attributes as escape sequences), the title programs set, and the exit code.
 */
final class Tmux implements AutoCloseable {

  /** What a pane showed: its text, the same with attributes as escape sequences, and its title. */
  record Screen(String text, String escapes, String title, int exitCode) {}

  private static final Pattern EXIT = Pattern.compile("\\[exit (\\d+)]\\s*$");

  private final String socket = "slwcli-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, String> environment;
  private int panes;

  /**
   * Starts the server; panes get {@code environment} and nothing else of the caller's (no {@code
   * NO_COLOR} by chance).
   */
  Tmux(Map<String, String> environment) {
    this.environment = environment;
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "keep", "-x", "120", "-y", "20");
    // a pane keeps what it showed after its command exits, with the exit code
    tmux("set-option", "-wg", "remain-on-exit", "on");
  }

  /** Is tmux on the PATH? */
  static boolean installed() {
    for (String directory : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(directory, "tmux"))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code command} (a shell command line) in a new pane; returns the pane's name. */
  String start(String command) {
    String name = "pane" + ++panes;
    // the exit code shown last: tmux 3.3 does not always record a dead pane's status
    tmux(
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        "120",
        "-y",
        "40",
        "(" + command + "); echo \"[exit $?]\"");
    return name;
  }

  /** Waits until the pane shows {@code text}. */
  void awaitText(String pane, String text) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> tmux("capture-pane", "-p", "-J", "-t", pane).contains(text));
  }

  /** Types {@code text} and Enter. */
  void type(String pane, String text) {
    tmux("send-keys", "-t", pane, "-l", text);
    tmux("send-keys", "-t", pane, "Enter");
  }

  /** Waits until the pane's command has exited; returns what it showed. */
  Screen awaitExit(String pane) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> tmux("display-message", "-p", "-t", pane, "#{pane_dead}").strip().equals("1"));
    String text = shown(tmux("capture-pane", "-p", "-J", "-S", "-", "-t", pane));
    Matcher exit = EXIT.matcher(text);
    if (!exit.find()) {
      throw new AssertionError(pane + " ended without its exit code:\n" + text);
    }
    return new Screen(
        text.substring(0, exit.start()).strip(),
        shown(tmux("capture-pane", "-p", "-J", "-e", "-S", "-", "-t", pane))
            .replaceFirst(EXIT.pattern(), "")
            .strip(),
        tmux("display-message", "-p", "-t", pane, "#{pane_title}").strip(),
        Integer.parseInt(exit.group(1)));
  }

  /** Runs {@code command} in a new pane to its end. */
  Screen run(String command) {
    return awaitExit(start(command));
  }

  /** The lines the command showed, without tmux's own line about the dead pane. */
  private static String shown(String capture) {
    List<String> lines = new ArrayList<>();
    for (String line : capture.lines().toList()) {
      if (line.startsWith("Pane is dead")) {
        break;
      }
      lines.add(line);
    }
    return String.join("\n", lines).strip();
  }

  private String tmux(String... arguments) {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + ": " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    tmux("kill-server");
  }
}
