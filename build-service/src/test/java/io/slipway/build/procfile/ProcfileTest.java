package io.slipway.build.procfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Procfiles as they are found in real repositories, and as an attacker would write one. */
class ProcfileTest {

  @Test
  void aRailsAppsProcfileDeclaresItsTypesInOrder() throws ProcfileException {
    Procfile procfile =
        parse(
            """
            web: bundle exec puma -C config/puma.rb
            worker: bundle exec sidekiq -t 25 -q critical -q default
            release: bundle exec rails db:migrate
            """);

    assertThat(procfile.processes())
        .containsExactly(
            new ProcessType("web", "bundle exec puma -C config/puma.rb", 1),
            new ProcessType("worker", "bundle exec sidekiq -t 25 -q critical -q default", 2),
            new ProcessType("release", "bundle exec rails db:migrate", 3));
    assertThat(procfile.web())
        .map(ProcessType::command)
        .hasValue("bundle exec puma -C config/puma.rb");
    assertThat(procfile.others())
        .extracting(ProcessType::name)
        .containsExactly("worker", "release");
    assertThat(procfile.warnings()).isEmpty();
  }

  @Test
  void commentsAndBlankLinesAreSkippedAndLineNumbersStillCount() throws ProcfileException {
    Procfile procfile =
        parse(
            """
            # -t is timeout, -c is concurrency
              # an indented comment
            #worker: python old_worker.py

            \t
            web: gunicorn hello:app --log-file -
            """);

    assertThat(procfile.processes())
        .containsExactly(new ProcessType("web", "gunicorn hello:app --log-file -", 6));
  }

  @Test
  void anInlineCommentStaysInTheCommandForTheShellToIgnoreAsOnHeroku() throws ProcfileException {
    Procfile procfile = parse("web: node server.js # the API\nclock: echo a#b\n");

    assertThat(procfile.processes())
        .extracting(ProcessType::command)
        .containsExactly("node server.js # the API", "echo a#b");
  }

  @Test
  void crlfLineEndingsAndAByteOrderMarkFromWindowsEditorsAreTolerated() throws ProcfileException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text =
        "web: npm start\r\n\r\nworker: node worker.js\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, content, 0, bom.length);
    System.arraycopy(text, 0, content, bom.length, text.length);

