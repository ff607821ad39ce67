package dev.agentledger.zk.groth16;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.iden3.Zkey;
import dev.agentledger.zk.json.Json;
import dev.agentledger.zk.pairing.Pairing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Groth16 verification key as in snarkjs's {@code verification_key.json}: alpha1 (G1), beta2,
 * gamma2, delta2 (G2) and the {@code nPublic + 1} IC points (G1), all affine Montgomery.
 */
public record VerificationKey(
    int nPublic, long[] alpha1, long[] beta2, long[] gamma2, long[] delta2, long[] ic) {

  /** The key of a zkey (header points and section 3). */
  public static VerificationKey of(Zkey z) {
    return new VerificationKey(z.nPublic, z.alpha1, z.beta2, z.gamma2, z.delta2, z.ic());
  }

  /** Parses and validates {@code verification_key.json}. */
  public static VerificationKey fromJson(String text, String what) {
    if (!(Json.parse(text, what) instanceof Map<?, ?> m)) {
      throw new ZkInputException(what + ": expected a JSON object");
    }
    if (!"groth16".equals(m.get("protocol"))) {
      throw new ZkInputException(what + ": protocol is not groth16");
    }
    if (!"bn128".equals(m.get("curve"))) {
      throw new ZkInputException(what + ": wrong curve (expected bn128)");
    }
    Object np = JsonPoints.member(m, "nPublic", what);
    int nPublic;
    try {
      nPublic = Integer.parseInt(String.valueOf(np));
    } catch (NumberFormatException e) {
      throw new ZkInputException(what + ": nPublic is not a number");
    }
    if (nPublic < 0 || nPublic > 1_000_000) {
      throw new ZkInputException(what + ": nPublic out of range");
    }
    long[] alpha1 = JsonPoints.g1(JsonPoints.member(m, "vk_alpha_1", what), what + " vk_alpha_1");
    long[] beta2 = JsonPoints.g2(JsonPoints.member(m, "vk_beta_2", what), what + " vk_beta_2");
    long[] gamma2 = JsonPoints.g2(JsonPoints.member(m, "vk_gamma_2", what), what + " vk_gamma_2");
    long[] delta2 = JsonPoints.g2(JsonPoints.member(m, "vk_delta_2", what), what + " vk_delta_2");
    List<?> icList = JsonPoints.list(JsonPoints.member(m, "IC", what), nPublic + 1, what + " IC");
    long[] ic = new long[8 * (nPublic + 1)];
    for (int i = 0; i <= nPublic; i++) {
      System.arraycopy(JsonPoints.g1(icList.get(i), what + " IC[" + i + "]"), 0, ic, 8 * i, 8);
    }
    return new VerificationKey(nPublic, alpha1, beta2, gamma2, delta2, ic);
  }

  /** snarkjs's {@code verification_key.json}, byte for byte (with e(alpha1, beta2)). */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("protocol", "groth16");
    m.put("curve", "bn128");
    m.put("nPublic", nPublic);
    m.put("vk_alpha_1", JsonPoints.g1Json(alpha1, 0));
    m.put("vk_beta_2", JsonPoints.g2Json(beta2, 0));
    m.put("vk_gamma_2", JsonPoints.g2Json(gamma2, 0));
    m.put("vk_delta_2", JsonPoints.g2Json(delta2, 0));
    String[][][] ab = Pairing.pairingAsFfjavascript(alpha1, 0, beta2, 0).toDecimal();
    List<Object> abJson = new ArrayList<>();
    for (String[][] six : ab) {
      List<Object> l = new ArrayList<>();
      for (String[] two : six) {
        l.add(Arrays.asList((Object[]) two));
      }
      abJson.add(l);
    }
    m.put("vk_alphabeta_12", abJson);
    List<Object> icJson = new ArrayList<>();
    for (int i = 0; i <= nPublic; i++) {
      icJson.add(JsonPoints.g1Json(ic, 8 * i));
    }
    m.put("IC", icJson);
    return Json.write(m);
  }
}
