package io.slipway.build.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ruby: a {@code Gemfile} or {@code config.ru} at the root. The gems {@code Gemfile.lock} names are
 * installed with Bundler ({@value #BUNDLE}, frozen to the lock, development and test groups left
 * out) on the builder in a stage to which only the Gemfile and its lock are copied, so the layer is
 * reused while they stay the same; the runtime image gets {@value #BUNDLE} and then the repository.
 * The app starts with a Procfile's {@code web} command, else {@code rackup} of {@code config.ru},
 * else {@code ruby app.rb}, under {@code bundle exec} when there is a Gemfile.
 *
 * <p>As on Heroku, a Gemfile needs its {@code Gemfile.lock} committed: the build installs exactly
 * what was locked. Gems come from the catalog's gem source through the build's egress proxy (a
 * source other than rubygems.org is a Bundler mirror of it); a repository with {@code vendor/cache}
 * ({@code bundle cache}) installs from it alone ({@code --local}), with no network.
 */
record RubyStack(StackProperties.Ruby entry) implements SourceStack {

  /** Where the app's gems are installed, in the build stage and in the app's image. */
  static final String BUNDLE = "/opt/bundle";

  /** Gems packed with {@code bundle cache}: when present, the only place gems come from. */
  static final String CACHE = "vendor/cache";

  /**
   * Bundler's settings, the same in the build stage and where the app runs. The gems go to {@code
   * GEM_HOME} rather than a {@code BUNDLE_PATH}, which would hide the gems Debian installed in the
   * stack's images (WEBrick, Rack): with {@code GEM_HOME}, a locked gem that Debian has at that
   * version is used from there and not downloaded.
   */
  private static final String BUNDLE_ENV =
      "ENV GEM_HOME="
          + BUNDLE
          + " PATH="
          + BUNDLE
          + "/bin:$PATH BUNDLE_FROZEN=true BUNDLE_WITHOUT=development:test"
          + " BUNDLE_USER_HOME=/tmp/bundler";

  @Override
  public String name() {
    return "ruby";
  }

  @Override
  public boolean enabled() {
    return !entry.builderImage().isBlank() && !entry.runtimeImage().isBlank();
  }

  @Override
  public boolean matches(Path source) {
    return SourceStack.hasAny(source, "Gemfile", "config.ru");
  }

  @Override
  public String containerfile(Path source, Optional<String> web) throws UnbuildableSourceException {
    boolean gemfile = SourceStack.hasAny(source, "Gemfile");
    if (gemfile && !SourceStack.hasAny(source, "Gemfile.lock")) {
      throw new UnbuildableSourceException(
          "ruby stack: the Gemfile has no Gemfile.lock beside it; run `bundle lock` (or `bundle"
              + " install`) and commit Gemfile.lock, so the build installs exactly those gems");
    }
    String start =
        web.isPresent() ? SourceStack.startCommand(web.get()) : defaultStart(source, gemfile);
    List<String> lines = new ArrayList<>();
    if (gemfile) {
      lines.addAll(installStage(Files.isDirectory(source.resolve(CACHE))));
    }
    lines.add("FROM " + entry.runtimeImage());
    lines.add("WORKDIR /app");
    lines.add(BUNDLE_ENV);
    lines.add("ENV RACK_ENV=production PORT=" + PORT);
    lines.add("USER " + USER);
    lines.add("EXPOSE " + PORT);
    lines.add(start);
    if (gemfile) {
      // reused while the Gemfile and its lock stay the same: a code-only push adds one layer
      lines.add("COPY --from=gems " + BUNDLE + " " + BUNDLE);
    }
    lines.add("COPY . /app");
    return String.join("\n", lines) + "\n";
  }

  private static String defaultStart(Path source, boolean gemfile)
      throws UnbuildableSourceException {
    String exec = gemfile ? "\"bundle\", \"exec\", " : "";
    if (SourceStack.hasAny(source, "config.ru")) {
      return "CMD ["
          + exec
          + "\"rackup\", \"config.ru\", \"-o\", \"0.0.0.0\", \"-p\", \""
          + PORT
          + "\"]";
    }
    if (SourceStack.hasAny(source, "app.rb")) {
      return "CMD [" + exec + "\"ruby\", \"/app/app.rb\"]";
    }
    throw new UnbuildableSourceException(
        "ruby stack: nothing to start: no config.ru or app.rb at the repository root (or a"
            + " Procfile whose web line starts the app, e.g. web: bundle exec puma -p $PORT)");
  }

  /**
   * The stage that installs the locked gems (and nothing else of the repository, so that its layers
   * are reused while the Gemfile and its lock are unchanged) into {@value #BUNDLE}.
   */
  private List<String> installStage(boolean cached) {
    List<String> stage = new ArrayList<>();
    stage.add("FROM " + entry.builderImage() + " AS gems");
    stage.add("WORKDIR /app");
    stage.add(BUNDLE_ENV);
    // root only inside the build's own user namespace, and the install is copied out of it
    stage.add("ENV BUNDLE_SILENCE_ROOT_WARNING=1");
    stage.add("COPY Gemfile Gemfile.lock ./");
    String install;
    if (cached) {
      stage.add("COPY " + CACHE + " ./" + CACHE);
      install = "bundle install --local --quiet";
    } else if (entry.gemSource().equals(StackProperties.RUBYGEMS)) {
      install = "bundle install --quiet --retry 1";
    } else {
      // settled at start-up to be a URL with nothing a shell reads; a mirror, so the Gemfile's
      // `source "https://rubygems.org"` and its lock stay as the developer wrote them
      install =
          "bundle config set --global mirror."
              + StackProperties.RUBYGEMS
              + " '"
              + entry.gemSource()
              + "' && bundle install --quiet --retry 1";
    }
    // the directory exists even when nothing is locked, for the COPY in the app's image
    stage.add("RUN " + install + " && mkdir -p " + BUNDLE);
    return stage;
  }

  @Override
  public String images() {
    return entry.builderImage() + " (build), " + entry.runtimeImage() + " (run)";
  }
}