    assertThat(Procfile.parse(content).processes())
        .containsExactly(
            new ProcessType("web", "npm start", 1), new ProcessType("worker", "node worker.js", 3));
  }

  @Test
  void unusualButValidNamesSpacingAndColonsInCommandsAreKept() throws ProcfileException {
    Procfile procfile =
        parse(
            "Urgent_Worker-2:rake jobs:work\n"
                + "  9:\t  java -Dserver.port=$PORT -jar target/app.jar  \n"
                + "web: sh -c \"echo 'a: b' && exec ./bin/web\"\n"
                + "a: λ ünïcode ✓\n"
                + "x".repeat(63)
                + ": true\n");

    assertThat(procfile.processes())
        .containsExactly(
            new ProcessType("Urgent_Worker-2", "rake jobs:work", 1),
            new ProcessType("9", "java -Dserver.port=$PORT -jar target/app.jar", 2),
            new ProcessType("web", "sh -c \"echo 'a: b' && exec ./bin/web\"", 3),
            new ProcessType("a", "λ ünïcode ✓", 4),
            new ProcessType("x".repeat(63), "true", 5));
  }

  @Test
  void anEmptyFileOrOneOfCommentsDeclaresNothing() throws ProcfileException {
    assertThat(parse("").processes()).isEmpty();
    assertThat(parse("\n\n# nothing yet\n").processes()).isEmpty();
    assertThat(parse("").web()).isEmpty();
  }

  @Test
  void aTypeDeclaredAgainTakesTheLaterCommandInItsFirstPlaceWithAWarning()
      throws ProcfileException {
    Procfile procfile = parse("web: old\nworker: w\nweb: new\n");

    assertThat(procfile.processes())
        .containsExactly(new ProcessType("web", "new", 3), new ProcessType("worker", "w", 2));
    assertThat(procfile.warnings())
        .containsExactly(
            "Procfile line 3 declares web again: its command replaces line 1's, as on Heroku");
  }

  @Test
  void malformedLinesAreErrorsNamingTheLine() {
    assertFails(
        "web: ok\nrails s\n",
        2,
        "Procfile line 2 has no colon: a Procfile line is `<process type>: <command>`, a comment"
            + " starting with #, or blank (found `rails s`)");
    assertFails(
        ": rails s", 1, "Procfile line 1 has no process type before its colon: a Procfile line is");
    assertFails(
        "\nis_w.e.b: echo hello",
        2,
        "Procfile line 2: `is_w.e.b` is not a process type name (letters, digits, _ and - only)");
    assertFails(
        "web : rails s",
        1,
        "Procfile line 1: a space comes between the process type web and its colon; write `web:"
            + " <command>`");
    assertFails("# c\nweb:   \n", 2, "Procfile line 2: the process type web has no command");
    assertFails(
        "x".repeat(64) + ": true",
        1,
        "Procfile line 1: the process type name is 64 characters long, more than the 63 allowed");
    assertFails(
        "web:\n  bundle exec puma\n", 1, "Procfile line 1: the process type web has no command");
  }

  @Test
  void controlCharactersAnywhereAreRefusedWithTheirPlace() {
    assertFails(
        "web: ok\nworker: run\0evil\n",
        2,
        "Procfile line 2 contains the control character U+0000 (NUL) at column 12");
    assertFails(
        "# comment \u001b[2J\nweb: ok", 1, "Procfile line 1 contains the control character U+001B");
    assertFails(
        "web: one\rworker: two\n",
        1,
        "Procfile line 1 contains the control character U+000D (a carriage return not ending the"
            + " line) at column 9");
    assertFails("web: a\u2028b", 1, "Procfile line 1 contains the control character U+2028");
  }

  @Test
  void textThatIsNotUtf8IsRefused() {
    byte[] latin1 = "web: ok\nworker: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> Procfile.parse(latin1))
        .isInstanceOf(ProcfileException.class)
        .hasMessage("Procfile line 2 is not UTF-8 text; a Procfile is plain text")
        .extracting(e -> ((ProcfileException) e).line())
        .isEqualTo(2);
  }

  @Test
  void aLongFileOfManyCommentsParsesUpToTheSizeLimitAndNotBeyond() throws ProcfileException {
    String comment = "# " + "c".repeat(97) + "\n"; // 100 bytes
    StringBuilder text = new StringBuilder(comment.repeat(650));
    text.append("web: ok\n");
    assertThat(text.length()).isLessThan(Procfile.MAX_BYTES);
    assertThat(parse(text.toString()).processes())
        .containsExactly(new ProcessType("web", "ok", 651));

    byte[] tooLarge = new byte[Procfile.MAX_BYTES + 1];
    java.util.Arrays.fill(tooLarge, (byte) '#');
    assertThatThrownBy(() -> Procfile.parse(tooLarge))
        .isInstanceOf(ProcfileException.class)
        .hasMessage("the Procfile is larger than the 65,536 bytes a Procfile may have")
        .extracting(e -> ((ProcfileException) e).line())
        .isEqualTo(0);
  }

  @Test
  void atMostAHundredTypesButRedeclaringOneDoesNotCount() throws ProcfileException {
    StringBuilder hundred = new StringBuilder();
    for (int i = 1; i <= Procfile.MAX_TYPES; i++) {
      hundred.append("p").append(i).append(": run ").append(i).append('\n');
    }
    assertThat(parse(hundred + "p1: again\n").processes()).hasSize(100);

    assertFails(
        hundred + "p101: one too many\n",
        101,
        "Procfile line 101 declares a process type beyond the 100 a Procfile may declare");
  }

  private static Procfile parse(String text) throws ProcfileException {
    return Procfile.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertFails(String text, int line, String messageStart) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ProcfileException.class)
        .hasMessageStartingWith(messageStart)
        .extracting(e -> ((ProcfileException) e).line())
        .isEqualTo(line);
  }
}
