package io.slipway.runtime.podman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tiny images built in the test with buildah: busybox's httpd serving one page on 8080 as user
 * 65534, from scratch (no registry is reachable here). Names start with {@link #PREFIX}.
 */
public final class TestImages {

  /**
   * The prefix of every name the tests and the driver under test create (images, containers,
   * networks). Not under "slipway-": a developer's running platform must never take these for its
   * own. One per test JVM, because a driver removes whatever carries its prefix that it does not
   * know, and {@link #removeAll} force-removes this JVM's images: two test runs on one host (two
   * checkouts, or failsafe's forks) must not remove each other's.
   */
  public static final String PREFIX =
      "slwtest-rt-"
          + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36)
          + "-";

  /** One podman service for the whole test run, as the bridge runs it. */
  public static final PodmanApi API = PodmanApi.ownService(Duration.ofSeconds(60));

  private static final ConcurrentHashMap<String, String> BUILT = new ConcurrentHashMap<>();

  private TestImages() {}

  /** An image whose {@code /} answers {@code body}; built once per JVM and tag. */
  public static String httpd(String tag, String body) {
    return BUILT.computeIfAbsent(
        "httpd:" + tag,
        t -> build(t, body, "[\"/bin/busybox\",\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]"));
  }

  /** An image whose {@code /} answers {@code body} on {@code port} instead of 8080. */
  public static String httpdOn(int port, String body) {
    return BUILT.computeIfAbsent(
        "httpd-on-" + Integer.toHexString(body.hashCode()) + ":" + port,
        t ->
            build(
                t,
                body,
                "[\"/bin/busybox\",\"httpd\",\"-f\",\"-p\",\"" + port + "\",\"-h\",\"/www\"]"));
  }

  /** An image whose {@code /} answers {@code body}, but only {@code seconds} after it started. */
  public static String slowHttpd(int seconds, String body) {
    return BUILT.computeIfAbsent(
        // the body in the name too: two tests' bodies never share an image
        "slow-httpd-" + Integer.toHexString(body.hashCode()) + ":" + seconds,
        t ->
            build(
                t,
                body,
                "[\"/bin/busybox\",\"sh\",\"-c\",\"/bin/busybox sleep "
                    + seconds
                    + "; exec /bin/busybox httpd -f -p 8080 -h /www\"]"));
  }

  /**
   * An httpd whose {@code /} answers {@code fast} at once and whose {@code /cgi-bin/slow} answers
   * {@code slow} only after {@code seconds}: requests that stay in flight for as long as a test
   * needs.
   */
  public static String slowPage(int seconds) {
    return BUILT.computeIfAbsent(
        "slow-page:" + seconds,
        t ->
            buildFrom(
                t,
                "fast\n",
                null,
                "CMD [\"/bin/busybox\",\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]",
                Map.of(
                    "www/cgi-bin/slow",
                    "#!/bin/busybox sh\n/bin/busybox sleep %d\necho 'Content-Type: text/plain'\necho\necho slow\n"
                        .formatted(seconds))));
  }

  /**
   * A function image (label {@code io.slipway.function}) whose runtime speaks the function contract
   * as a busybox shell script behind {@code nc}: {@code GET /healthz} 200; {@code POST /run} one at
   * a time (a second at once is 503 busy, as the contract says), answering by the event's path:
   * {@code /error} the handler's error, {@code /sleep} a timeout after {@code timeoutMs}, {@code
   * /hang} nothing at all, {@code /logs} 3,000 log lines, {@code /web} a web response (201, a
   * header, {@code made}), {@code /slow} the echo after 0.2 s, {@code /linger} after 4 s, anything
   * else success echoing the event. Every answer logs {@code handling <path>}. Its lock is under
   * {@code /dev/shm}.
   */
  public static String function() {
    return function("plain", "");
  }

  /**
   * {@link #function()} with more {@code instructions} (labels, one per line) in its Containerfile;
   * built once per JVM and tag (letters, digits and dashes).
   */
  public static String function(String tag, String instructions) {
    return BUILT.computeIfAbsent(
        "function-" + tag + ":1",
        t ->
            buildFrom(
                t,
                "",
                null,
                instructions
                    + "\nLABEL io.slipway.function=\"test\"\n"
                    + "CMD [\"/bin/busybox\",\"sh\",\"/www/start\"]",
                Map.of(
                    "www/start",
                    """
                    #!/bin/busybox sh
                    /bin/busybox rm -rf /dev/shm/busy
                    exec /bin/busybox nc -ll -p "${PORT:-8080}" -e /www/run
                    """,
                    "www/run",
                    """
                    #!/bin/busybox sh
                    b=/bin/busybox
                    cr=$($b printf '\r')
                    read -r line
                    line=${line%"$cr"}
                    target=${line#* }
                    target=${target%% *}
                    len=0
                    while read -r h; do
                      h=${h%"$cr"}
                      [ -z "$h" ] && break
                      case "$h" in [Cc]ontent-[Ll]ength:*) len=${h#*:}; len=${len# } ;; esac
                    done
                    reply() {
                      printf 'HTTP/1.0 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n%s' \
                        "$1" "${#2}" "$2"
                    }
                    if [ "$target" = /healthz ]; then reply '200 OK' '"ok"'; exit 0; fi
                    if [ "$target" != /run ]; then reply '404 Not Found' '{}'; exit 0; fi
                    body=$($b head -c "$len")
                    if ! $b mkdir /dev/shm/busy 2>/dev/null; then
                      reply '503 Service Unavailable' '{"status":"busy"}'; exit 0
                    fi
                    path=$(echo "$body" | $b sed -n 's/.*"event":{"trigger":"[a-z]*","method":"[A-Z]*","path":"\\([^"]*\\)".*/\\1/p')
                    ms=$(echo "$body" | $b sed -n 's/.*"timeoutMs":\\([0-9]*\\).*/\\1/p')
                    event=$(echo "$body" | $b sed -n 's/.*"event":\\(.*\\)}$/\\1/p')
                    echo "handling $path" >&2
                    log="\\"handling $path\\""
                    case "$path" in
                      /error) answer='{"status":"error","result":null,"error":"Error: boom","logs":['"$log"',"Error: boom","    at main (handler.js:2)"]}' ;;
                      /sleep) $b sleep $((ms / 1000)); answer='{"status":"timeout","result":null,"error":null,"logs":['"$log"']}' ;;
                      /hang) $b sleep 600; exit 0 ;;
                      /logs) lines=$($b seq 1 3000 | $b sed 's/.*/"log line & of three thousand, padded to be long"/' | $b tr '\n' ',')
                             answer='{"status":"success","result":"logged","error":null,"logs":['"$log,${lines%,}"']}' ;;
                      /web) answer='{"status":"success","result":{"statusCode":201,"headers":{"X-Fn":"yes"},"body":"made"},"error":null,"logs":['"$log"']}' ;;
                      /slow) $b sleep 0.2; answer='{"status":"success","result":'"$event"',"error":null,"logs":['"$log"']}' ;;
                      /linger) $b sleep 4; answer='{"status":"success","result":'"$event"',"error":null,"logs":['"$log"']}' ;;
                      *) answer='{"status":"success","result":'"$event"',"error":null,"logs":['"$log"']}' ;;
                    esac
                    $b rmdir /dev/shm/busy
                    reply '200 OK' "$answer"
                    """)));
  }

  /** An image that runs and listens on no port at all. */
  public static String listensNowhere() {
    return BUILT.computeIfAbsent(
        "listens-nowhere:1", t -> build(t, "", "[\"/bin/busybox\",\"sleep\",\"600\"]"));
  }

  /**
   * An image that prints {@code line} (letters, digits and dashes: it is part of the image's name,
   * so two tests' lines never share an image) and exits with {@code code}.
   */
  public static String failing(String line, int code) {
    if (!line.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("a failing image's line is [a-z0-9-]+: " + line);
    }
    return BUILT.computeIfAbsent(
        "failing-" + line + ":" + code,
        t ->
            build(
                t,
                "",
                "[\"/bin/busybox\",\"sh\",\"-c\",\"echo " + line + "; exit " + code + "\"]"));
  }

  /** An image that fills about 100 MB of memory in a shell variable, then exits with 0. */
  public static String memoryHog() {
    return BUILT.computeIfAbsent(
        "memory-hog:1",
        t ->
            build(
                t,
                "",
                "[\"/bin/busybox\",\"sh\",\"-c\",\"a=$(/bin/busybox head -c 100000000"
                    + " /dev/zero | /bin/busybox tr \\\"\\\\\\\\000\\\" x); echo kept ${#a}\"]"));
  }

  /**
   * An httpd whose page shows the variables {@code GREETING} and {@code TOKEN} as it started with
   * them, which prints {@code started}, and which, once {@code /tmp/boom} exists (made with {@code
   * podman exec}), prints {@code allocating} and fills about 100 MB of memory in its main process.
   */
  public static String envPageWithOomSwitch() {
    return BUILT.computeIfAbsent(
        "env-oom:1",
        t ->
            script(
                t,
                """
                b=/bin/busybox
                $b mkdir -p /tmp/www
                echo "$GREETING $TOKEN" > /tmp/www/index.html
                $b httpd -p 8080 -h /tmp/www
                echo started
                while ! $b test -e /tmp/boom; do $b sleep 0.1; done
                echo allocating
                a=$($b head -c 100000000 /dev/zero | $b tr '\\000' x)
                echo kept ${#a}
                """));
  }

  /**
   * An httpd whose page shows {@code tag} (letters, digits and dashes) and the variable {@code
   * GREETING} as it started with it; it exits with code 3 at start when {@code CRASH} is {@code
   * yes}.
   */
  public static String envPage(String tag) {
    if (!tag.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("an env page's tag is [a-z0-9-]+: " + tag);
    }
    return BUILT.computeIfAbsent(
        "env-page-" + tag + ":1",
        t ->
            script(
                t,
                """
                b=/bin/busybox
                if $b test "$CRASH" = yes; then echo crashing; exit 3; fi
                $b mkdir -p /tmp/www
                echo "%s $GREETING" > /tmp/www/index.html
                exec $b httpd -f -p 8080 -h /tmp/www
                """
                    .formatted(tag)));
  }

  /**
   * An app that leaves orphans behind, as shell scripts and daemonising servers do: a loop starts a
   * shell that starts {@code true} in the background and exits, so each {@code true} is re-parented
   * to PID 1, and counts them in {@code /tmp/spawned}. Its main process, {@code sleep}, never waits
   * for a child: run as PID 1 it leaves every orphan a zombie.
   */
  public static String orphanSpawner() {
    return BUILT.computeIfAbsent(
        "orphans:1",
        t ->
            script(
                t,
                """
                b=/bin/busybox
                $b sh -c 'n=0; while true; do $b sh -c "$b true &"; n=$((n+1)); \
                  echo $n > /tmp/spawned; $b sleep 0.02; done' &
                exec $b sleep 100000
                """));
  }

  /**
   * An image as a user's Dockerfile makes it: {@code /www/run.sh} holds {@code script} and the
   * {@code instructions} (ENTRYPOINT, CMD, EXPOSE ..., one per line) end the Containerfile; built
   * once per JVM and tag.
   */
  public static String dockerfile(String tag, String script, String instructions) {
    return BUILT.computeIfAbsent("dockerfile:" + tag, t -> buildFrom(t, "", script, instructions));
  }

  private static String script(String nameAndTag, String script) {
    return build(nameAndTag, "", "[\"/bin/busybox\",\"sh\",\"/www/run.sh\"]", script);
  }

  private static String build(String nameAndTag, String body, String cmd) {
    return build(nameAndTag, body, cmd, null);
  }

  private static String build(String nameAndTag, String body, String cmd, String script) {
    return buildFrom(nameAndTag, body, script, "CMD " + cmd);
  }

  private static String buildFrom(
      String nameAndTag, String body, String script, String instructions) {
    return buildFrom(nameAndTag, body, script, instructions, Map.of());
  }

  /** ... with {@code programs}: more files by path in the context, executable by anyone. */
  private static String buildFrom(
      String nameAndTag,
      String body,
      String script,
      String instructions,
      Map<String, String> programs) {
    String name = "localhost/" + PREFIX + nameAndTag;
    try {
      Path dir = Files.createTempDirectory(PREFIX);
      Files.createDirectories(dir.resolve("www"));
      Files.writeString(dir.resolve("www/index.html"), body);
      if (script != null) {
        Files.writeString(dir.resolve("www/run.sh"), script);
      }
      for (Map.Entry<String, String> program : programs.entrySet()) {
        Path file = dir.resolve(program.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, program.getValue());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.copy(
          Path.of("/bin/busybox"), dir.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(
          dir.resolve("Containerfile"),
          """
          FROM scratch
          COPY busybox /bin/busybox
          COPY www /www
          USER 65534
          %s
          """
              .formatted(instructions));
      Process process =
          new ProcessBuilder(List.of("buildah", "bud", "-q", "-t", name, dir.toString()))
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("buildah bud failed: " + output);
      }
      return name;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Deletes every image this JVM built. */
  public static void removeAll() {
    BUILT
        .values()
        .forEach(
            name -> {
              try {
                new ProcessBuilder("podman", "rmi", "-f", name).start().waitFor();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    BUILT.clear();
  }
}
