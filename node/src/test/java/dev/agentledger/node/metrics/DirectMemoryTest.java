package dev.agentledger.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class DirectMemoryTest {
  @Test
  void nativePagesOfAnAutomaticArenaCountAsDirectMemory() {
    // The execution state's pages come from Arena.ofAuto(), which reserves against the direct
    // memory limit (a confined arena does not).
    DirectMemory direct = new DirectMemory();
    long before = direct.usedBytes();
    MemorySegment pages = Arena.ofAuto().allocate(64L << 20);
    long during = direct.usedBytes();
    // Other tests' buffers may be freed meanwhile; 64 MiB leaves room for that.
    assertTrue(during - before >= 32L << 20, "before " + before + ", during " + during);
    assertTrue(direct.asShareOf(direct.maxBytes()) >= during - 1);
    assertEquals(64L << 20, pages.byteSize());
  }

  @Test
  void theShareScalesUsedOverTheLimitOntoTheHeap() {
    assertEquals(700, DirectMemory.scaled(70, 100, 1_000));
    assertEquals(384L << 20, DirectMemory.scaled(320L << 20, 640L << 20, 768L << 20));
    assertEquals(0, DirectMemory.scaled(0, 100, 1_000));
    assertEquals(0, DirectMemory.scaled(10, 0, 1_000));
  }

  @Test
  void theLimitIsTheConfiguredOneOrTheHeap() {
    long limit = DirectMemory.limit(123L << 20);
    assertTrue(limit > 0);
    assertEquals(
        new DirectMemory().maxBytes(), DirectMemory.limit(Runtime.getRuntime().maxMemory()));
  }
}
