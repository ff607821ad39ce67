package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The free-space probe that keeps its directory's file store between reads. */
class DiskSpaceProbeTest {
  @Test
  void answersLikeAFreshLookupAndRecoversAfterAFailure(@TempDir Path dir) throws IOException {
    DiskSpace.Probe probe = new DiskSpace.Probe();
    long total = DiskSpace.totalBytes(dir);
    long usable = probe.applyAsLong(dir);
    assertThat(usable).isBetween(0L, total);
    assertThat(probe.applyAsLong(dir)).isBetween(0L, total); // the kept store answers again

    // a directory that does not exist (yet): -1, and the probe looks its store up again later
    Path later = dir.resolve("later");
    assertThat(probe.applyAsLong(later)).isEqualTo(-1);
    assertThat(probe.applyAsLong(later)).isEqualTo(-1);
    Files.createDirectory(later);
    assertThat(probe.applyAsLong(later)).isBetween(0L, total);
    // back to the first directory: same file system, a usable count like the uncached one
    assertThat(probe.applyAsLong(dir)).isBetween(0L, DiskSpace.totalBytes(dir));
    assertThat(DiskSpace.usableBytes(dir)).isBetween(0L, total);
  }
}
