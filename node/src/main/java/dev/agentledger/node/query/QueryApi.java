package dev.agentledger.node.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.AccountRecord;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.execution.core.RunEntry;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.execution.core.UsageRecord;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.proof.LedgerProof;
import dev.agentledger.node.proof.StateSubject;
import dev.agentledger.node.tx.AccountOpFlyweight;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunKind;
import dev.agentledger.node.tx.RunOutcome;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The query API as a function from (method, path, query) to a response, independent of the HTTP
 * server that carries it (see {@code http/}). JSON answers; every answer about the ledger carries a
 * {@code proof} member that {@code agentledger verify-proof} checks offline.
 *
 * <pre>
 *   GET /v1/transactions/{txid}           transaction, receipt, inclusion proof
 *   GET /v1/accounts/{key}[?commit=SEQ]   roles, balance, nonce, runs, state proof
 *   GET /v1/usage/{agent|payer|task|model}/{id}[?commit=SEQ]   usage totals, state proof
 *   GET /v1/authorizations/{payer}/{agent}[?commit=SEQ]        authorisation, state proof
 *   GET /v1/agents/{key}/runs?from=&amp;limit=     run index page, a run-entry proof per run
 *   GET /v1/agents/{key}/history?from=&amp;limit=  run-history DAG nodes and parent edges, proofs
 *   GET /v1/commits/latest | /v1/commits/{seq}    commit record and certificate
 *   GET /v1/committee                     the committee file
 *   GET /v1/events?from=&amp;limit=             committed events from a commit sequence on
 *   GET /v1/events/stream?from=           the same as a live Server-Sent Events stream (see http/)
 *   GET /v1/commits?from=&amp;limit=           a page of commit summaries (hash, roots, certified)
 *   GET /metrics                          Prometheus text format
 *   GET /status                           the node's status (JSON), with caughtUp for operators
 * </pre>
 *
 * State answers are proven against the latest certified commit, or against certified commit {@code
 * SEQ} when asked; a commit whose state version is older than the node retains ({@code node run
 * --state-retain-versions}) answers 410 with {@code {"error":"pruned","stateVersion":V,
 * "horizonVersion":H}}.
 */
public final class QueryApi {
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_LIMIT = 100;
  static final List<String> ROUTES =
      List.of(
          "transactions",
          "accounts",
          "usage",
          "authorizations",
          "runs",
          "history",
          "commits",
          "committee",
          "events",
          "metrics",
          "status",
          "unknown");

