package dev.agentledger.sig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle 1.87 (RFC 8032 code) as an independent reference on honest inputs: public keys and
 * signatures byte-identical, verdicts equal on valid signatures and random corruptions (which are
 * far from every ZIP-215 / strict difference: those need crafted small-order components).
 */
class BouncyCastleAgreementTest {
  @Test
  void keysSignaturesAndVerdictsAgree() {
    Random random = new Random(8032);
    for (int i = 0; i < 300; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] message = new byte[random.nextInt(300)];
      random.nextBytes(message);
      byte[] pk = Ed25519.publicKey(seed);
      byte[] bcPk = new byte[32];
      org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, bcPk, 0);
      assertThat(pk).isEqualTo(bcPk);
      byte[] sig = Ed25519.sign(seed, message);
      byte[] bcSig = new byte[64];
      org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length, bcSig, 0);
      assertThat(sig).isEqualTo(bcSig);
      assertThat(Ed25519.verify(pk, sig, message)).isTrue();

      byte[] corrupt = sig.clone();
      int bit = random.nextInt(64 * 8);
      corrupt[bit >>> 3] ^= (byte) (1 << (bit & 7));
      byte[] msg2 = message.clone();
      if (msg2.length > 0 && random.nextBoolean()) {
        msg2[random.nextInt(msg2.length)] ^= 1;
      }
      boolean bc =
          org.bouncycastle.math.ec.rfc8032.Ed25519.verify(corrupt, 0, pk, 0, msg2, 0, msg2.length);
      assertThat(Ed25519.verify(pk, corrupt, msg2)).as("bit " + bit).isEqualTo(bc);
    }
  }
}
