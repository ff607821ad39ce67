package dev.agentledger.node.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.storage.ColumnFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksNativeLibraryTest {

  @Test
  void extractsOnceUnderAStableNameAndReusesIt(@TempDir Path root) throws Exception {
    Path dir = RocksNativeLibrary.extracted(root);
    assertThat(dir).isNotNull();
    Path library = dir.resolve(RocksNativeLibrary.fileName());
    assertThat(library).isRegularFile();
    long size = Files.size(library);
    assertThat(size).isGreaterThan(1 << 20);
    Files.setLastModifiedTime(library, FileTime.fromMillis(1_000_000L));

    assertThat(RocksNativeLibrary.extracted(root)).isEqualTo(dir);
    assertThat(Files.getLastModifiedTime(library).toMillis()).isEqualTo(1_000_000L);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(library);
    }
  }

  @Test
  void aTruncatedCopyIsReplacedWhole(@TempDir Path root) throws Exception {
    Path dir = RocksNativeLibrary.extracted(root);
    Path library = dir.resolve(RocksNativeLibrary.fileName());
    long size = Files.size(library);
    Files.write(library, "half a library".getBytes(StandardCharsets.US_ASCII));

    assertThat(RocksNativeLibrary.extracted(root)).isEqualTo(dir);
    assertThat(Files.size(library)).isEqualTo(size);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(library);
    }
  }

  @Test
  void theStoreOpensWithTheLibraryFromTheCache(@TempDir Path data) throws Exception {
    RocksNativeLibrary.load();
    Path from = RocksNativeLibrary.loadedFrom();
    if (from != null) {
      assertThat(from).isRegularFile();
    }
    try (RocksDbStore store = RocksDbStore.open(data.resolve("db"))) {
      assertThat(store.getRaw(ColumnFamily.META, new byte[] {1})).isNull();
      assertThat(store.latestVersion()).isNegative();
    }
  }
}
