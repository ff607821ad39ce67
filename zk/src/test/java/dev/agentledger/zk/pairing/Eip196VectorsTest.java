package dev.agentledger.zk.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.groth16.Circuits;
import dev.agentledger.zk.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * go-ethereum's EIP-196 (bn256Add, bn256ScalarMul) and EIP-197 (bn256Pairing) precompile vectors
 * (src/test/resources/eip196, source in its README) through this module's curve and pairing code
 * with the precompiles' encoding (big-endian words, inputs zero-padded, (0, 0) for infinity, G2 as
 * (x_im, x_re, y_im, y_re)), cross-checked against ffjavascript through node; invalid inputs (off
 * the curve, coordinates not below p, a twist point outside G2, a bad pairing length) are errors in
 * both.
 */
class Eip196VectorsTest {
  private static final String OP_RESOURCE = "/eip196/";

  /** An invalid precompile input. */
  static final class PrecompileError extends RuntimeException {
    PrecompileError(String m) {
      super(m);
    }
  }

  private static Map<String, String[]> vectors(String file) throws IOException {
    try (InputStream in = Eip196VectorsTest.class.getResourceAsStream(OP_RESOURCE + file)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String[]> out = new LinkedHashMap<>();
      for (Object o : (List<?>) Json.parse(text, file)) {
        Map<?, ?> m = (Map<?, ?>) o;
        out.put(
            (String) m.get("Name"),
            new String[] {(String) m.get("Input"), (String) m.get("Expected")});
      }
      return out;
    }
  }

  private static String padded(String hex, int bytes) {
    String h = hex.length() > 2 * bytes ? hex.substring(0, 2 * bytes) : hex;
    return h + "0".repeat(2 * bytes - h.length());
  }

  private static BigInteger word(String hex, int i) {
    return new BigInteger(hex.substring(64 * i, 64 * i + 64), 16);
  }

  private static BigInteger fp(BigInteger v) {
    if (v.compareTo(Bn254.P) >= 0) {
      throw new PrecompileError("coordinate not below p");
    }
    return v;
  }

  private static long[] g1(BigInteger x, BigInteger y) {
    long[] p = Bn254Curves.g1Affine(fp(x), fp(y));
    if (!Bn254Curves.g1IsValid(p, 0)) {
      throw new PrecompileError("not on G1");
    }
    return p;
  }

  private static long[] g2(BigInteger xIm, BigInteger xRe, BigInteger yIm, BigInteger yRe) {
    long[] q = Bn254Curves.g2Affine(fp(xRe), fp(xIm), fp(yRe), fp(yIm));
    if (!Bn254Curves.g2IsValid(q, 0)) {
      throw new PrecompileError("not in G2");
    }
    return q;
  }

  private static String encode(CurveOps g1, long[] jac) {
    long[] a = new long[8];
    g1.toAffine(a, 0, jac, 0);
    return String.format("%064x%064x", Bn254.FP.toBigInteger(a, 0), Bn254.FP.toBigInteger(a, 4));
  }

