package io.slipway.build.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The catalog's stacks in detection order: the first whose files are at the repository root builds
 * it ({@code handler.js} function-node, {@code handler.py} function-python, {@code Handler.java}
 * function-java, {@code Gemfile}/{@code config.ru} ruby, {@code package.json} node, {@code pom.xml}
 * java-maven, {@code build.gradle}/{@code build.gradle.kts} java-gradle, {@code go.mod} go, {@code
 * requirements.txt}/{@code pyproject.toml}/{@code app.py} python, {@code composer.json}/{@code
 * index.php} php, {@code index.html} static). Ruby comes before node as on Heroku: a Rails app's
 * {@code package.json} serves its assets, not its server; Maven before Gradle, as Heroku's
 * buildpacks are ordered: a repository with both (one being migrated) keeps building the way it
 * did. The function stacks come first: a function's repository may well hold a {@code package.json}
 * or {@code requirements.txt} for its handler's dependencies, and is a function all the same. A
 * Containerfile or Dockerfile at the root wins over all of them (decided by the caller).
 */
final class SourceStacks {

  static final String NOTHING_TO_BUILD =
      "no Containerfile or Dockerfile at the repository root, and no source stack matches it"
          + " (handler.js: a Node.js function, handler.py: a Python function,"
          + " Handler.java: a Java function,"
          + " Gemfile or config.ru: ruby, package.json: node, pom.xml: java-maven, build.gradle or"
          + " build.gradle.kts: java-gradle, go.mod: go,"
          + " requirements.txt, pyproject.toml or app.py: python, composer.json or index.php: php,"
          + " index.html: static)";

  private final List<SourceStack> stacks;

  SourceStacks(StackProperties catalog) {
    this.stacks =
        List.of(
            new FunctionNodeStack(catalog.functionNode()),
            new FunctionPythonStack(catalog.functionPython(), catalog.python().indexUrl()),
            new FunctionJavaStack(catalog.functionJava()),
            new RubyStack(catalog.ruby()),
            new NodeStack(catalog.node()),
            new JavaMavenStack(catalog.javaMaven()),
            new JavaGradleStack(catalog.javaGradle()),
            new GoStack(catalog.go()),
            new PythonStack(catalog.python()),
            new PhpStack(catalog.php()),
            new StaticSiteStack(catalog.staticSite()));
  }

  /**
   * The stack that builds {@code source}: the first that matches it. A matching stack that is
   * switched off still claims the repository, so the pusher learns which stack is missing.
   */
  Optional<SourceStack> detect(Path source) {
    return stacks.stream().filter(stack -> stack.matches(source)).findFirst();
  }
}
