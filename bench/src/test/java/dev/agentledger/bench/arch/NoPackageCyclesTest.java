package dev.agentledger.bench.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * No package of any module takes part in a dependency cycle (STYLE.md, DESIGN.md §3). bench sits at
 * the top of the module graph, so its test class path holds the production classes of every module:
 * one rule over all of them. Each package is its own slice, so a cycle between a package and its
 * own sub-package counts too.
 */
class NoPackageCyclesTest {
  static final ArchRule NO_PACKAGE_CYCLES =
      slices()
          .matching("dev.agentledger.(**)")
          .should()
          .beFreeOfCycles()
          .because("packages form a layered graph: a cycle makes two packages one unit");

  @Test
  void noModuleHasAPackageCycle() {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.agentledger");
    assertThat(production.containPackage("dev.agentledger.node.consensus.core")).isTrue();
    assertThat(production.containPackage("dev.agentledger.sig.curve25519")).isTrue();
    NO_PACKAGE_CYCLES.check(production);
  }

  @Test
  void theRuleCatchesAPlantedCycle() {
    JavaClasses fixture =
        new ClassFileImporter().importPackages("dev.agentledger.bench.archfixture.cycle");
    EvaluationResult result = NO_PACKAGE_CYCLES.evaluate(fixture);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("left").contains("right");
  }
}
