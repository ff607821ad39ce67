package dev.agentledger.zk.groth16;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.json.Json;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Groth16 proof {@code (A in G1, B in G2, C in G1)}, affine Montgomery, as snarkjs writes it. */
public record Proof(long[] a, long[] b, long[] c) {

  /** Parses and validates {@code proof.json} (points on their curves, B in G2). */
  public static Proof fromJson(String text, String what) {
    if (!(Json.parse(text, what) instanceof Map<?, ?> m)) {
      throw new ZkInputException(what + ": expected a JSON object");
    }
    if (m.containsKey("protocol") && !"groth16".equals(m.get("protocol"))) {
      throw new ZkInputException(what + ": protocol is not groth16");
    }
    if (m.containsKey("curve") && !"bn128".equals(m.get("curve"))) {
      throw new ZkInputException(what + ": wrong curve (expected bn128)");
    }
    return new Proof(
        JsonPoints.g1(JsonPoints.member(m, "pi_a", what), what + " pi_a"),
        JsonPoints.g2(JsonPoints.member(m, "pi_b", what), what + " pi_b"),
        JsonPoints.g1(JsonPoints.member(m, "pi_c", what), what + " pi_c"));
  }

  /** snarkjs's {@code proof.json}. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pi_a", JsonPoints.g1Json(a, 0));
    m.put("pi_b", JsonPoints.g2Json(b, 0));
    m.put("pi_c", JsonPoints.g1Json(c, 0));
    m.put("protocol", "groth16");
    m.put("curve", "bn128");
    return Json.write(m);
  }

  /** Parses {@code public.json}: decimal strings, each below r. */
  public static BigInteger[] publicFromJson(String text, String what) {
    if (!(Json.parse(text, what) instanceof List<?> l)) {
      throw new ZkInputException(what + ": expected a JSON array");
    }
    BigInteger[] out = new BigInteger[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = JsonPoints.decimal(l.get(i), Bn254.R, what + "[" + i + "]");
    }
    return out;
  }

  /** snarkjs's {@code public.json}. */
  public static String publicToJson(BigInteger[] publics) {
    List<Object> l = new ArrayList<>();
    for (BigInteger p : publics) {
      l.add(p.toString());
    }
    return Json.write(l);
  }
}
