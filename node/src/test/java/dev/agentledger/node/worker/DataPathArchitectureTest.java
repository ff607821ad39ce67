package dev.agentledger.node.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The data path's pure cores (mempool.core, worker.core) use no Netty, no RocksDB, no threads and
 * no clock; the net and storage interfaces do not see their I/O leaves.
 */
class DataPathArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(
              "dev.agentledger.node.mempool",
              "dev.agentledger.node.worker",
              "dev.agentledger.node.net",
              "dev.agentledger.node.storage",
              "dev.agentledger.node.ingress");

  @Test
  void coresArePure() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.agentledger.node.mempool.core..", "dev.agentledger.node.worker.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.netty..",
            "org.rocksdb..",
            "dev.agentledger.node.net.netty..",
            "dev.agentledger.node.storage.rocksdb..",
            "java.util.concurrent..")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .check(CLASSES);
  }

  @Test
  void interfacesDoNotSeeTheirLeaves() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.agentledger.node.net",
            "dev.agentledger.node.storage",
            "dev.agentledger.node.ingress")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "org.rocksdb..")
        .check(CLASSES);
  }
}
