package dev.agentledger.node.query.memory;

import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link QueryStore} in memory: for tests, the simulator and single-node demos. Thread-safe. */
public final class InMemoryQueryStore implements QueryStore {
  private final Map<Long, StoredCommit> commits = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, TxLocation> locations = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, List<byte[]>> runs = new HashMap<>();
  private volatile long latest;
  private volatile long latestCertified;

  @Override
  public void putCommit(StoredCommit commit) {
    long sequence = commit.record().sequence();
    for (int i = 0; i < commit.txIds().size(); i++) {
      locations.putIfAbsent(
          ByteBuffer.wrap(commit.txIds().get(i).clone()), new TxLocation(sequence, i));
    }
    commits.put(sequence, commit);
    latest = Math.max(latest, sequence);
    if (commit.certificate() != null) {
      latestCertified = Math.max(latestCertified, sequence);
    }
  }

  @Override
  public void putCertificate(long sequence, CommitCertificate certificate) {
    StoredCommit commit = commits.get(sequence);
    if (commit == null) {
      throw new IllegalArgumentException("no commit " + sequence);
    }
    commits.put(sequence, commit.withCertificate(certificate));
    latestCertified = Math.max(latestCertified, sequence);
  }

  @Override
  public synchronized void appendRun(byte[] agent, byte[] txId) {
    runs.computeIfAbsent(ByteBuffer.wrap(agent.clone()), k -> new ArrayList<>()).add(txId.clone());
  }

  @Override
  public Optional<StoredCommit> commit(long sequence) {
    return Optional.ofNullable(commits.get(sequence));
  }

  @Override
  public long latestSequence() {
    return latest;
  }

  @Override
  public long latestCertifiedSequence() {
    return latestCertified;
  }

  @Override
  public Optional<TxLocation> locate(byte[] txId) {
    return Optional.ofNullable(locations.get(ByteBuffer.wrap(txId)));
  }

  @Override
  public synchronized List<byte[]> runs(byte[] agent, long from, int limit) {
    List<byte[]> list = runs.getOrDefault(ByteBuffer.wrap(agent), List.of());
    if (from >= list.size()) {
      return List.of();
    }
    int start = (int) from;
    return List.copyOf(list.subList(start, Math.min(list.size(), start + limit)));
  }

  @Override
  public synchronized long runCount(byte[] agent) {
    return runs.getOrDefault(ByteBuffer.wrap(agent), List.of()).size();
  }
}