  /** The precompile {@code op} (add, mul, pairing) on a hex input; hex output. */
  static String precompile(String op, String input) {
    CurveOps g1 = Bn254Curves.g1();
    switch (op) {
      case "add" -> {
        String h = padded(input, 128);
        long[] a = new long[12];
        g1.fromAffine(a, 0, g1(word(h, 0), word(h, 1)), 0);
        g1.addAffine(a, 0, a, 0, g1(word(h, 2), word(h, 3)), 0);
        return encode(g1, a);
      }
      case "mul" -> {
        String h = padded(input, 96);
        long[] a = new long[12];
        long[] r = new long[12];
        g1.fromAffine(a, 0, g1(word(h, 0), word(h, 1)), 0);
        g1.mulPublic(r, 0, a, 0, word(h, 2));
        return encode(g1, r);
      }
      case "pairing" -> {
        if (input.length() % 384 != 0) {
          throw new PrecompileError("length not a multiple of 192 bytes");
        }
        List<Pairing.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < input.length() / 384; i++) {
          String h = input.substring(384 * i, 384 * i + 384);
          long[] p = g1(word(h, 0), word(h, 1));
          long[] q = g2(word(h, 2), word(h, 3), word(h, 4), word(h, 5));
          if (!Bn254Curves.g1().isInfinityAffine(p, 0)
              && !Bn254Curves.g2().isInfinityAffine(q, 0)) {
            pairs.add(new Pairing.Pair(p, 0, q, 0));
          }
        }
        return String.format("%064x", Pairing.productIsOne(pairs) ? 1 : 0);
      }
      default -> throw new IllegalArgumentException(op);
    }
  }

  private static String orError(String op, String input) {
    try {
      return precompile(op, input);
    } catch (PrecompileError e) {
      return "error";
    }
  }

  private static String file(String op) {
    return switch (op) {
      case "add" -> "bn256Add.json";
      case "mul" -> "bn256ScalarMul.json";
      default -> "bn256Pairing.json";
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"add", "mul", "pairing"})
  void goEthereumVectorsMatch(String op) throws IOException {
    Map<String, String[]> v = vectors(file(op));
    assertThat(v).isNotEmpty();
    for (Map.Entry<String, String[]> e : v.entrySet()) {
      assertThat(precompile(op, e.getValue()[0]))
          .as(op + " " + e.getKey())
          .isEqualTo(e.getValue()[1]);
    }
  }

  private static final String G1_GEN = String.format("%064x%064x", 1, 2);
  private static final String OFF_CURVE = String.format("%064x%064x", 1, 3);
  private static final String X_IS_P = String.format("%064x%064x", Bn254.P, 2);
  // G2's generator in the EIP-197 order (x_im, x_re, y_im, y_re), as in the pairing vectors
  private static final String G2_GEN =
      "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
          + "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
          + "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
          + "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
  // the same with y_re + 1: not on the twist
  private static final String G2_OFF =
      G2_GEN.substring(0, 192) + "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7dab";

  /** Invalid inputs: name, op, input. */
  private static final String[][] INVALID = {
    {"add_off_curve_first", "add", OFF_CURVE + G1_GEN},
    {"add_off_curve_second", "add", G1_GEN + OFF_CURVE},
    {"add_x_is_p", "add", X_IS_P + G1_GEN},
    {"mul_off_curve", "mul", OFF_CURVE + String.format("%064x", 2)},
    {"mul_x_is_p", "mul", X_IS_P + String.format("%064x", 2)},
    {"pairing_short", "pairing", (G1_GEN + G2_GEN).substring(0, 382)},
    {"pairing_g1_off_curve", "pairing", OFF_CURVE + G2_GEN},
    {"pairing_g2_off_twist", "pairing", G1_GEN + G2_OFF},
    {"pairing_x_is_p", "pairing", X_IS_P + G2_GEN},
  };

  @Test
  void invalidInputsAreErrors() {
    for (String[] c : INVALID) {
      assertThat(orError(c[1], c[2])).as(c[0]).isEqualTo("error");
    }
  }

  /**
   * A point of the twist outside the order-r subgroup, EIP-197 encoded (x_im, x_re, y_im, y_re).
   */
  static String twistPointOutsideG2() {
    for (int k = 1; ; k++) {
      Fq2 x = new Fq2(Bn254.FP.of(k), Bn254.FP.of(1));
      Fq2 y = x.sqr().mul(x).add(Fq2.fromFlat(Bn254Curves.B2, 0)).sqrt();
      if (y == null) {
        continue;
      }
      long[] q = new long[16];
      System.arraycopy(x.c0, 0, q, 0, 4);
      System.arraycopy(x.c1, 0, q, 4, 4);
      System.arraycopy(y.c0, 0, q, 8, 4);
      System.arraycopy(y.c1, 0, q, 12, 4);
      assertThat(Bn254Curves.g2().isOnCurveAffine(q, 0)).isTrue();
      return String.format(
          "%064x%064x%064x%064x",
          Bn254.FP.toBigInteger(q, 4),
          Bn254.FP.toBigInteger(q, 0),
          Bn254.FP.toBigInteger(q, 12),
          Bn254.FP.toBigInteger(q, 8));
    }
  }

  @Test
  void twistPointOutsideG2IsAnError() {
    assertThat(orError("pairing", G1_GEN + twistPointOutsideG2())).isEqualTo("error");
  }

  /** ffjavascript (snarkjs's engine) gives the expected output of every vector, errors included. */
  @Test
  void ffjavascriptAgreesOnEveryVector(@TempDir Path tmp) throws IOException {
    assumeTrue(Circuits.nodeAvailable(), "node/npm not found on PATH: ffjavascript check skipped");
    Path modules = Path.of(run(List.of(script("npm-setup.sh")), null).strip());
    Path checker = modules.getParent().resolve("eip196-check.mjs");
    for (String op : new String[] {"add", "mul", "pairing"}) {
      Map<String, String[]> v = new LinkedHashMap<>(vectors(file(op)));
      for (String[] c : INVALID) {
        if (c[1].equals(op)) {
          v.put(c[0], new String[] {c[2], "error"});
        }
      }
      if (op.equals("pairing")) {
        v.put(
            "pairing_g2_outside_subgroup", new String[] {G1_GEN + twistPointOutsideG2(), "error"});
      }
      StringBuilder json = new StringBuilder("[");
      for (Map.Entry<String, String[]> e : v.entrySet()) {
        json.append(json.length() > 1 ? "," : "")
            .append("{\"Name\":\"")
            .append(e.getKey())
            .append("\",\"Input\":\"")
            .append(e.getValue()[0])
            .append("\"}");
      }
      Path f = tmp.resolve(op + ".json");
      Files.writeString(f, json.append("]").toString());
      String out = run(List.of("node", checker.toString(), op, f.toString()), null);
      Map<String, String> got = new HashMap<>();
      for (String line : out.strip().split("\n")) {
        String[] kv = line.split(" ");
        got.put(kv[0], kv[1]);
      }
      for (Map.Entry<String, String[]> e : v.entrySet()) {
        assertThat(got.get(e.getKey()))
            .as("ffjavascript " + op + " " + e.getKey())
            .isEqualTo(e.getValue()[1]);
      }
    }
  }

  private static String script(String name) {
    return Circuits.moduleDir().resolve("scripts/" + name).toString();
  }

  private static String run(List<String> cmd, Path dir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(cmd + " exited " + p.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out;
  }
}