  /** An answer: status, content type, body. */
  public record Response(int status, String contentType, byte[] body) {
    static Response json(int status, ObjectNode node) {
      return new Response(
          status, "application/json", node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An RFC 9457 problem-details answer whose {@code detail} (and {@code error}) is the message.
     */
    public static Response error(int status, String message) {
      dev.agentledger.node.api.Problem problem =
          dev.agentledger.node.api.Problem.ofStatus(status, message);
      return new Response(status, dev.agentledger.node.api.Problem.MEDIA_TYPE, problem.body());
    }
  }

  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private final ProofService proofs;
  private final QueryStore store;
  private final Committee committee;
  private final EventLog events;
  private final MetricsRegistry metrics;
  private final Map<String, MetricsRegistry.Counter[]> requests = new HashMap<>();
  private final Map<String, MetricsRegistry.Histogram> latency = new HashMap<>();
  private volatile java.util.function.Supplier<String> status = () -> "{}";

  /** The committed-event log the API reads (and the HTTP server streams). */
  public EventLog events() {
    return events;
  }

  /** Where {@code GET /status} gets the node's status JSON from (a running node sets it). */
  public QueryApi statusSource(java.util.function.Supplier<String> source) {
    this.status = source;
    return this;
  }

  public QueryApi(
      ProofService proofs, Committee committee, EventLog events, MetricsRegistry metrics) {
    this.proofs = proofs;
    this.store = proofs.store();
    this.committee = committee;
    this.events = events;
    this.metrics = metrics;
    for (String route : ROUTES) {
      MetricsRegistry.Counter[] byClass = new MetricsRegistry.Counter[6];
      for (int c = 2; c <= 5; c++) {
        byClass[c] =
            metrics.counter(
                "agentledger_query_requests_total",
                "Query API requests, by route and status class.",
                "route",
                route,
                "status",
                c + "xx");
      }
      requests.put(route, byClass);
      latency.put(
          route,
          metrics.histogram(
              "agentledger_query_request_seconds",
              "Query API request latency.",
              MetricsRegistry.LATENCY_SECONDS,
              "route",
              route));
    }
  }

  /** Answers one request; {@code elapsedNanos} lets the caller's clock time it. */
  public Response handle(
      String method,
      String path,
      Map<String, String> query,
      java.util.function.LongSupplier nanoClock) {
    long start = nanoClock.getAsLong();
    String route = "unknown";
    Response response;
    try {
      String[] parts = path.replaceAll("^/+|/+$", "").split("/");
      route = routeOf(parts);
      if (!method.equals("GET")) {
        response = Response.error(405, "only GET is supported");
      } else {
        response = dispatch(route, parts, query);
      }
    } catch (BadRequest | IllegalArgumentException e) {
      response = Response.error(400, e.getMessage());
    } catch (ProofService.NotCertifiedException e) {
      response = Response.error(503, e.getMessage());
    } catch (dev.agentledger.node.execution.state.PrunedStateException e) {
      response =
          Response.json(
              410,
              JsonNodeFactory.instance
                  .objectNode()
                  .put("error", "pruned")
                  .put("stateVersion", e.version())
                  .put("horizonVersion", e.horizon())
                  .put("message", e.getMessage()));
    } catch (RuntimeException e) {
      response = Response.error(500, "internal error: " + e);
    }
    int statusClass = Math.min(5, Math.max(2, response.status() / 100));
    requests.get(route)[statusClass].increment();
    latency.get(route).observeNanos(nanoClock.getAsLong() - start);
    return response;
  }

  private static String routeOf(String[] p) {
    if (p.length == 1 && (p[0].equals("metrics") || p[0].equals("status"))) {
      return p[0];
    }
    if (p.length < 2 || !p[0].equals("v1")) {
      return "unknown";
    }
    return switch (p[1]) {
      case "transactions",
          "accounts",
          "usage",
          "authorizations",
          "commits",
          "committee",
          "events" ->
          p[1];
      case "agents" ->
          p.length == 4 && (p[3].equals("runs") || p[3].equals("history")) ? p[3] : "unknown";
      default -> "unknown";
    };
  }

  private Response dispatch(String route, String[] p, Map<String, String> query) {
    return switch (route) {
      case "metrics" ->
          new Response(
              200,
              "text/plain; version=0.0.4; charset=utf-8",
              metrics.render().getBytes(StandardCharsets.UTF_8));
      case "transactions" ->
          p.length == 3 ? transaction(hex(p[2], 32, "transaction id")) : notFound();
      case "accounts" ->
          p.length == 3 ? account(hex(p[2], 32, "account key"), atCommit(query)) : notFound();
      case "usage" -> {
        if (p.length != 4) {
          yield notFound();
        }
        int scope = StateKeys.parseScope(p[2]);
        yield usage(scope, hex(p[3], StateKeys.idLength(scope), "id"), atCommit(query));
      }
      case "authorizations" ->
          p.length == 4
              ? state(
                  new StateSubject.Authorization(hex(p[2], 32, "payer"), hex(p[3], 32, "agent")),
                  JsonNodeFactory.instance.objectNode(),
                  atCommit(query))
              : notFound();
      case "runs", "history" ->
          runs(
              hex(p[2], 32, "agent key"),
              number(query, "from", 0),
              (int) Math.min(MAX_LIMIT, number(query, "limit", 50)),
              route.equals("history"));
      case "commits" ->
          p.length == 3
              ? commit(p[2])
              : p.length == 2
                  ? commits(
                      number(query, "from", 1),
                      (int) Math.min(1000, Math.max(1, number(query, "limit", 100))))
                  : notFound();
      case "status" ->
          new Response(200, "application/json", status.get().getBytes(StandardCharsets.UTF_8));
      case "committee" ->
          new Response(
              200, "application/json", committee.toJson().getBytes(StandardCharsets.UTF_8));
      case "events" ->
          events(number(query, "from", 1), (int) Math.min(1000, number(query, "limit", 100)));
      default -> notFound();
    };
  }

  private static Response notFound() {
    return Response.error(404, "no such resource");
  }

  private static byte[] hex(String text, int length, String what) {
    if (text.length() != 2 * length
        || !text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new BadRequest(what + " must be " + length + " bytes of lower-case hex");
    }
    return HEX.parseHex(text);
  }

  private static long number(Map<String, String> query, String name, long otherwise) {
    String v = query.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new BadRequest(name + " must be non-negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a number");
    }
  }

