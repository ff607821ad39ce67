package dev.agentledger.node.worker;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.worker.core.BatchCertificate;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** N validators in one JVM: separate Netty stacks, RocksDB directories and agent threads. */
public final class LocalCluster implements AutoCloseable {
  public final List<ValidatorNode> nodes = new ArrayList<>();
  public final List<Map<String, BatchCertificate>> certified = new ArrayList<>();
  public final List<AtomicLong> certifiedTxs = new ArrayList<>();
  public final Committee committee;
  public final int chainId;

  public LocalCluster(int n, int chainId, Path dir, WorkerConfig worker) {
    this.chainId = chainId;
    int[] peerPorts = TestKeys.freePorts(n);
    int[] clientPorts = TestKeys.freePorts(n);
    committee = TestKeys.committee(n, peerPorts, clientPorts);
    for (int i = 0; i < n; i++) {
      Map<String, BatchCertificate> certs = new ConcurrentHashMap<>();
      AtomicLong txs = new AtomicLong();
      certified.add(certs);
      certifiedTxs.add(txs);
      ValidatorNode.Config config =
          new ValidatorNode.Config(
              committee,
              i,
              TestKeys.key(i),
              new IngressConfig(chainId, 0, 0, Long.MAX_VALUE / 4, 0),
              dir == null ? null : dir.resolve("v" + i),
              new NettyTransport.Config(
                  "127.0.0.1",
                  peerPorts[i],
                  "127.0.0.1",
                  clientPorts[i],
                  IoKind.detect(),
                  1,
                  32 << 20),
              new MempoolConfig(20_000, 1 << 12, 1024, 1 << 14, 0, 0, 1024, 0, 0),
              worker,
              16 << 20);
      nodes.add(
          new ValidatorNode(
              config,
              c -> {
                if (certs.putIfAbsent(c.digestHex(), c) == null) {
                  txs.addAndGet(c.txCount());
                }
              }));
    }
    nodes.forEach(ValidatorNode::start);
  }

  public int clientPort(int i) {
    return nodes.get(i).transport().clientAddress().getPort();
  }

  @Override
  public void close() {
    nodes.forEach(ValidatorNode::close);
  }
}
