package dev.agentledger.bench.speed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashSpeedTest {

  /**
   * A window that has already closed when the thread starts (a worker woken late on a busy machine)
   * still hashes one batch: the rates are finite and positive, so the ratio to the anchor is too.
   */
  @Test
  void aWindowOverBeforeTheThreadStartsStillMeasuresOneBatch() throws Exception {
    for (String impl : HashSpeed.IMPLS) {
      HashSpeed.Rate rate = HashSpeed.run(HashSpeed.Workload.SHA256_64B, impl, 2, 16, 0);
      assertThat(rate.wall()).as(impl).isPositive().isFinite();
      assertThat(rate.cpu()).as(impl).isPositive().isFinite();
    }
  }
}
