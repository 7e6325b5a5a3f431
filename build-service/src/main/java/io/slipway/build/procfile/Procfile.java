package io.slipway.build.procfile;

import java.util.List;
import java.util.Optional;

/**
 * A repository's {@code Procfile}: the process types it declares, in the order they first appear.
 * Read as Heroku reads it, and stricter where Heroku is lenient, because the file is the tenant's
 * (see {@link #parse(byte[])}).
 *
 * @param processes the declared process types, each name once
 * @param warnings what the pusher should know about a file that still parsed (a process type
 *     declared twice), in plain words
 */
public record Procfile(List<ProcessType> processes, List<String> warnings) {

  /** The largest Procfile read: a Procfile is a few short lines. */
  public static final int MAX_BYTES = 64 * 1024;

  /** The most process types one Procfile may declare. */
  public static final int MAX_TYPES = 100;

  /** The longest process type name (a DNS label's length, as Heroku's buildpack allows). */
  public static final int MAX_NAME = 63;

  /** The process type that serves HTTP: its command starts the app. */
  public static final String WEB = "web";

  public Procfile {
    processes = List.copyOf(processes);
    warnings = List.copyOf(warnings);
  }

  /** The {@code web} process type, when the Procfile declares one. */
  public Optional<ProcessType> web() {
    return processes.stream().filter(process -> process.name().equals(WEB)).findFirst();
  }

  /** The process types other than {@code web}. */
  public List<ProcessType> others() {
    return processes.stream().filter(process -> !process.name().equals(WEB)).toList();
  }

  /**
   * Parses a Procfile's bytes (a caller reads at most one byte more than {@value #MAX_BYTES}). Each
   * line is blank, a comment (its first visible character is {@code #}) or {@code <process type>:
   * <command>}; a {@code CRLF} ending and a UTF-8 byte order mark are tolerated. As on Heroku, a
   * {@code #} later in a line belongs to the command (a shell reads it as a comment), and a process
   * type declared again takes the later line's command (with a warning). Unlike Heroku, which skips
   * lines it cannot read, such a line is an error naming it; so are a file above {@value
   * #MAX_BYTES} bytes, more than {@value #MAX_TYPES} process types, text that is not UTF-8 and
   * control characters (other than tabs) anywhere.
   *
   * @throws ProcfileException with the reason and the line at fault
   */
  public static Procfile parse(byte[] content) throws ProcfileException {
    return new ProcfileParser(content).parse();
  }
}
