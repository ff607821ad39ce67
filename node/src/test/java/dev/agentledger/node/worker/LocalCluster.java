package dev.agentledger.node.worker;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.runtime.ThreadingMode;
import dev.agentledger.node.runtime.Validator;
import dev.agentledger.node.runtime.ValidatorContext;
import dev.agentledger.node.worker.core.BatchCertificate;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N validators in one JVM: separate Netty stacks, RocksDB directories and agents, run under one
 * {@link ThreadingMode}. Under {@code INVOKER} one driver thread of this cluster runs every
 * validator's duty cycles in turn (as a simulator would), so no validator has an agent thread.
 */
public final class LocalCluster implements AutoCloseable {
  public final List<ValidatorNode> nodes = new ArrayList<>();
  public final List<Validator> validators = new ArrayList<>();
  public final List<Map<String, BatchCertificate>> certified = new ArrayList<>();
  public final List<AtomicLong> certifiedTxs = new ArrayList<>();
  public final Committee committee;
  public final int chainId;

  private final Thread driver;
  private volatile boolean driving = true;

  public LocalCluster(int n, int chainId, Path dir, WorkerConfig worker) {
    this(n, chainId, dir, worker, null, ThreadingMode.DEDICATED);
  }

  /**
   * @param consensus null: the data path only (no primary)
   */
  public LocalCluster(
      int n,
      int chainId,
      Path dir,
      WorkerConfig worker,
      ValidatorNode.ConsensusSettings consensus,
      ThreadingMode threading) {
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
      try {
        Validator v =
            Validator.launch(
                ValidatorContext.forNode(config, consensus, null)
                    .threading(threading)
                    .certificateSink(
                        c -> {
                          if (certs.putIfAbsent(c.digestHex(), c) == null) {
                            txs.addAndGet(c.txCount());
                          }
                        }));
        validators.add(v);
        nodes.add(v.node());
      } catch (dev.agentledger.node.config.ConfigException e) {
        throw new IllegalStateException(e);
      }
    }
    if (threading == ThreadingMode.INVOKER) {
      driver = new Thread(this::drive, "local-cluster-invoker");
      driver.start();
    } else {
      driver = null;
    }
  }

  /** The invoker driver: every validator's agents in turn; parks briefly when all are idle. */
  private void drive() {
    while (driving) {
      int work = 0;
      for (Validator v : validators) {
        work += v.invoke();
      }
      if (work == 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
      }
    }
  }

  public int clientPort(int i) {
    return nodes.get(i).transport().clientAddress().getPort();
  }

  @Override
  public void close() {
    driving = false;
    if (driver != null) {
      try {
        driver.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    validators.forEach(Validator::close);
  }
}
