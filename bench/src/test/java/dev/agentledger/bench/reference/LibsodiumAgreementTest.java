package dev.agentledger.bench.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.testing.EdgeCases;
import dev.agentledger.sig.testing.RefEd25519;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * libsodium (FFM) as an independent reference: identical keys and signatures, equal verdicts on
 * honest and randomly corrupted inputs, and on the ZIP-215 edge cases exactly the differences its
 * stricter rules predict. Skipped with a message when libsodium is not installed.
 */
class LibsodiumAgreementTest {
  private LibsodiumEd25519 sodium;

  @BeforeEach
  void load() {
    Optional<LibsodiumEd25519> loaded = LibsodiumEd25519.load();
    assumeTrue(
        loaded.isPresent(), () -> "libsodium absent: " + LibsodiumEd25519.unavailableReason());
    sodium = loaded.get();
  }

  @Test
  void keysSignaturesAndVerdictsAgree() {
    Random random = new Random(1018);
    for (int i = 0; i < 300; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] message = new byte[random.nextInt(300)];
      random.nextBytes(message);
      byte[] pk = Ed25519.publicKey(seed);
      assertThat(sodium.publicKey(seed)).isEqualTo(pk);
      byte[] sig = Ed25519.sign(seed, message);
      assertThat(sodium.sign(seed, message)).isEqualTo(sig);
      assertThat(sodium.verify(pk, sig, message)).isTrue();
      byte[] corrupt = sig.clone();
      int bit = random.nextInt(512);
      corrupt[bit >>> 3] ^= (byte) (1 << (bit & 7));
      assertThat(Ed25519.verify(pk, corrupt, message))
          .isEqualTo(sodium.verify(pk, corrupt, message));
    }
  }

  /**
   * libsodium 1.0.18 = RFC 8032 strict (canonical A, R compared as bytes, cofactorless equation)
   * plus a blocklist: small-order A and small-order R are rejected. So on the edge cases:
   * small-order-a-r-s0, torsion-a-any-encoding, s-l-minus-1 (small-order A), torsion-r-any-encoding
   * (small-order R), mixed-order-a and mixed-order-r (cofactorless fails unless the torsion part
   * cancels) are bad for libsodium where ZIP-215 says ok; everything ZIP-215 rejects, it rejects.
   */
  @Test
  void edgeCasesDifferExactlyWhereLibsodiumIsStricter() {
    int differences = 0;
    for (EdgeCases.Item item : EdgeCases.vectors()) {
      byte[] pk = item.publicKey();
      byte[] sig = item.signature();
      byte[] msg = item.message();
      RefEd25519.Pt a = RefEd25519.decodeStrict(pk);
      RefEd25519.Pt r = RefEd25519.decodeStrict(Arrays.copyOf(sig, 32));
      boolean predicted =
          RefEd25519.verifyStrictCofactorless(pk, sig, msg)
              && a != null
              && !RefEd25519.isSmallOrder(a)
              && r != null
              && !RefEd25519.isSmallOrder(r);
      boolean actual = sodium.verify(pk, sig, msg);
      assertThat(actual).as("libsodium on %s", item.category()).isEqualTo(predicted);
      if (item.expected()) {
        if (!actual) {
          differences++;
        }
      } else {
        assertThat(actual)
            .as("libsodium accepts what ZIP-215 rejects: %s", item.category())
            .isFalse();
      }
    }
    assertThat(differences).isGreaterThan(30);
  }
}
