package dev.agentledger.node.gateway;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.cid.Cid;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.gateway.core.GenAiSpan;
import dev.agentledger.node.gateway.core.SpanMapping;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns the spans of one export into signed runs and submits them, as the custodian of the agents'
 * keys. Per span: map it ({@link SpanMapping}); skip it when the same span (trace id + span id) was
 * already accepted; find the agent's key; check that the ledger knows the agent (role {@code
 * agent}); sign with the agent's next nonce and a {@code max_fee} equal to the run's fee under the
 * genesis schedule; submit. Every span that does not become an accepted run is counted with its
 * reason, for the OTLP partial-success answer; none is dropped silently. Spans without {@code
 * gen_ai.*} attributes are not agent runs: counted as ignored, not rejected.
 *
 * <p>Re-sent spans are recognised within the last {@link #REMEMBERED_SPANS} accepted spans of this
 * process. When a validator answers OVERLOADED or RATE_LIMITED, the export stops there and the
 * caller answers a retryable error; the exporter re-sends the batch and the spans already accepted
 * are recognised as re-sends.
 *
 * <p>Not thread-safe: one gateway worker owns it.
 */
public final class SpanIngest {
  /** How many accepted spans are remembered for re-send detection. */
  public static final int REMEMBERED_SPANS = 1 << 20;

  /** What happened to one export. */
  public record Outcome(
      int accepted,
      int duplicates,
      int ignored,
      int rejected,
      List<String> reasons,
      boolean retryLater) {
    /** The OTLP partial-success message: the first reasons, with the count. */
    public String message() {
      if (rejected == 0) {
        return "";
      }
      StringBuilder m = new StringBuilder(rejected + " span(s) rejected: ");
      for (int i = 0; i < Math.min(5, reasons.size()); i++) {
        m.append(i == 0 ? "" : "; ").append(reasons.get(i));
      }
      if (reasons.size() > 5) {
        m.append("; …");
      }
      return m.toString();
    }
  }

  private record Sent(byte[] agent, byte[] txId) {}

  private static final class AgentState {
    long nextNonce;
    boolean known;
  }

  private final int chainId;
  private final FeeSchedule fees;
  private final AgentKeystore keystore;
  private final LedgerAccounts ledger;
  private final RunSink sink;
  private final Map<String, AgentState> agents = new HashMap<>();
  private final Map<ByteBuffer, Sent> sent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Sent> eldest) {
          return size() > REMEMBERED_SPANS;
        }
      };
  private final AgentRunFlyweight flyweight = new AgentRunFlyweight();

  public SpanIngest(
      int chainId, FeeSchedule fees, AgentKeystore keystore, LedgerAccounts ledger, RunSink sink) {
    this.chainId = chainId;
    this.fees = fees;
    this.keystore = keystore;
    this.ledger = ledger;
    this.sink = sink;
  }

  public Outcome ingest(List<GenAiSpan> spans) {
    int accepted = 0;
    int duplicates = 0;
    int ignored = 0;
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      GenAiSpan span = spans.get(i);
      SpanMapping.Result result = SpanMapping.map(span);
      switch (result) {
        case SpanMapping.Ignored ignoredSpan -> ignored++;
        case SpanMapping.Rejected r -> reasons.add(spanName(span) + ": " + r.reason());
        case SpanMapping.Mapped m -> {
          ByteBuffer identity = ByteBuffer.wrap(span.identity());
          if (sent.containsKey(identity)) {
            duplicates++;
            continue;
          }
          String problem;
          try {
            problem = submit(span, m, identity);
          } catch (RetryLater e) {
            int left = spans.size() - i;
            return new Outcome(accepted, duplicates, ignored, reasons.size() + left, reasons, true);
          }
          if (problem == null) {
            accepted++;
          } else {
            reasons.add(spanName(span) + ": " + problem);
          }
        }
      }
    }
    return new Outcome(accepted, duplicates, ignored, reasons.size(), reasons, false);
  }

  private static final class RetryLater extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /** Submits one mapped span; null when accepted, else the reason. */
  private String submit(GenAiSpan span, SpanMapping.Mapped m, ByteBuffer identity)
      throws RetryLater {
    Ed25519KeyPair key;
    try {
      key = keystore.key(m.agentId()).orElse(null);
    } catch (AgentKeystore.KeyProblem e) {
      return e.getMessage();
    }
    if (key == null) {
      return "no key for agent '" + m.agentId() + "' in the keystore";
    }
    long fee =
        fees.runFee(
            AgentRunDescriptor.ENCODED_LENGTH, m.inputTokens(), m.outputTokens(), m.computeMs(), 0);
    if (fee == FeeSchedule.OVERFLOW) {
      return "the fee of this run overflows 64 bits";
    }
    AgentState state = agents.computeIfAbsent(m.agentId(), id -> new AgentState());
    for (int attempt = 0; attempt < 2; attempt++) {
      if (!state.known) {
        LedgerAccounts.Account account;
        try {
          account = ledger.account(key.publicKey());
        } catch (IOException e) {
          throw new RetryLater();
        }
        if (!account.isAgent()) {
          return "agent '"
              + m.agentId()
              + "' ("
              + HexFormat.of().formatHex(key.publicKey())
              + ") is not registered on the ledger";
        }
        state.nextNonce = account.nextNonce();
        state.known = true;
      }
      byte[] record = sign(span, m, key, state.nextNonce, fee);
      TxStatus status;
      try {
        status = sink.submit(record);
      } catch (IOException e) {
        throw new RetryLater();
      }
      switch (status) {
        case ACCEPTED -> {
          state.nextNonce++;
          flyweight.wrap(new UnsafeBuffer(record), 0);
          sent.put(identity, new Sent(key.publicKey(), flyweight.transactionId()));
          return null;
        }
        case OVERLOADED, RATE_LIMITED, AGENT_LIMIT -> throw new RetryLater();
        case NONCE_REPLAY, NONCE_TOO_FAR -> state.known = false; // ask the ledger, try once more
        default -> {
          return "the validator rejected the run: " + status + " (" + status.reason() + ")";
        }
      }
    }
    return "the validator refused the agent's nonce twice";
  }

  private byte[] sign(
      GenAiSpan span, SpanMapping.Mapped m, Ed25519KeyPair key, long nonce, long fee) {
    AgentRunBuilder run =
        new AgentRunBuilder()
            .chainId(chainId)
            .nonce(nonce)
            .taskId(span.traceId())
            .startedAt(m.startedAtNs())
            .endedAt(m.endedAtNs())
            .inputTokens(m.inputTokens())
            .outputTokens(m.outputTokens())
            .computeMs(m.computeMs())
            .outcome(m.failed() ? RunOutcome.FAILURE : RunOutcome.SUCCESS)
            .maxFee(fee)
            .metadataCid(Cid.raw(span.identity()).toBytes());
    byte[] model = SpanMapping.modelBytes(m.model());
    if (model != null) {
      run.model(Sha256.digest(model));
    }
    byte[] parent = span.parentIdentity();
    if (parent != null) {
      Sent p = sent.get(ByteBuffer.wrap(parent));
      if (p != null && Arrays.equals(p.agent(), key.publicKey())) {
        run.parentRun(p.txId());
      }
    }
    return run.sign(key);
  }

  private static String spanName(GenAiSpan span) {
    return "span " + HexFormat.of().formatHex(span.spanId()) + " '" + span.name() + "'";
  }
}
