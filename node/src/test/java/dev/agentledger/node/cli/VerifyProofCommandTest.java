package dev.agentledger.node.cli;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.LedgerHarness;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.proof.StateSubject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyProofCommandTest {
  @TempDir Path dir;

  @Test
  void validInvalidAndMalformedProofsGetTheirExitStatus() throws Exception {
    LedgerHarness ledger = new LedgerHarness();
    var commit = ledger.commit(List.of(run(0).sign(AGENT), run(1).sign(AGENT)));
    Path committee =
        Files.writeString(dir.resolve("committee.json"), LedgerHarness.COMMITTEE.toJson());
    String txProof =
        ledger.proofs.transaction(commit.txIds().get(1)).orElseThrow().toJson().toString();
    Path proof = Files.writeString(dir.resolve("tx.json"), txProof);
    Path usage =
        Files.writeString(
            dir.resolve("usage.json"),
            ledger
                .proofs
                .state(new StateSubject.Usage(StateKeys.SCOPE_AGENT, AGENT.publicKey()))
                .toJson()
                .toString());

    var ok =
        CliTestSupport.run(
            "", "verify-proof", "--committee", committee.toString(), "--proof", proof.toString());
    assertThat(ok.status()).as(ok.err()).isZero();
    assertThat(ok.out())
        .startsWith(
            "valid: transaction " + java.util.HexFormat.of().formatHex(commit.txIds().get(1)));
    var okUsage =
        CliTestSupport.run(
            "", "verify-proof", "--committee", committee.toString(), "--proof", usage.toString());
    assertThat(okUsage.status()).isZero();
    assertThat(okUsage.out()).contains("runs 2");

    // Change one hex digit inside the transaction bytes.
    int at = txProof.indexOf("\"transaction\":\"") + 40;
    char c = txProof.charAt(at);
    String mutated = txProof.substring(0, at) + (c == '0' ? '1' : '0') + txProof.substring(at + 1);
    Path bad = Files.writeString(dir.resolve("bad.json"), mutated);
    var invalid =
        CliTestSupport.run(
            "", "verify-proof", "--committee", committee.toString(), "--proof", bad.toString());
    assertThat(invalid.status()).isEqualTo(1);
    assertThat(invalid.out()).startsWith("invalid: ").contains("tx_root");

    Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"type\":\"transaction\"");
    var malformed =
        CliTestSupport.run(
            "", "verify-proof", "--committee", committee.toString(), "--proof", garbage.toString());
    assertThat(malformed.status()).isEqualTo(2);
    assertThat(malformed.err().lines()).hasSize(1);
    var missing =
        CliTestSupport.run(
            "",
            "verify-proof",
            "--committee",
            dir.resolve("nope").toString(),
            "--proof",
            proof.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(CliTestSupport.run("", "verify-proof", "--help").status()).isZero();
  }
}
