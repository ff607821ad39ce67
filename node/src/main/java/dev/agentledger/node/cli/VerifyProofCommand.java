package dev.agentledger.node.cli;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.proof.ProofVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentledger verify-proof}: checks a proof JSON offline against a committee file. */
@Command(
    name = "verify-proof",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a transaction or state proof offline: the commit certificate",
      "(Ed25519 signatures by committee members holding more than 2/3 of the",
      "stake), then the Merkle inclusion paths or the sparse Merkle state proof",
      "against the certified commit. Prints 'valid: ...' (exit 0) or",
      "'invalid: <reason>' (exit 1); malformed files exit 2."
    })
final class VerifyProofCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--committee",
      required = true,
      paramLabel = "FILE",
      description =
          "committee JSON: {\"chainId\":N,\"validators\":[{\"publicKey\":hex,\"stake\":N},...]}")
  Path committeeFile;

  @Option(
      names = "--proof",
      required = true,
      paramLabel = "FILE",
      description =
          "proof JSON as served by the query API: an answer (its 'proof' member is checked) or the proof itself")
  Path proofFile;

  @Override
  public Integer call() {
    Committee committee;
    try {
      committee = Committee.fromJson(read(committeeFile));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("committee file " + committeeFile + ": " + e.getMessage());
    }
    ProofVerifier.Verdict verdict;
    try {
      verdict = ProofVerifier.verify(committee, read(proofFile));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("proof file " + proofFile + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println((verdict.valid() ? "valid: " : "invalid: ") + verdict.message());
    return verdict.valid() ? 0 : AgentLedgerCli.EXIT_FAILURE;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new MalformedInputException(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new MalformedInputException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
