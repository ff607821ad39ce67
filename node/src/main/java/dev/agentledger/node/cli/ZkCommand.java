package dev.agentledger.node.cli;

import dev.agentledger.accel.Capability;
import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.groth16.DevSetup;
import dev.agentledger.zk.groth16.Groth16Prover;
import dev.agentledger.zk.groth16.Groth16Verifier;
import dev.agentledger.zk.groth16.Proof;
import dev.agentledger.zk.groth16.VerificationKey;
import dev.agentledger.zk.iden3.R1cs;
import dev.agentledger.zk.iden3.Wtns;
import dev.agentledger.zk.iden3.Zkey;
import dev.agentledger.zk.msm.BackendMsm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger zk ...}: Groth16 over BN254 with circom/snarkjs files (the zk module). Thin:
 * parses the options, calls the library, maps its {@link ZkInputException} to exit status 2.
 */
@Command(
    name = "zk",
    mixinStandardHelpOptions = true,
    description = "Groth16 proofs on BN254, interoperable with circom and snarkjs.",
    subcommands = {
      ZkCommand.Prove.class,
      ZkCommand.Verify.class,
      ZkCommand.ExportVkey.class,
      ZkCommand.DevSetupCmd.class
    })
final class ZkCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String read(Path p) {
    try {
      if (Files.size(p) > (64L << 20)) {
        throw new MalformedInputException(p + ": file over 64 MiB");
      }
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MalformedInputException(p + ": no such file");
    } catch (IOException e) {
      throw new MalformedInputException(p + ": " + e.getMessage());
    }
  }

  static void write(Path p, String text) {
    try {
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(p + ": " + e.getMessage(), e);
    }
  }

  static <T> T malformedOnBadInput(Callable<T> work) throws Exception {
    try {
      return work.call();
    } catch (ZkInputException e) {
      throw new MalformedInputException(e.getMessage());
    } catch (java.io.UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        throw new MalformedInputException(e.getMessage());
      }
      throw e;
    }
  }

  /** {@code zk prove}. */
  @Command(
      name = "prove",
      mixinStandardHelpOptions = true,
      description = "Groth16 proof of a witness: writes DIR/proof.json and DIR/public.json.")
  static final class Prove implements Callable<Integer> {
    @Option(names = "--zkey", required = true, description = "Proving key (snarkjs .zkey).")
    Path zkey;

    @Option(names = "--wtns", required = true, description = "Witness (circom .wtns).")
    Path wtns;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(
        names = "--backend",
        defaultValue = "cpu",
        paramLabel = "NAME",
        description =
            "Backend of the G1 MSMs: cpu (default, Pippenger on the host) or an accel backend"
                + " with the msm capability (opencl, cuda).")
    String backend;

    @Option(names = "--threads", description = "Threads (default: all cores).")
    Integer threads;

    @Option(
        names = "--profile",
        description =
            "Print the wall time of each phase and the CPU time of each thread (ms) on stderr,"
                + " one a line.")
    boolean profile;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      long start = System.nanoTime();
      int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      Groth16Prover.Output o;
      if (backend.equals("cpu")) {
        o = malformedOnBadInput(() -> prove(start, t, Groth16Prover.cpuMsm(t)));
      } else {
        var outcome =
            AccelBackendOption.run(
                spec,
                backend,
                Capability.MSM_BN254_G1,
                b -> {
                  try {
                    return malformedOnBadInput(
                        () -> prove(start, t, (p, k, n) -> BackendMsm.msm(b, p, k, n).sum()));
                  } catch (RuntimeException e) {
                    throw e;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        if (!outcome.ok()) {
          return outcome.status();
        }
        o = outcome.value();
      }
      Files.createDirectories(out);
      write(out.resolve("proof.json"), o.proof().toJson());
      write(out.resolve("public.json"), Proof.publicToJson(o.publicSignals()));
      if (profile) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        o.phasesMs().forEach((k, v) -> err.printf("zk prove: %s %.1f ms%n", k, v));
        long jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        err.printf("zk prove: command %.1f ms, JVM uptime %d ms%n", ms(start), jvm);
        dev.agentledger.zk.bench.ThreadCpu.byName()
            .forEach((k, v) -> err.printf("zk prove: cpu %s %d ms%n", k, v));
      }
      return 0;
    }

    private Groth16Prover.Output prove(long start, int t, Groth16Prover.G1Msm g1) {
      long[] w = Wtns.read(wtns);
      Zkey z = Zkey.open(zkey);
      if (profile) {
        spec.commandLine()
            .getErr()
            .printf("zk prove: read wtns and zkey header %.1f ms%n", ms(start));
      }
      try {
        return Groth16Prover.prove(z, w, t, new java.security.SecureRandom(), g1);
      } finally {
        z.close();
      }
    }

    private static double ms(long since) {
      return (System.nanoTime() - since) / 1e6;
    }
  }

  /** {@code zk verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Check a Groth16 proof: exit 0 valid, 1 invalid, 2 malformed input.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--vkey", required = true, description = "verification_key.json")
    Path vkey;

    @Option(names = "--proof", required = true, description = "proof.json")
    Path proof;

    @Option(names = "--public", required = true, paramLabel = "FILE", description = "public.json")
    Path publicSignals;

    @Override
    public Integer call() throws Exception {
      boolean ok =
          malformedOnBadInput(
              () -> {
                VerificationKey vk = VerificationKey.fromJson(read(vkey), vkey.toString());
                Proof p = Proof.fromJson(read(proof), proof.toString());
                String what = publicSignals.toString();
                return Groth16Verifier.verify(
                    vk, p, Proof.publicFromJson(read(publicSignals), what));
              });
      spec.commandLine().getOut().println(ok ? "valid" : "invalid");
      return ok ? 0 : AgentLedgerCli.EXIT_FAILURE;
    }
  }

  /** {@code zk export-vkey}. */
  @Command(
      name = "export-vkey",
      mixinStandardHelpOptions = true,
      description = "Write the verification key of a zkey (as snarkjs does).")
  static final class ExportVkey implements Callable<Integer> {
    @Option(names = "--zkey", required = true, description = "Proving key (snarkjs .zkey).")
    Path zkey;

    @Option(names = "--out", required = true, description = "verification_key.json to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      String json =
          malformedOnBadInput(
              () -> {
                Zkey z = Zkey.open(zkey);
                try {
                  return VerificationKey.of(z).toJson();
                } finally {
                  z.close();
                }
              });
      write(out, json);
      return 0;
    }
  }

  /** {@code zk dev-setup}: an INSECURE proving key from a seed, for benchmarks. */
  @Command(
      name = "dev-setup",
      mixinStandardHelpOptions = true,
      description =
          "INSECURE benchmark-only Groth16 setup: writes a snarkjs zkey whose toxic waste comes"
              + " from a public seed.")
  static final class DevSetupCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--r1cs", required = true, paramLabel = "FILE", description = "circom .r1cs.")
    Path r1cs;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = ".zkey to write.")
    Path out;

    @Option(
        names = "--seed",
        defaultValue = "1",
        paramLabel = "N",
        description = "Seed of the toxic waste (anyone knowing it can forge proofs).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
      int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      malformedOnBadInput(
          () -> {
            DevSetup.write(R1cs.read(r1cs), out, seed, t);
            return null;
          });
      spec.commandLine()
          .getErr()
          .println(
              "zk dev-setup: wrote "
                  + out
                  + " (INSECURE: toxic waste from seed "
                  + seed
                  + "; for benchmarks only)");
      return 0;
    }
  }
}
