package io.slipway.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * docs/architecture.md's table of module dependencies is what the poms say: every module of the
 * reactor has a row, and its {@code io.slipway} dependencies (main and test scope) are exactly the
 * ones the row names. So the page cannot drift from the build, and a new dependency between modules
 * is a decision written down there.
 */
class ArchitectureDocTest {

  private static final Path ROOT = Path.of("..");
  private static final Set<String> SERVICES =
      Set.of("tenant-service", "build-service", "runtime-bridge", "portal");

  /** One row: what the module's main code and its tests depend on. */
  record Row(Set<String> main, Set<String> tests) {}

  @Test
  void theTableOfModuleDependenciesIsWhatThePomsSay() throws Exception {
    Map<String, Row> documented = table(Files.readString(ROOT.resolve("docs/architecture.md")));
    List<String> modules = modules();

    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(modules);
    for (String module : modules) {
      assertThat(dependencies(module))
          .as("io.slipway dependencies of %s/pom.xml against docs/architecture.md", module)
          .isEqualTo(documented.get(module));
    }
  }

  @Test
  void noServiceDependsOnAnotherOutsideItsTests() throws Exception {
    for (String service : SERVICES) {
      assertThat(dependencies(service).main())
          .as("main dependencies of %s", service)
          .doesNotContainAnyElementsOf(SERVICES);
    }
  }

  @Test
  void thePictureThePageShowsExists() throws IOException {
    String page = Files.readString(ROOT.resolve("docs/architecture.md"));
    assertThat(page).contains("](images/architecture.svg)");
    assertThat(Files.readString(ROOT.resolve("docs/images/architecture.svg")))
        .startsWith("<svg")
        .contains("tenant-service", "build-service", "runtime-bridge", "portal");
  }

  /** The rows under "## Module dependencies": {@code | `module` | `a`, `b` | `c` |}. */
  static Map<String, Row> table(String page) {
    int start = page.indexOf("## Module dependencies");
    assertThat(start).as("a section '## Module dependencies'").isNotNegative();
    int end = page.indexOf("\n## ", start + 1);
    String section = end < 0 ? page.substring(start) : page.substring(start, end);
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      rows.put(names(cells[1]).first(), new Row(names(cells[2]), names(cells[3])));
    }
    return rows;
  }

  private static TreeSet<String> names(String cell) {
    TreeSet<String> names = new TreeSet<>();
    Arrays.stream(cell.split(","))
        .map(String::strip)
        .filter(name -> name.startsWith("`") && name.endsWith("`"))
        .map(name -> name.substring(1, name.length() - 1))
        .forEach(names::add);
    return names;
  }

  private static List<String> modules() throws Exception {
    List<String> modules = new ArrayList<>();
    NodeList nodes = pom(ROOT.resolve("pom.xml")).getElementsByTagName("module");
    for (int i = 0; i < nodes.getLength(); i++) {
      modules.add(nodes.item(i).getTextContent().strip());
    }
    return modules;
  }

  private static Row dependencies(String module) throws Exception {
    Set<String> main = new TreeSet<>();
    Set<String> tests = new TreeSet<>();
    Element project = pom(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
    for (Element dependencies : children(project, "dependencies")) {
      for (Element dependency : children(dependencies, "dependency")) {
        if (!"io.slipway".equals(text(dependency, "groupId"))) {
          continue;
        }
        boolean test = "test".equals(text(dependency, "scope"));
        (test ? tests : main).add(text(dependency, "artifactId"));
      }
    }
    return new Row(main, tests);
  }

  private static Document pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> children = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        children.add(e);
      }
    }
    return children;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0).getTextContent().strip();
  }
}
