package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Containerfile the ruby stack generates: Bundler's install in a stage of its own. */
class RubyStackTest {

  private static final RubyStack RUBYGEMS =
      new RubyStack(
          new StackProperties.Ruby(
              "localhost/ruby:1", "localhost/ruby-run:1", StackProperties.RUBYGEMS));

  @TempDir Path source;

  @Test
  void lockedGemsAreInstalledInAStageOfTheirOwnAndCopiedBeforeTheCode() throws IOException {
    write("Gemfile", "source 'https://rubygems.org'\ngem 'rack'\n");
    write("Gemfile.lock", "");
    write("config.ru", "");
    assertThat(RUBYGEMS.containerfile(source))
        .isEqualTo(
            """
            FROM localhost/ruby:1 AS gems
            WORKDIR /app
            ENV GEM_HOME=/opt/bundle PATH=/opt/bundle/bin:$PATH BUNDLE_FROZEN=true \
            BUNDLE_WITHOUT=development:test BUNDLE_USER_HOME=/tmp/bundler
            ENV BUNDLE_SILENCE_ROOT_WARNING=1
            COPY Gemfile Gemfile.lock ./
            RUN bundle install --quiet --retry 1 && mkdir -p /opt/bundle
            FROM localhost/ruby-run:1
            WORKDIR /app
            ENV GEM_HOME=/opt/bundle PATH=/opt/bundle/bin:$PATH BUNDLE_FROZEN=true \
            BUNDLE_WITHOUT=development:test BUNDLE_USER_HOME=/tmp/bundler
            ENV RACK_ENV=production PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["bundle", "exec", "rackup", "config.ru", "-o", "0.0.0.0", "-p", "8080"]
            COPY --from=gems /opt/bundle /opt/bundle
            COPY . /app
            """);
  }

  @Test
  void aGemSourceOtherThanRubygemsIsItsMirrorAndVendorCacheNeedsNoNetwork() throws IOException {
    write("Gemfile", "source 'https://rubygems.org'\n");
    write("Gemfile.lock", "");
    write("app.rb", "");
    RubyStack mirrored =
        new RubyStack(
            new StackProperties.Ruby(
                "localhost/ruby:1", "localhost/ruby-run:1", "http://10.0.0.2:8080/gems"));
    assertThat(mirrored.containerfile(source))
        .contains(
            "\nRUN bundle config set --global mirror.https://rubygems.org"
                + " 'http://10.0.0.2:8080/gems' && bundle install --quiet --retry 1"
                + " && mkdir -p /opt/bundle\n")
        .contains("CMD [\"bundle\", \"exec\", \"ruby\", \"/app/app.rb\"]\n");
    write("vendor/cache/rack-2.2.6.gem", "");
    assertThat(mirrored.containerfile(source))
        .contains(
            "COPY Gemfile Gemfile.lock ./\nCOPY vendor/cache ./vendor/cache\n"
                + "RUN bundle install --local --quiet && mkdir -p /opt/bundle\n")
        .doesNotContain("mirror");
  }

  @Test
  void withoutAGemfileTheAppRunsOnDebiansRubyAndAProcfileStartsIt() throws IOException {
    write("config.ru", "");
    assertThat(RUBYGEMS.containerfile(source))
        .doesNotContain("AS gems")
        .doesNotContain("COPY --from")
        .contains("CMD [\"rackup\", \"config.ru\", \"-o\", \"0.0.0.0\", \"-p\", \"8080\"]\n");
    assertThat(RUBYGEMS.containerfile(source, Optional.of("bundle exec puma -p $PORT")))
        .contains("CMD [\"/bin/sh\", \"-c\", \"bundle exec puma -p $PORT\"]\n");
  }

  @Test
  void aGemfileNeedsItsLockAndTheAppSomethingToStart() throws IOException {
    write("Gemfile", "source 'https://rubygems.org'\n");
    assertThatThrownBy(() -> RUBYGEMS.containerfile(source))
        .hasMessageContaining("the Gemfile has no Gemfile.lock beside it");
    write("Gemfile.lock", "");
    assertThatThrownBy(() -> RUBYGEMS.containerfile(source))
        .hasMessageContaining("no config.ru or app.rb");
  }

  @Test
  void theGemSourceMustBeAPlainHttpUrlSafeInAShellStep() {
    try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
      assertThat(
              factory
                  .getValidator()
                  .validate(new StackProperties.Ruby("r:1", "r:1", "http://10.1.2.3:8080/")))
          .isEmpty();
      assertThat(
              factory
                  .getValidator()
                  .validate(new StackProperties.Ruby("r:1", "r:1", "https://x.test/' && id '")))
          .extracting(violation -> violation.getPropertyPath().toString())
          .containsExactly("gemSource");
    }
  }

  private void write(String name, String content) throws IOException {
    Path file = source.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
