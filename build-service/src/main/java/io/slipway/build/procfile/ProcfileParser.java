package io.slipway.build.procfile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** One parse of one Procfile's bytes ({@link Procfile#parse(byte[])} states the rules). */
final class ProcfileParser {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** How much of a faulty line or name a message quotes. */
  private static final int QUOTED = 40;

  private static final String FORMAT =
      "a Procfile line is `<process type>: <command>`, a comment starting with #, or blank";

  private final byte[] content;
  private final Map<String, ProcessType> processes = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  ProcfileParser(byte[] content) {
    this.content = content;
  }

  Procfile parse() throws ProcfileException {
    if (content.length > Procfile.MAX_BYTES) {
      throw new ProcfileException(
          0,
          String.format(
              Locale.ROOT,
              "the Procfile is larger than the %,d bytes a Procfile may have",
              Procfile.MAX_BYTES));
    }
    int start = startsWithBom() ? BOM.length : 0;
    int number = 1;
    for (int i = start; i <= content.length; i++) {
      if (i == content.length || content[i] == '\n') {
        int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
        line(number, decode(number, start, end));
        start = i + 1;
        number++;
      }
    }
    return new Procfile(List.copyOf(processes.values()), warnings);
  }

  private void line(int number, String line) throws ProcfileException {
    refuseControlCharacters(number, line);
    String visible = line.strip();
    if (visible.isEmpty() || visible.startsWith("#")) {
      return;
    }
    int colon = line.indexOf(':');
    if (colon < 0) {
      throw new ProcfileException(
          number, "Procfile line " + number + " has no colon: " + FORMAT + quote(visible));
    }
    String name = line.substring(0, colon).stripLeading();
    String command = line.substring(colon + 1).strip();
    if (name.isEmpty()) {
      throw new ProcfileException(
          number, "Procfile line " + number + " has no process type before its colon: " + FORMAT);
    }
    if (!NAME.matcher(name).matches()) {
      throw new ProcfileException(number, badName(number, name));
    }
    if (name.length() > Procfile.MAX_NAME) {
      throw new ProcfileException(
          number,
          "Procfile line "
              + number
              + ": the process type name is "
              + name.length()
              + " characters long, more than the "
              + Procfile.MAX_NAME
              + " allowed");
    }
    if (command.isEmpty()) {
      throw new ProcfileException(
          number, "Procfile line " + number + ": the process type " + name + " has no command");
    }
    declare(new ProcessType(name, command, number));
  }

  private void declare(ProcessType process) throws ProcfileException {
    ProcessType earlier = processes.get(process.name());
    if (earlier != null) {
      // Heroku keeps the last line's command: an app that relies on it runs the same here
      warnings.add(
          "Procfile line "
              + process.line()
              + " declares "
              + process.name()
              + " again: its command replaces line "
              + earlier.line()
              + "'s, as on Heroku");
    } else if (processes.size() == Procfile.MAX_TYPES) {
      throw new ProcfileException(
          process.line(),
          "Procfile line "
              + process.line()
              + " declares a process type beyond the "
              + Procfile.MAX_TYPES
              + " a Procfile may declare");
    }
    processes.put(process.name(), process);
  }

  private static String badName(int number, String name) {
    if (NAME.matcher(name.strip()).matches()) {
      return "Procfile line "
          + number
          + ": a space comes between the process type "
          + name.strip()
          + " and its colon; write `"
          + name.strip()
          + ": <command>`";
    }
    return "Procfile line "
        + number
        + ": `"
        + shorten(name)
        + "` is not a process type name (letters, digits, _ and - only): "
        + FORMAT;
  }

  /**
   * Control characters would reach the build log and the image's configuration; NUL, a lone
   * carriage return or an escape sequence has no place in a command.
   */
  private static void refuseControlCharacters(int number, String line) throws ProcfileException {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      int type = Character.getType(c);
      if (c != '\t'
          && (type == Character.CONTROL
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR)) {
        throw new ProcfileException(
            number,
            String.format(
                Locale.ROOT,
                "Procfile line %d contains the control character U+%04X%s at column %d; a"
                    + " Procfile is plain text",
                number,
                (int) c,
                c == 0 ? " (NUL)" : c == '\r' ? " (a carriage return not ending the line)" : "",
                i + 1));
      }
    }
  }

  private String decode(int number, int from, int to) throws ProcfileException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProcfileException(
          number, "Procfile line " + number + " is not UTF-8 text; a Procfile is plain text");
    }
  }

  private boolean startsWithBom() {
    return content.length >= BOM.length
        && content[0] == BOM[0]
        && content[1] == BOM[1]
        && content[2] == BOM[2];
  }

  private static String quote(String text) {
    return " (found `" + shorten(text) + "`)";
  }

  private static String shorten(String text) {
    return text.length() <= QUOTED ? text : text.substring(0, QUOTED - 1) + "…";
  }
}
