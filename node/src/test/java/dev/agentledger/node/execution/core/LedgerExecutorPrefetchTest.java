package dev.agentledger.node.execution.core;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.state.SmtStateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The executor hints every key a run reads to the store before reading it, and hints change
 * nothing.
 */
class LedgerExecutorPrefetchTest {
  /** A real store that records the keys hinted to it and the reads of keys not hinted before. */
  private static final class Recording implements StateStore {
    final SmtStateStore state = SmtStateStore.inMemory(4);
    final boolean forward;
    final Set<String> hinted = new HashSet<>();
    final List<String> unhintedReads = new ArrayList<>();
    int hints;

    Recording(boolean forward) {
      this.forward = forward;
    }

    @Override
    public byte[] get(byte[] key) {
      return state.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
      state.put(key, value);
    }

    @Override
    public byte[] root() {
      return state.root();
    }

    @Override
    public void prefetch(byte[] keys, int offset, int count) {
      hints++;
      for (int i = 0; i < count; i++) {
        hinted.add(HexFormat.of().formatHex(keys, offset + 32 * i, offset + 32 * i + 32));
      }
      if (forward) {
        state.prefetch(keys, offset, count);
      }
    }

    @Override
    public int read(byte[] key, byte[] out) {
      String hex = HexFormat.of().formatHex(key);
      if (!hinted.contains(hex)) {
        unhintedReads.add(hex);
      }
      return state.read(key, out);
    }

    @Override
    public void write(byte[] key, byte[] value, int length) {
      state.write(key, value, length);
    }

    @Override
    public void writeOnce(byte[] key, byte[] value, int length) {
      state.writeOnce(key, value, length);
    }
  }

  @Test
  void everyKeyARunReadsWasHintedBeforeAndTheHintsChangeNothing() {
    Recording hinted = new Recording(true);
    Recording plain = new Recording(false);
    LedgerExecutor withHints = new LedgerExecutor(genesis(), hinted, true);
    LedgerExecutor without = new LedgerExecutor(genesis(), plain, true);
    List<byte[]> first = List.of(run(0).sign(AGENT));
    CommitExecution a = withHints.execute(commit(1, first));
    CommitExecution b = without.execute(commit(1, first));
    byte[] parent = a.receipts().get(0).txId();
    // Two full prefetch groups and part of a third; runs paid by another account and with parents.
    int runs = 2 * LedgerExecutor.PREFETCH_RECORDS + 3;
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      var run = run(1 + i);
      if (i % 3 == 1) {
        run.parentRun(parent);
      }
      if (i % 5 == 2) {
        run.payer(OPERATOR.publicKey());
      }
      records.add(run.sign(AGENT));
    }
    hinted.unhintedReads.clear();
    hinted.hints = 0;
    a = withHints.execute(commit(2, records));
    b = without.execute(commit(2, records));
    assertThat(hinted.hints).isEqualTo(3);
    assertThat(hinted.unhintedReads).isEmpty();
    assertThat(a.receipts())
        .extracting(Receipt::code)
        .isEqualTo(b.receipts().stream().map(Receipt::code).toList());
    assertThat(a.receipts())
        .extracting(Receipt::fee)
        .isEqualTo(b.receipts().stream().map(Receipt::fee).toList());
    assertThat(a.receipts()).extracting(Receipt::code).contains(ExecutionCode.OK);
    assertThat(a.stateRoot()).isEqualTo(b.stateRoot());
    assertThat(hinted.root()).isEqualTo(plain.root());
  }
}
