package io.slipway.governance;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The features depend on each other in one direction: {@code image} ← {@code sbom} ← {@code
 * advisory} ← {@code policy} → {@code signing}, and only the facade sees them all. So build-service
 * can use {@code sbom} and {@code signing} without pulling in admission, and no cycle creeps in.
 */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.slipway.governance");

  @Test
  void featuresDependInOneDirection() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("facade")
        .definedBy("io.slipway.governance")
        .layer("policy")
        .definedBy("io.slipway.governance.policy..")
        .layer("advisory")
        .definedBy("io.slipway.governance.advisory..")
        .layer("signing")
        .definedBy("io.slipway.governance.signing..")
        .layer("sbom")
        .definedBy("io.slipway.governance.sbom..")
        .layer("image")
        .definedBy("io.slipway.governance.image..")
        .whereLayer("facade")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("policy")
        .mayOnlyBeAccessedByLayers("facade")
        .whereLayer("advisory")
        .mayOnlyBeAccessedByLayers("facade", "policy")
        .whereLayer("signing")
        .mayOnlyBeAccessedByLayers("facade", "policy")
        .whereLayer("sbom")
        .mayOnlyBeAccessedByLayers("facade", "policy", "advisory")
        .whereLayer("image")
        .mayOnlyBeAccessedByLayers("facade", "sbom")
        .check(classes);
  }

  @Test
  void noCycles() {
    slices().matching("io.slipway.governance.(*)..").should().beFreeOfCycles().check(classes);
  }
}
