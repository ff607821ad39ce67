package dev.agentledger.node.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code ..core..} packages pure (STYLE.md): no Netty, RocksDB, threads or wall clocks, so
 * the protocol cores run deterministically under the simulator.
 */
class CorePackagesArchitectureTest {
  static final ArchRule CORE_IS_PURE =
      noClasses()
          .that()
          .resideInAPackage("..core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.netty..", "org.rocksdb..")
          .orShould()
          .dependOnClassesThat()
          .areAssignableTo(Thread.class)
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.util.concurrent.Executors")
          .allowEmptyShould(true)
          .because("core packages are pure logic driven by events and a nowNs argument");

  @Test
  void productionCorePackagesArePure() {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agentledger");
    CORE_IS_PURE.check(production);
  }

  @Test
  void theRuleCatchesAViolation() {
    JavaClasses fixture =
        new ClassFileImporter().importPackages("dev.agentledger.node.archfixture");
    EvaluationResult result = CORE_IS_PURE.evaluate(fixture);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("nanoTime").contains("Thread");
  }
}