  private Response transaction(byte[] txId) {
    Optional<QueryStore.TxLocation> location = store.locate(txId);
    if (location.isEmpty()) {
      return Response.error(404, "unknown transaction " + HEX.formatHex(txId));
    }
    StoredCommit commit = store.commit(location.get().sequence()).orElseThrow();
    int index = location.get().index();
    Receipt receipt = commit.receipts().get(index);
    LedgerProof.Transaction proof = proofs.transaction(txId).orElseThrow();
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer
        .put("txId", HEX.formatHex(txId))
        .put("commit", commit.record().sequence())
        .put("index", index);
    answer
        .putObject("receipt")
        .put("code", receipt.code().name())
        .put("reason", receipt.code().reason())
        .put("fee", receipt.fee());
    answer.set("transaction", describe(commit.transactions().get(index)));
    answer.set("proof", proof.toJson());
    return Response.json(200, answer);
  }

  /** The fields of a transaction record as JSON (informational; the proof carries the bytes). */
  static ObjectNode describe(byte[] record) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    RunKind kind = record.length >= 2 ? RunKind.fromCode(record[1]) : null;
    if (kind == null || record.length != kind.encodedLength()) {
      return node.put("kind", "MALFORMED").put("bytes", HEX.formatHex(record));
    }
    byte[] k = new byte[32];
    if (kind == RunKind.RUN) {
      AgentRunFlyweight run = new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0);
      byte[] task = new byte[16];
      byte[] cid = new byte[36];
      node.put("kind", kind.name())
          .put("chainId", Integer.toUnsignedLong(run.chainId()))
          .put("shardHint", run.shardHint());
      run.getAgent(k, 0);
      node.put("agent", HEX.formatHex(k));
      run.getPayer(k, 0);
      node.put("payer", HEX.formatHex(k)).put("nonce", Long.toUnsignedString(run.nonce()));
      run.getTaskId(task, 0);
      node.put("taskId", HEX.formatHex(task));
      run.getParentRun(k, 0);
      node.put("parentRun", HEX.formatHex(k))
          .put("startedAt", Long.toUnsignedString(run.startedAt()))
          .put("endedAt", Long.toUnsignedString(run.endedAt()))
          .put("inputTokens", Long.toUnsignedString(run.inputTokens()))
          .put("outputTokens", Long.toUnsignedString(run.outputTokens()))
          .put("computeMs", Long.toUnsignedString(run.computeMs()))
          .put("gpuMs", Long.toUnsignedString(run.gpuMs()))
          .put("peakMemoryBytes", Long.toUnsignedString(run.peakMemoryBytes()));
      run.getModel(k, 0);
      RunOutcome outcome = RunOutcome.fromCode(run.outcome());
      node.put("model", HEX.formatHex(k))
          .put("outcome", outcome == null ? "UNKNOWN" : outcome.name())
          .put("priority", run.priority())
          .put("maxFee", Long.toUnsignedString(run.maxFee()));
      run.getMetadataCid(cid, 0);
      node.put("metadataCid", HEX.formatHex(cid));
    } else {
      AccountOpFlyweight op = new AccountOpFlyweight().wrap(new UnsafeBuffer(record), 0);
      node.put("kind", kind.name()).put("chainId", Integer.toUnsignedLong(op.chainId()));
      op.getSigner(k, 0);
      node.put("signer", HEX.formatHex(k)).put("nonce", Long.toUnsignedString(op.nonce()));
      op.getTarget(k, 0);
      node.put("target", HEX.formatHex(k))
          .put("argument", Long.toUnsignedString(op.argument()))
          .put("maxFee", Long.toUnsignedString(op.maxFee()));
    }
    return node;
  }

  /**
   * The {@code commit} query parameter of the state routes: 0 (absent) for the latest certified.
   */
  private long atCommit(Map<String, String> query) {
    return number(query, "commit", 0);
  }

  private LedgerProof.State stateProof(StateSubject subject, long commit) {
    return commit == 0 ? proofs.state(subject) : proofs.state(subject, commit);
  }

  private Response state(StateSubject subject, ObjectNode answer) {
    return state(subject, answer, 0);
  }

  private Response state(StateSubject subject, ObjectNode answer, long commit) {
    LedgerProof.State proof = stateProof(subject, commit);
    answer.put("present", proof.value() != null);
    answer.set("proof", proof.toJson());
    return Response.json(200, answer);
  }

  private Response account(byte[] key, long commit) {
    ObjectNode answer = JsonNodeFactory.instance.objectNode().put("account", HEX.formatHex(key));
    LedgerProof.State proof = stateProof(new StateSubject.Account(key), commit);
    AccountRecord a = AccountRecord.decode(proof.value());
    ArrayNode roles = answer.putArray("roles");
    Roles.names(a.roles).forEach(roles::add);
    answer
        .put("balance", a.balance)
        .put("nextNonce", Long.toUnsignedString(a.nextNonce))
        .put("runCount", a.runCount)
        .put("lastRun", HEX.formatHex(a.lastRun))
        .put("present", proof.value() != null);
    answer.set("proof", proof.toJson());
    return Response.json(200, answer);
  }

  private Response usage(int scope, byte[] id, long commit) {
    ObjectNode answer =
        JsonNodeFactory.instance
            .objectNode()
            .put("scope", StateKeys.scopeName(scope))
            .put("id", HEX.formatHex(id));
    LedgerProof.State proof = stateProof(new StateSubject.Usage(scope, id), commit);
    UsageRecord u = UsageRecord.decode(proof.value());
    answer
        .put("runs", u.runs)
        .put("inputTokens", u.inputTokens)
        .put("outputTokens", u.outputTokens)
        .put("computeMs", u.computeMs)
        .put("gpuMs", u.gpuMs)
        .put("maxPeakMemoryBytes", u.maxPeakMemoryBytes)
        .put("feesPaid", u.feesPaid);
    ObjectNode outcomes = answer.putObject("outcomes");
    for (RunOutcome o : RunOutcome.values()) {
      outcomes.put(o.name().toLowerCase(java.util.Locale.ROOT), u.outcomes[o.ordinal()]);
    }
    answer.set("proof", proof.toJson());
    return Response.json(200, answer);
  }

  private Response runs(byte[] agent, long from, int limit, boolean history) {
    long total = store.runCount(agent);
    List<byte[]> page = store.runs(agent, from, limit);
    ObjectNode answer =
        JsonNodeFactory.instance
            .objectNode()
            .put("agent", HEX.formatHex(agent))
            .put("total", total)
            .put("from", from);
    ArrayNode nodes = answer.putArray(history ? "nodes" : "runs");
    for (byte[] id : page) {
      ObjectNode item = nodes.addObject().put("txId", HEX.formatHex(id));
      store.locate(id).ifPresent(l -> item.put("commit", l.sequence()).put("index", l.index()));
      // The run entry (agent, parent, history index) is proven against the latest certified state;
      // runs not yet under a certified commit are listed without a proof.
      LedgerProof.State proof = proofs.state(new StateSubject.Run(id));
      if (proof.value() != null) {
        RunEntry entry = RunEntry.decode(proof.value());
        item.put("parent", HEX.formatHex(entry.parentRun()))
            .put("historyIndex", entry.historyIndex());
        item.set("proof", proof.toJson());
      }
    }
    if (history) {
      ArrayNode edges = answer.putArray("edges");
      for (var node : nodes) {
        if (node.has("parent") && !node.get("parent").asText().equals("0".repeat(64))) {
          edges
              .addObject()
              .put("child", node.get("txId").asText())
              .put("parent", node.get("parent").asText());
        }
      }
    }
    if (from + page.size() < total) {
      answer.put("next", from + page.size());
    } else {
      answer.putNull("next");
    }
    return Response.json(200, answer);
  }

  private Response commit(String which) {
    long sequence;
    if (which.equals("latest")) {
      sequence = store.latestCertifiedSequence();
    } else {
      try {
        sequence = Long.parseLong(which);
      } catch (NumberFormatException e) {
        throw new BadRequest("commit sequence must be a number or 'latest'");
      }
    }
    Optional<StoredCommit> stored = store.commit(sequence);
    if (stored.isEmpty()) {
      return Response.error(404, "no commit " + which);
    }
    StoredCommit c = stored.get();
    var r = c.record();
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer
        .put("sequence", r.sequence())
        .put("round", r.round())
        .put("hash", HEX.formatHex(c.hash()))
        .put("previous", HEX.formatHex(r.previous()))
        .put("anchor", HEX.formatHex(r.anchor()))
        .put("txRoot", HEX.formatHex(r.txRoot()))
        .put("txCount", r.txCount())
        .put("receiptsRoot", HEX.formatHex(r.receiptsRoot()))
        .put("stateRoot", HEX.formatHex(r.stateRoot()))
        .put("record", HEX.formatHex(r.encode()))
        .put("certified", c.certificate() != null);
    ArrayNode batches = answer.putArray("batchDigests");
    r.batchDigests().forEach(d -> batches.add(HEX.formatHex(d)));
    ArrayNode sigs = answer.putArray("certificate");
    if (c.certificate() != null) {
      for (CommitSignature s : c.certificate().signatures()) {
        sigs.addObject()
            .put("validator", HEX.formatHex(s.validator()))
            .put("signature", HEX.formatHex(s.signature()));
      }
    }
    return Response.json(200, answer);
  }

  private Response commits(long from, int limit) {
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    long latest = store.latestSequence();
    answer.put("latest", latest).put("latestCertified", store.latestCertifiedSequence());
    ArrayNode list = answer.putArray("commits");
    for (long s = Math.max(1, from); s <= latest && s < Math.max(1, from) + limit; s++) {
      Optional<StoredCommit> stored = store.commit(s);
      if (stored.isEmpty()) {
        break;
      }
      StoredCommit c = stored.get();
      list.addObject()
          .put("sequence", s)
          .put("hash", HEX.formatHex(c.hash()))
          .put("stateRoot", HEX.formatHex(c.record().stateRoot()))
          .put("txRoot", HEX.formatHex(c.record().txRoot()))
          .put("transactions", c.record().txCount())
          .put("certified", c.certificate() != null);
    }
    return Response.json(200, answer);
  }

  private Response events(long from, int limit) {
    ObjectNode answer =
        JsonNodeFactory.instance
            .objectNode()
            .put("from", from)
            .put("lastCommit", events.lastSequence());
    ArrayNode list = answer.putArray("events");
    for (ExecutionEvent e : events.read(from, limit)) {
      list.add(eventJson(e));
    }
    return Response.json(200, answer);
  }

  /** One event as JSON (also the line format of streamed events). */
  public static ObjectNode eventJson(ExecutionEvent e) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("commit", e.commitSequence())
        .put("index", e.txIndex())
        .put("type", e.type().name())
        .put("txId", HEX.formatHex(e.txId()))
        .put("account", HEX.formatHex(e.account()))
        .put("payer", HEX.formatHex(e.payer()))
        .put("code", e.code().name())
        .put("amount", e.amount());
  }
}
