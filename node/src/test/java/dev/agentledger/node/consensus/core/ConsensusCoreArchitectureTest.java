package dev.agentledger.node.consensus.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The consensus core is pure: no I/O libraries, threads, clocks or simulator code. */
class ConsensusCoreArchitectureTest {
  private final JavaClasses core =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.agentledger.node.consensus.core");

  @Test
  void coreUsesNoIoThreadsOrClocks() {
    noClasses()
        .that()
        .resideInAPackage("dev.agentledger.node.consensus.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.netty..",
            "org.rocksdb..",
            "java.util.concurrent..",
            "java.net..",
            "java.nio.file..",
            "java.time..",
            "java.io..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.Thread")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .check(core);
  }

  @Test
  void coreDoesNotKnowItsDrivers() {
    noClasses()
        .that()
        .resideInAPackage("dev.agentledger.node.consensus.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.agentledger.node.sim..",
            "dev.agentledger.node.cli..",
            "dev.agentledger.node.consensus.memory..")
        .check(core);
  }
}
