package io.slipway.build.procfile;

/**
 * One process type a Procfile declares: its name ({@code web}, {@code worker}, …), the command its
 * processes run (handed as it is to a shell inside the app's container, never on the host), and the
 * line that declared it, for messages.
 *
 * @param name letters, digits, {@code _} and {@code -}, at most {@value Procfile#MAX_NAME} long
 * @param command the line's text after the colon, without the spaces around it; a {@code #} in it
 *     is the shell's to read (an inline comment when a space precedes it), as on Heroku
 * @param line the 1-based line of the Procfile that declared it (the last one, when it was declared
 *     more than once)
 */
public record ProcessType(String name, String command, int line) {}
