package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Containerfile the php stack generates: Composer on the builder, php -S on the runtime. */
class PhpStackTest {

  private static final PhpStack PHP =
      new PhpStack(new StackProperties.Php("localhost/php:1", "localhost/php-run:1"));

  @TempDir Path source;

  @Test
  void lockedPackagesAreInstalledInALayerOfTheirOwnThenTheAutoloaderIsDumped() throws IOException {
    write("composer.json", "{\"require\": {\"php\": \">=8.1\", \"monolog/monolog\": \"^3\"}}");
    write("composer.lock", "{}");
    write("public/index.php", "");
    assertThat(PHP.containerfile(source))
        .isEqualTo(
            """
            FROM localhost/php:1 AS build
            WORKDIR /app
            ENV COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_NO_INTERACTION=1 COMPOSER_HOME=/tmp/composer
            COPY composer.json composer.lock ./
            RUN composer install --no-dev --no-scripts --no-autoloader --no-progress --prefer-dist
            COPY . /app
            RUN composer dump-autoload --no-dev --optimize
            FROM localhost/php-run:1
            WORKDIR /app
            ENV PORT=8080
            USER 65534
            EXPOSE 8080
            CMD ["php", "-S", "0.0.0.0:8080", "-t", "/app/public"]
            COPY --from=build /app /app
            """);
  }

  @Test
  void onlyPlatformRequirementsNeedNoLockAndNoInstall() throws IOException {
    write("composer.json", "{\"require\": {\"php\": \">=8.1\", \"ext-json\": \"*\"}}");
    write("index.php", "");
    assertThat(PHP.containerfile(source))
        .doesNotContain("composer install")
        .contains("COPY . /app\nRUN composer dump-autoload --no-dev --optimize\n")
        .contains("CMD [\"php\", \"-S\", \"0.0.0.0:8080\", \"-t\", \"/app\"]\n");
  }

  @Test
  void anIndexPhpAloneOrACommittedVendorNeedsNoComposer() throws IOException {
    write("index.php", "");
    String plain = PHP.containerfile(source);
    assertThat(plain).startsWith("FROM localhost/php-run:1\n").endsWith("\nCOPY . /app\n");
    write("composer.json", "{\"require\": {\"slim/slim\": \"^4\"}}");
    write("vendor/autoload.php", "");
    assertThat(PHP.containerfile(source)).isEqualTo(plain);
    assertThat(PHP.containerfile(source, Optional.of("php -S 0.0.0.0:$PORT router.php")))
        .contains("CMD [\"/bin/sh\", \"-c\", \"php -S 0.0.0.0:$PORT router.php\"]\n");
  }

  @Test
  void requiredPackagesNeedTheirLock() throws IOException {
    write("composer.json", "{\"require\": {\"slim/slim\": \"^4\"}}");
    assertThatThrownBy(() -> PHP.containerfile(source))
        .hasMessageContaining("composer.json requires packages but there is no composer.lock");
    write("composer.json", "{");
    assertThatThrownBy(() -> PHP.containerfile(source))
        .hasMessageContaining("composer.json is not valid JSON");
  }

  private void write(String name, String content) throws IOException {
    Path file = source.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
