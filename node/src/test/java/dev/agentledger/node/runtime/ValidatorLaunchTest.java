package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A launch that fails to bind a port releases what it opened before (the RocksDB store and its
 * lock, the event loops), so a second launch in the same process on the same data directory
 * succeeds once the port is free.
 */
class ValidatorLaunchTest {
  @TempDir Path dir;

  private static ValidatorContext context(Path data, int peerPort, int clientPort) {
    Committee committee = TestKeys.committee(1, new int[] {peerPort}, new int[] {clientPort});
    ValidatorNode.Config config =
        new ValidatorNode.Config(
            committee,
            0,
            TestKeys.key(0),
            new IngressConfig(InvokerValidatorTest.CHAIN, 0, 0, Long.MAX_VALUE / 4, 0),
            data,
            new NettyTransport.Config(
                "127.0.0.1", peerPort, "127.0.0.1", clientPort, IoKind.NIO, 1, 32 << 20),
            new MempoolConfig(1_000, 1 << 10, 1024, 1 << 10, 0, 0, 1024, 0, 0),
            new WorkerConfig(64, 5_000_000L, 300_000_000L, 16),
            16 << 20);
    return ValidatorContext.forNode(config, ValidatorNode.ConsensusSettings.defaults(), null)
        .verifyThreads(1)
        .threading(ThreadingMode.INVOKER);
  }

  @Test
  void aLaunchThatCannotBindLeavesNothingHeldAndTheNextLaunchSucceeds() throws Exception {
    int[] ports = TestKeys.freePorts(2);
    Path data = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports[1]), 1);
      assertThatThrownBy(() -> Validator.launch(context(data, ports[0], ports[1])))
          .hasMessageContaining("in use");
    }
    try (Validator validator = Validator.launch(context(data, ports[0], ports[1]))) {
      assertThat(validator.node().transport().clientAddress().getPort()).isEqualTo(ports[1]);
    }
  }
}
