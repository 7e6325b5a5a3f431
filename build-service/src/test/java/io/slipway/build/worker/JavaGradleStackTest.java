package io.slipway.build.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Containerfile the java-gradle stack generates: the dependencies resolved in a layer keyed by
 * the build scripts, installDist on the builder, the start script on the runtime image.
 */
class JavaGradleStackTest {

  private static final JavaGradleStack GRADLE =
      new JavaGradleStack(new StackProperties.JavaGradle("localhost/gradle:1", "localhost/jre:1"));

  private static final String INIT =
      "RUN printf '%s\\n' 'allprojects {' '  task slipwayDependencies {' '    doLast {'"
          + " '      configurations.findAll { it.canBeResolved }.each {"
          + " it.resolvedConfiguration.lenientConfiguration.files }' '    }' '  }' '}'"
          + " 'rootProject {' '  afterEvaluate { p ->' '    p.task(\"slipwayStage\") {"
          + " dependsOn(p.tasks.findByName(\"installDist\") ?: \"assemble\") }' '  }' '}'"
          + " > /tmp/slipway-init.gradle\n";

  @TempDir Path source;

  @Test
  void dependenciesAreResolvedFromTheBuildScriptsAloneThenInstallDistRunsOnTheSources()
      throws IOException {
    write("build.gradle", "apply plugin: 'application'\n");
    write("settings.gradle", "rootProject.name = 'demo'\n");
    write("src/main/java/Demo.java", "");
    String proxy = JavaGradleStack.PROXY_PROPERTIES;
    assertThat(GRADLE.containerfile(source))
        .isEqualTo(
            "FROM localhost/gradle:1 AS build\n"
                + "WORKDIR /src\n"
                + "ENV GRADLE_USER_HOME=/tmp/gradle\n"
                + INIT
                + "COPY build.gradle settings.gradle ./\n"
                + "RUN "
                + proxy
                + " && gradle -q --no-daemon \"$@\" -I /tmp/slipway-init.gradle"
                + " slipwayDependencies || echo 'java-gradle stack: dependencies not resolved"
                + " ahead of the sources; the build step resolves them'\n"
                + "COPY . .\n"
                + "RUN "
                + proxy
                + " && gradle -q --no-daemon \"$@\" -I /tmp/slipway-init.gradle slipwayStage"
                + " && set -- build/install/* && if [ $# -ne 1 ] || [ ! -d \"$1/bin\" ]; then"
                + " echo \"java-gradle stack: gradle installDist made no single"
                + " build/install/<project>/ (found: $*); apply the application plugin with"
                + " mainClassName, or start the app with a Procfile web line\"; exit 1; fi"
                + " && cp -a \"$1\" /tmp/out && ln -s \"bin/${1##*/}\" /tmp/out/start\n"
                + "FROM localhost/jre:1\n"
                + "ENV PORT=8080 JAVA_OPTS=-XX:+UseSerialGC\n"
                + "USER 65534\n"
                + "EXPOSE 8080\n"
                + "CMD [\"/app/start\"]\n"
                + "COPY --from=build /tmp/out /app\n");
  }

  @Test
  void gradlePropertiesAndBuildSrcKeyTheDependenciesToo() throws IOException {
    write("build.gradle", "");
    write("gradle.properties", "version=1\n");
    write("buildSrc/build.gradle", "");
    assertThat(GRADLE.containerfile(source))
        .contains("\nCOPY build.gradle gradle.properties ./\nCOPY buildSrc ./buildSrc\nRUN ");
  }

  @Test
  void aProcfileWebCommandRunsInTheRepositoryAsBuilt() throws IOException {
    write("build.gradle", "");
    String containerfile =
        GRADLE.containerfile(source, Optional.of("java -cp 'build/libs/*' Main"));
    assertThat(containerfile)
        .contains(
            "\nCOPY . .\nRUN "
                + JavaGradleStack.PROXY_PROPERTIES
                + " && gradle -q --no-daemon \"$@\" -I /tmp/slipway-init.gradle slipwayStage\n"
                + "FROM localhost/jre:1\nWORKDIR /app\n")
        .contains("CMD [\"/bin/sh\", \"-c\", \"java -cp 'build/libs/*' Main\"]\n")
        .endsWith("\nCOPY --from=build /src /app\n")
        .doesNotContain("/app/start");
  }

  @Test
  void aKotlinBuildScriptAloneIsRefusedNamingTheGradleVersion() throws IOException {
    write("build.gradle.kts", "plugins { application }\n");
    assertThat(GRADLE.matches(source)).isTrue();
    assertThatThrownBy(() -> GRADLE.containerfile(source))
        .isInstanceOf(SourceStack.UnbuildableSourceException.class)
        .hasMessageContaining("build.gradle.kts (the Kotlin DSL) cannot be built here")
        .hasMessageContaining("Debian 12's 4.4.1");
  }

  @Test
  void aWrapperIsNotRunAndTheLogSaysWhichGradleItWanted() throws IOException {
    write("build.gradle", "");
    assertThat(GRADLE.notes(source)).isEmpty();
    write("gradlew", "#!/bin/sh\n");
    assertThat(GRADLE.notes(source))
        .containsExactly(
            "java-gradle stack: the Gradle wrapper is not run: it downloads Gradle from"
                + " services.gradle.org, which builds cannot reach; building with the builder's"
                + " Gradle, Debian 12's 4.4.1");
    write(
        "gradle/wrapper/gradle-wrapper.properties",
        "distributionBase=GRADLE_USER_HOME\n"
            + "distributionUrl=https\\://services.gradle.org/distributions/gradle-8.5-bin.zip\n");
    assertThat(GRADLE.notes(source))
        .singleElement()
        .asString()
        .startsWith("java-gradle stack: the Gradle wrapper is not run (it asks for Gradle 8.5): ");
  }

  private void write(String name, String content) throws IOException {
    Path file = source.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
