package dev.agentledger.node.worker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The missing-batch fetcher on simulated time: spread, parallelism, bounds, retries. */
class BatchFetcherTest {
  private static final long MS = 1_000_000L;
  private static final long TIMEOUT = 500 * MS;

  private record Request(int peer, long seq) {}

  private final List<Request> sent = new ArrayList<>();
  private final BatchFetcher.Requests out = (peer, c) -> sent.add(new Request(peer, c.seq()));

  /** A certificate of batch {@code seq} by {@code author}, acknowledged by {@code signers}. */
  private static BatchCertificate cert(int author, long seq, int txCount, int... signers) {
    byte[][] sigs = new byte[signers.length][];
    for (int i = 0; i < sigs.length; i++) {
      sigs[i] = new byte[64];
    }
    byte[] digest = new byte[32];
    digest[0] = (byte) author;
    digest[1] = (byte) seq;
    digest[2] = (byte) (seq >>> 8);
    return new BatchCertificate(author, seq, digest, txCount, signers, sigs);
  }

  private static String key(BatchCertificate c) {
    return c.digestHex();
  }

  private static BatchFetcher fetcher(int maxInFlight, long maxBytes) {
    return new BatchFetcher(3, 4, new BatchFetcher.Config(1000, maxInFlight, maxBytes, TIMEOUT));
  }

  @Test
  void aRangeOfBatchesIsRequestedAtOnceAndSpreadOverTheHolders() {
    BatchFetcher f = fetcher(64, 1L << 30);
    for (int s = 0; s < 30; s++) {
      BatchCertificate c = cert(s % 3, s, 10, 0, 1, 2);
      assertThat(f.want(key(c), c, c.author())).isTrue();
    }
    assertThat(f.onTick(0, out)).isEqualTo(30);
    assertThat(sent).hasSize(30);
    assertThat(f.inFlight()).isEqualTo(30);
    Map<Integer, Integer> perPeer = new HashMap<>();
    sent.forEach(r -> perPeer.merge(r.peer(), 1, Integer::sum));
    assertThat(perPeer).containsOnlyKeys(0, 1, 2);
    assertThat(perPeer.values()).containsOnly(10);
    for (int p = 0; p < 3; p++) {
      assertThat(f.inFlight(p)).isEqualTo(10);
    }
    assertThat(f.inFlight(3)).as("never this validator").isZero();
  }

  @Test
  void requestsInFlightAreBoundedByCountAndBytesAndAnswersFreeTheirSlots() {
    long oneBatch = BatchFetcher.answerBytes(100);
    BatchFetcher f = fetcher(4, 3 * oneBatch);
    List<BatchCertificate> certs = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      certs.add(cert(0, s, 100, 0, 1, 2));
      f.want(key(certs.get(s)), certs.get(s), 0);
    }
    f.onTick(0, out);
    assertThat(sent).hasSize(3); // the byte bound binds before the count bound
    assertThat(f.inFlightBytes()).isEqualTo(3 * oneBatch);

    assertThat(f.onArrived(key(certs.get(0)))).isEqualTo(certs.get(0));
    assertThat(f.inFlight()).isEqualTo(2);
    f.onTick(1 * MS, out);
    assertThat(sent).hasSize(4);
    assertThat(sent.get(3).seq()).isEqualTo(3); // in the order they were wanted
    assertThat(f.size()).isEqualTo(9);
  }

  @Test
  void aLargeBatchAloneIsStillRequested() {
    BatchFetcher f = fetcher(4, 10);
    BatchCertificate big = cert(0, 1, 4096, 0, 1, 2);
    f.want(key(big), big, 0);
    f.onTick(0, out);
    assertThat(sent).containsExactly(new Request(0, 1));
  }

  @Test
  void anUnansweredRequestIsRetriedAtAnotherHolderAfterItsTimeout() {
    BatchFetcher f = fetcher(64, 1L << 30);
    BatchCertificate c = cert(0, 7, 10, 0, 1, 2);
    f.want(key(c), c, 0);
    f.onTick(0, out);
    int first = sent.getFirst().peer();

    f.onTick(TIMEOUT - 1, out);
    assertThat(sent).hasSize(1);
    assertThat(f.timeouts()).isZero();

    f.onTick(TIMEOUT, out);
    assertThat(f.timeouts()).isEqualTo(1);
    assertThat(sent).hasSize(2);
    int second = sent.get(1).peer();
    assertThat(second).isNotEqualTo(first);

    f.onTick(2 * TIMEOUT, out);
    int third = sent.get(2).peer();
    assertThat(List.of(first, second, third)).containsExactlyInAnyOrder(0, 1, 2);

    // Every holder was asked once: the next round starts again among all three.
    f.onTick(3 * TIMEOUT, out);
    assertThat(sent).hasSize(4);
    assertThat(sent.get(3).peer()).isIn(0, 1, 2);
    assertThat(f.inFlight()).isEqualTo(1);

    assertThat(f.onArrived(key(c))).isEqualTo(c);
    assertThat(f.inFlight()).isZero();
    assertThat(f.size()).isZero();
    f.onTick(10 * TIMEOUT, out);
    assertThat(sent).hasSize(4);
  }

  @Test
  void aBatchThatArrivesWhileWaitingIsNotRequested() {
    BatchFetcher f = fetcher(1, 1L << 30);
    BatchCertificate a = cert(0, 1, 10, 0, 1, 2);
    BatchCertificate b = cert(1, 2, 10, 0, 1, 2);
    f.want(key(a), a, 0);
    f.want(key(b), b, 1);
    f.onTick(0, out);
    assertThat(sent).hasSize(1);
    assertThat(f.onArrived(key(b))).isEqualTo(b); // its author's dissemination got here first
    assertThat(f.onArrived(key(a))).isEqualTo(a);
    f.onTick(1 * MS, out);
    assertThat(sent).hasSize(1);
    assertThat(f.onArrived(key(a))).isNull();
  }

  @Test
  void onlyHoldersAreAskedAndAWantedBatchIsNotAddedTwice() {
    BatchFetcher f = fetcher(64, 1L << 30);
    BatchCertificate c = cert(1, 5, 10, 1, 2); // validator 0 did not acknowledge it
    assertThat(f.want(key(c), c, 1)).isTrue();
    assertThat(f.want(key(c), c, 2)).isFalse();
    assertThat(f.isWanted(key(c))).isTrue();
    for (int k = 0; k < 6; k++) {
      f.onTick(k * TIMEOUT, out);
    }
    assertThat(sent).extracting(Request::peer).containsOnly(1, 2).hasSize(6);
  }

  @Test
  void aFullFetcherRefusesMore() {
    BatchFetcher f = new BatchFetcher(3, 4, new BatchFetcher.Config(2, 64, 1L << 30, TIMEOUT));
    BatchCertificate a = cert(0, 1, 1, 0, 1, 2);
    BatchCertificate b = cert(0, 2, 1, 0, 1, 2);
    BatchCertificate c = cert(0, 3, 1, 0, 1, 2);
    assertThat(f.want(key(a), a, 0)).isTrue();
    assertThat(f.want(key(b), b, 0)).isTrue();
    assertThat(f.want(key(c), c, 0)).isFalse();
    assertThat(f.refused()).isEqualTo(1);
    f.onArrived(key(a));
    assertThat(f.want(key(c), c, 0)).isTrue();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new BatchFetcher.Config(1, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
