package io.slipway.testing.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The boundaries between Slipway's services, checked on one service's main classes:
 *
 * <ul>
 *   <li>no class depends on another service's classes (they talk over HTTP; the shared code is in
 *       {@code service-kit} and the {@code governance} library);
 *   <li>no service reads another's storage: the file system is touched only in the packages that
 *       own this service's data, and no setting defaults to a directory another service owns.
 * </ul>
 *
 * A boundary crossed today is a {@link KnownViolation}: the rules hold for every other class, and
 * {@link #checkFileAccess} fails once a known violation is gone, so that its exception goes too.
 */
public final class ServiceBoundaries {

  /** What reading or writing files looks like in bytecode. */
  private static final Class<?>[] FILE_ACCESS = {
    Files.class,
    File.class,
    FileInputStream.class,
    FileOutputStream.class,
    FileReader.class,
    FileWriter.class,
    RandomAccessFile.class,
    FileChannel.class
  };

  /** What calling over HTTP by hand looks like in bytecode. */
  private static final List<String> HTTP_CLIENTS =
      List.of(
          "java.net.http.HttpClient",
          "java.net.HttpURLConnection",
          "org.springframework.web.client.RestClient",
          "org.springframework.web.client.RestTemplate",
          "org.springframework.web.reactive.function.client.WebClient");

  /**
   * A class that makes HTTP calls of its own to something that is not a Slipway service: the
   * identity provider's token endpoint, a tenant's app, podman's or Caddy's API.
   *
   * @param className the fully qualified name of the class
   * @param calls what it calls
   */
  public record NotAService(String className, String calls) {}

  private static final String DEFAULT_VALUE =
      "org.springframework.boot.context.properties.bind.DefaultValue";

  private final SlipwayService service;
  private final JavaClasses classes;

  private ServiceBoundaries(SlipwayService service) {
    this.service = service;
    // The module's own main classes (the test runs in the module's directory): scanning the whole
    // classpath for the package would take seconds and find nothing more.
    Path main = Path.of("target", "classes");
    assertThat(main.resolve(service.rootPackage().replace('.', '/')))
        .as("the main classes of %s, from its module directory", service.module())
        .isDirectory();
    this.classes = new ClassFileImporter().importPath(main);
  }

  /**
   * The boundaries of one service, read from its compiled main classes in {@code target/classes}.
   */
  public static ServiceBoundaries of(SlipwayService service) {
    return new ServiceBoundaries(service);
  }

  /** No class of this service depends on a class of another service. */
  public void checkNoOtherServiceClasses() {
    assertThat(classes).as("classes of " + service.module()).isNotEmpty();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(service.otherPackages())
        .because("services talk to each other over their HTTP APIs only (issue 20)")
        .check(classes);
  }

  /**
   * No test class of this service depends on a class of another service either: a test talks to
   * another service over HTTP, through a shared fixture of {@code testing} that runs its jar (such
   * as {@code TestTenantService}), never by booting its classes in the test JVM (issue 20). Reads
   * the module's compiled tests in {@code target/test-classes}.
   */
  public void checkTestsUseNoOtherServiceClasses() {
    Path tests = Path.of("target", "test-classes");
    assertThat(tests.resolve(service.rootPackage().replace('.', '/')))
        .as("the test classes of %s, from its module directory", service.module())
        .isDirectory();
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(service.otherPackages())
        .because(
            "tests reach another service over HTTP through a shared fixture that runs its jar"
                + " (issue 20)")
        .check(new ClassFileImporter().importPath(tests));
  }

  /**
   * Files are read and written only in {@code owners} (packages under the service's root, each
   * owning data of this service) and in the known violations, which must still violate.
   */
  public void checkFileAccess(List<String> owners, List<KnownViolation> known) {
    Set<String> exceptions =
        known.stream().map(KnownViolation::className).collect(Collectors.toSet());
    String[] ownerPatterns = owners.stream().map(p -> p + "..").toArray(String[]::new);
    noClasses()
        .that()
        .resideOutsideOfPackages(ownerPatterns)
        .and(
            DescribedPredicate.describe(
                "are not known violations", (JavaClass c) -> !exceptions.contains(topLevel(c))))
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(FILE_ACCESS)
        .because(
            "a service touches only its own data on disk; another service's data is asked of"
                + " its owner over its API (issue 20)")
        .check(classes);
    Set<String> crossing =
        classes.stream()
            .filter(c -> owners.stream().noneMatch(owner -> inPackage(c, owner)))
            .filter(ServiceBoundaries::touchesFiles)
            .map(ServiceBoundaries::topLevel)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(crossing)
        .as("known violations that still access files (remove an exception once it is fixed)")
        .containsAll(exceptions);
  }

  /**
   * No setting of this service defaults to a directory another service owns, except in the known
   * violations, which must still do so.
   */
  public void checkNoDefaultIntoOthersData(List<KnownViolation> known) {
    List<String> othersDirs = service.othersDataDirs();
    Set<String> crossing =
        classes.stream()
            .filter(c -> defaults(c).anyMatch(v -> pointsInto(v, othersDirs)))
            .map(ServiceBoundaries::topLevel)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(crossing)
        .as(
            "settings of %s that default to another service's data %s",
            service.module(), othersDirs)
        .containsExactlyInAnyOrderElementsOf(
            known.stream()
                .map(KnownViolation::className)
                .collect(Collectors.toCollection(TreeSet::new)));
  }

  /**
   * No class calls another Slipway service by hand: every call goes through the declarative clients
   * of {@code io.slipway.kit.client} (issue 20). {@code others} call something that is not a
   * Slipway service; {@code known} are hand-written clients of a service still to move, which must
   * still make calls of their own (remove an exception once it is fixed).
   */
  public void checkNoHandWrittenClients(List<NotAService> others, List<KnownViolation> known) {
    Set<String> callers =
        classes.stream()
            .filter(
                c ->
                    c.getDirectDependenciesFromSelf().stream()
                        .anyMatch(d -> HTTP_CLIENTS.contains(d.getTargetClass().getName())))
            .map(ServiceBoundaries::topLevel)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> allowed = new TreeSet<>();
    others.forEach(o -> allowed.add(o.className()));
    known.forEach(k -> allowed.add(k.className()));
    assertThat(callers)
        .as(
            "classes of %s that make HTTP calls by hand: a Slipway service is called through"
                + " io.slipway.kit.client's declarative clients (issue 20)",
            service.module())
        .containsExactlyInAnyOrderElementsOf(allowed);
  }

  private static boolean inPackage(JavaClass c, String pkg) {
    return c.getPackageName().equals(pkg) || c.getPackageName().startsWith(pkg + ".");
  }

  private static boolean touchesFiles(JavaClass c) {
    return c.getDirectDependenciesFromSelf().stream()
        .anyMatch(
            d -> Arrays.stream(FILE_ACCESS).anyMatch(f -> d.getTargetClass().isEquivalentTo(f)));
  }

  private static Stream<String> defaults(JavaClass c) {
    return c.getConstructors().stream()
        .flatMap(constructor -> constructor.getParameters().stream())
        .map(JavaParameter::getAnnotations)
        .flatMap(Set::stream)
        .filter(a -> a.getRawType().getName().equals(DEFAULT_VALUE))
        .flatMap(ServiceBoundaries::values);
  }

  private static Stream<String> values(JavaAnnotation<?> annotation) {
    return annotation.get("value").stream()
        .flatMap(v -> v instanceof Object[] array ? Arrays.stream(array) : Stream.of(v))
        .map(String::valueOf);
  }

  private static boolean pointsInto(String value, List<String> dirs) {
    String path = value.startsWith("./") ? value.substring(2) : value;
    return dirs.stream().anyMatch(d -> path.equals(d) || path.startsWith(d + "/"));
  }

  private static String topLevel(JavaClass c) {
    String name = c.getName();
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }
}
