import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a jar with its class files older than Java 6 (version 50) rewritten as Java 8 class files
 * with stack maps, the code unchanged: {@code java UpgradeClassFiles.java IN.jar OUT.jar} (JDK 25).
 *
 * <p>Why: picocli's jar holds Java 5 class files, and the JDK's ahead-of-time cache links only
 * classes the split verifier can check; it leaves old ones out, and with them every class that
 * implements or extends one of theirs (all of slipway-cli's commands). Measured on slipway-cli:
 * 172 picocli classes read and verified from the jar at every run, against none once upgraded.
 */
public final class UpgradeClassFiles {

  private UpgradeClassFiles() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[1]);
    Files.copy(Path.of(args[0]), out, StandardCopyOption.REPLACE_EXISTING);
    try (FileSystem jar = FileSystems.newFileSystem(out)) {
      // stack maps need the common superclass of two types: the jar's own classes are not on
      // this program's class path, so they are read from the jar
      ClassHierarchyResolver resolver =
          ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(desc -> open(jar, desc)))
              .cached();
      ClassFile classFile =
          ClassFile.of(
              ClassFile.ClassHierarchyResolverOption.of(resolver),
              ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
      List<Path> classes;
      try (Stream<Path> files = Files.walk(jar.getPath("/"))) {
        classes =
            files
                .filter(p -> p.toString().endsWith(".class"))
                .filter(p -> !p.startsWith("/META-INF"))
                .toList();
      }
      int upgraded = 0;
      for (Path path : classes) {
        ClassModel model = classFile.parse(Files.readAllBytes(path));
        if (model.majorVersion() >= ClassFile.JAVA_6_VERSION) {
          continue;
        }
        Files.write(path, upgrade(classFile, model));
        upgraded++;
      }
      System.err.println(args[1] + ": " + upgraded + " class files upgraded to Java 8's format");
    }
  }

  /** The class rebuilt as version 52: every method's code passes through, with new stack maps. */
  private static byte[] upgrade(ClassFile classFile, ClassModel model) {
    return classFile.build(
        model.thisClass().asSymbol(),
        builder -> {
          builder.withVersion(ClassFile.JAVA_8_VERSION, 0);
          for (ClassElement element : model) {
            if (element instanceof MethodModel method) {
              builder.transformMethod(
                  method, MethodTransform.transformingCode(CodeTransform.ACCEPT_ALL));
            } else if (!(element instanceof ClassFileVersion)) {
              builder.with(element);
            }
          }
        });
  }

  private static InputStream open(FileSystem jar, java.lang.constant.ClassDesc desc) {
    String descriptor = desc.descriptorString(); // Lpicocli/CommandLine;
    Path path = jar.getPath("/" + descriptor.substring(1, descriptor.length() - 1) + ".class");
    try {
      return Files.exists(path) ? Files.newInputStream(path) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
