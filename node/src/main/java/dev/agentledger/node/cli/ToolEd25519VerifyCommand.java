package dev.agentledger.node.cli;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Backends;
import dev.agentledger.accel.Capability;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tool ed25519-verify}: lines {@code pubhex sighex [msghex]} to {@code ok} / {@code bad}.
 */
@Command(
    name = "ed25519-verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify each line 'pubhex sighex msghex' (ZIP-215 rules), printing ok or bad.",
      "Answers come in input order. A line without msghex verifies the empty message. Malformed lines (bad hex,",
      "wrong lengths) exit 2; well-formed but invalid keys or signatures print bad.",
      "--batch verifies in batches (random linear combination, bisection on failure) and gives",
      "exactly the single-mode answers.",
      "--backend B verifies the batches on an accel-kernels backend (cpu, opencl, cuda; implies",
      "--batch) with the same answers. Unknown backend: exit 2; unavailable here: exit 1 with the",
      "reason."
    })
final class ToolEd25519VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--batch", description = "Batch verification (same answers as single mode).")
  boolean batch;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Items per batch with --batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "Verifier threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--backend",
      paramLabel = "B",
      description =
          "Batch backend: cpu, opencl, cuda, ... (implies --batch; default: the built-in CPU batch verifier).")
  String backend;

  @Override
  public Integer call() throws InterruptedException {
    if (threads < 1 || threads > 1024) {
      throw new MalformedInputException("--threads must be in [1, 1024], got " + threads);
    }
    if (batchSize < 1 || batchSize > 1 << 20) {
      throw new MalformedInputException("--batch-size must be in [1, 1048576], got " + batchSize);
    }
    if (backend != null) { // resolve the backend first: an unknown name is the first error
      var outcome =
          AccelBackendOption.run(
              spec, backend, Capability.ED25519_VERIFY_BATCH, b -> verifyOnBackend(b, readItems()));
      if (!outcome.ok()) {
        return outcome.status();
      }
      print(outcome.value());
      return 0;
    }
    Items items = readItems();
    byte[][] keys = items.keys();
    byte[][] signatures = items.signatures();
    byte[][] messages = items.messages();
    int n = keys.length;
    boolean[] verdicts = new boolean[n];
    int chunk = batch ? batchSize : Math.max(1, (n + threads - 1) / threads);
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int start = 0; start < n; start += chunk) {
      int from = start;
      int to = Math.min(n, start + chunk);
      tasks.add(
          () -> {
            verifyRange(keys, signatures, messages, verdicts, from, to);
            return null;
          });
    }
    if (threads == 1 || tasks.size() <= 1) {
      for (Callable<Void> task : tasks) {
        try {
          task.call();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    } else {
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        for (Future<Void> f : pool.invokeAll(tasks)) {
          try {
            f.get();
          } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
          }
        }
      }
    }
    print(verdicts);
    return 0;
  }

  private void print(boolean[] verdicts) {
    PrintWriter out = spec.commandLine().getOut();
    for (boolean ok : verdicts) {
      out.println(ok ? "ok" : "bad");
    }
  }

  private record Items(byte[][] keys, byte[][] signatures, byte[][] messages) {}

  private Items readItems() {
    List<String> lines = InputLines.readAll(ToolCommand.root(spec).in());
    int n = lines.size();
    byte[][] keys = new byte[n][];
    byte[][] signatures = new byte[n][];
    byte[][] messages = new byte[n][];
    for (int i = 0; i < n; i++) {
      String[] fields = InputLines.fields(lines.get(i), i + 1, 2, 3, "pubhex sighex msghex");
      keys[i] = InputLines.hex(fields[0], i + 1, "public key", Ed25519.PUBLIC_KEY_BYTES);
      signatures[i] = InputLines.hex(fields[1], i + 1, "signature", Ed25519.SIGNATURE_BYTES);
      messages[i] = fields.length > 2 ? InputLines.hex(fields[2], i + 1, "message") : new byte[0];
    }
    return new Items(keys, signatures, messages);
  }

  /** Batches of {@code --batch-size} on the backend, in order. */
  private boolean[] verifyOnBackend(Backend b, Items items) {
    byte[][] keys = items.keys();
    byte[][] signatures = items.signatures();
    byte[][] messages = items.messages();
    int n = keys.length;
    boolean[] verdicts = new boolean[n];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      boolean[] part =
          Backends.verifyEd25519(
              b,
              Arrays.copyOfRange(keys, from, to),
              Arrays.copyOfRange(signatures, from, to),
              Arrays.copyOfRange(messages, from, to));
      System.arraycopy(part, 0, verdicts, from, to - from);
    }
    return verdicts;
  }

  private static final ThreadLocal<CpuBatchVerifier> VERIFIERS =
      ThreadLocal.withInitial(CpuBatchVerifier::new);

  private void verifyRange(
      byte[][] keys, byte[][] signatures, byte[][] messages, boolean[] verdicts, int from, int to) {
    if (!batch) {
      for (int i = from; i < to; i++) {
        verdicts[i] = Ed25519.verify(keys[i], signatures[i], messages[i]);
      }
      return;
    }
    SignatureBatch items = new SignatureBatch(to - from);
    for (int i = from; i < to; i++) {
      items.add(keys[i], signatures[i], messages[i]);
    }
    boolean[] out = new boolean[to - from];
    VERIFIERS.get().verify(items, out);
    System.arraycopy(out, 0, verdicts, from, to - from);
  }
}
