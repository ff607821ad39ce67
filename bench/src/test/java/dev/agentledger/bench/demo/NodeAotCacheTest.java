package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAotCacheTest {
  @Test
  void noPathMeansNoCache() {
    assertThat(NodeAotCache.of(null)).isNull();
    assertThat(NodeAotCache.of(" ")).isNull();
  }

  @Test
  void usedOnlyWhenRecorded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("aot").resolve("node-1.aot");
    NodeAotCache cache = new NodeAotCache(file, 7);
    assertThat(cache.present()).isFalse();
    assertThat(cache.useFlags()).isEmpty();
    List<String> record = cache.recordFlags();
    assertThat(record).first().isEqualTo("-XX:AOTCacheOutput=" + file + ".tmp.7");
    assertThat(file.getParent()).isDirectory();
    Files.createFile(file);
    assertThat(cache.useFlags()).as("an empty file is no cache").isEmpty();
    Files.write(file, new byte[] {1});
    assertThat(cache.useFlags()).first().isEqualTo("-XX:AOTCache=" + file);
  }

  @Test
  void installsACompleteRecordingAfterAnOrderlyStopAndRemovesOtherBuilds(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("node-2.aot");
    Path other = Files.write(dir.resolve("node-1.aot"), new byte[] {9});
    Path zk = Files.write(dir.resolve("zk-1.aot"), new byte[] {9});
    NodeAotCache cache = new NodeAotCache(file, 3);
    Files.write(dir.resolve("node-2.aot.tmp.3"), new byte[] {1, 2, 3});
    assertThat(cache.install(143)).isTrue();
    assertThat(file).hasBinaryContent(new byte[] {1, 2, 3});
    assertThat(other).doesNotExist();
    assertThat(zk).exists();
    assertThat(dir.resolve("node-2.aot.tmp.3")).doesNotExist();
  }

  @Test
  void keepsNoCacheFromAKilledCrashedOrUnfinishedRecording(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node-2.aot");
    Path temp = dir.resolve("node-2.aot.tmp.3");
    Path config = dir.resolve("node-2.aot.tmp.3.config");
    NodeAotCache cache = new NodeAotCache(file, 3);
    // killed (SIGKILL) or crashed
    Files.write(temp, new byte[] {1});
    assertThat(cache.install(137)).isFalse();
    assertThat(cache.install(1)).isFalse();
    // the assembly did not finish: the JVM's temporary configuration is still there
    Files.write(temp, new byte[] {1});
    Files.write(config, new byte[] {1});
    assertThat(cache.install(0)).isFalse();
    // nothing written
    assertThat(cache.install(0)).isFalse();
    assertThat(file).doesNotExist();
    assertThat(temp).doesNotExist();
    assertThat(config).doesNotExist();
  }
}
