package dev.agentledger.accel;

/** What a {@link Backend} can compute. DESIGN.md section 4. */
public enum Capability {
  /** SHA-256 of many messages of one fixed size (FIPS 180-4). */
  SHA256_BATCH("sha256"),
  /** One RFC 6962 tree level: nodes of level i to level i + 1. */
  MERKLE_LEVEL("merkle-level"),
  /** A whole RFC 6962 tree head from leaf hashes, levels kept on the device. */
  MERKLE_ROOT("merkle"),
  /** Ed25519 verification of a batch under ZIP-215 rules, one verdict per signature. */
  ED25519_VERIFY_BATCH("ed25519"),
  /** BN254 G1 multi-scalar multiplication: the bucket sums of Pippenger's method (zk module). */
  MSM_BN254_G1("msm");

  private final String shortName;

  Capability(String shortName) {
    this.shortName = shortName;
  }

  /** The name used on the command line and in metrics. */
  public String shortName() {
    return shortName;
  }

  /** Parses {@link #shortName()}; throws {@link IllegalArgumentException} naming the choices. */
  public static Capability byShortName(String name) {
    for (Capability c : values()) {
      if (c.shortName.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown kernel '" + name + "' (choose sha256, merkle, merkle-level, ed25519 or msm)");
  }
}
