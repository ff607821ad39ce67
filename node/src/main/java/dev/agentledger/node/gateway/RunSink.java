package dev.agentledger.node.gateway;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.client.ClusterSubmitter;
import dev.agentledger.node.net.TxStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where signed runs go: the validators' client ports, over the binary client protocol. An agent's
 * runs always go to the same validator ({@link ClusterSubmitter#validatorOf}), so its nonces reach
 * one mempool in order. A broken connection is reopened on the next run.
 */
public final class RunSink implements AutoCloseable {
  private final List<InetSocketAddress> validators;
  private final AgentLedgerClient[] clients;
  private final dev.agentledger.node.net.tls.ClientTls tls;

  public RunSink(List<InetSocketAddress> validators) {
    this(validators, null);
  }

  /** Over TLS trusting {@code tls} (null: plaintext client ports). */
  public RunSink(List<InetSocketAddress> validators, dev.agentledger.node.net.tls.ClientTls tls) {
    this.tls = tls;
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("at least one validator client address");
    }
    this.validators = List.copyOf(validators);
    this.clients = new AgentLedgerClient[validators.size()];
  }

  /** Submits one encoded run; the validator's answer. */
  public TxStatus submit(byte[] record) throws IOException {
    int v = ClusterSubmitter.validatorOf(new UnsafeBuffer(record), 0, validators.size());
    AgentLedgerClient client = clients[v];
    if (client == null) {
      InetSocketAddress a = validators.get(v);
      client = AgentLedgerClient.connect(a.getHostString(), a.getPort(), tls);
      clients[v] = client;
    }
    try {
      return client.submit(List.of(record)).get(0);
    } catch (IOException e) {
      clients[v] = null;
      try {
        client.close();
      } catch (IOException ignored) {
        // the connection is gone either way
      }
      throw e;
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < clients.length; i++) {
      if (clients[i] != null) {
        try {
          clients[i].close();
        } catch (IOException ignored) {
          // closing
        }
        clients[i] = null;
      }
    }
  }
}
