// EIP-196/197 precompile semantics computed with ffjavascript (snarkjs's engine), an independent
// implementation to cross-check the vector files of zk/src/test/resources/eip196.
//   node eip196-check.mjs add|mul|pairing FILE.json
// Prints one line per vector: NAME OUTPUT_HEX, or NAME error (invalid input).
import { buildBn128 } from "ffjavascript";
import { readFileSync } from "node:fs";

const [op, file] = process.argv.slice(2);
const vectors = JSON.parse(readFileSync(file, "utf8"));
const curve = await buildBn128(true);
const P = curve.q;
const R = curve.r;

function word(bytes, i) {
  return BigInt("0x" + (bytes.slice(64 * i, 64 * i + 64) || "0"));
}
function padded(hex, len) {
  const h = hex.slice(0, 2 * len);
  return h + "0".repeat(2 * len - h.length);
}
function fp(v) {
  if (v >= P) throw new Error("coordinate not below p");
  return v;
}
function g1(x, y) {
  fp(x);
  fp(y);
  if (x === 0n && y === 0n) return curve.G1.zeroAffine;
  const p = curve.G1.fromObject([x, y]);
  if (!curve.G1.isValid(p)) throw new Error("G1 point not on the curve");
  return p;
}
function g2(xIm, xRe, yIm, yRe) {
  [xIm, xRe, yIm, yRe].forEach(fp);
  if (xIm === 0n && xRe === 0n && yIm === 0n && yRe === 0n) return curve.G2.zeroAffine;
  const p = curve.G2.fromObject([[xRe, xIm], [yRe, yIm]]);
  if (!curve.G2.isValid(p)) throw new Error("G2 point not on the twist");
  if (!curve.G2.isZero(curve.G2.timesScalar(p, R))) throw new Error("G2 point not in the subgroup");
  return p;
}
function hex(v) {
  return v.toString(16).padStart(64, "0");
}
function out(p) {
  const a = curve.G1.toObject(curve.G1.toAffine(p));
  if (a[2] === 0n) return "0".repeat(128); // toObject gives (0, 1, 0) for infinity
  return hex(a[0]) + hex(a[1]);
}

for (const v of vectors) {
  let result;
  try {
    if (op === "add") {
      const h = padded(v.Input, 128);
      result = out(curve.G1.add(g1(word(h, 0), word(h, 1)), g1(word(h, 2), word(h, 3))));
    } else if (op === "mul") {
      const h = padded(v.Input, 96);
      const k = word(h, 2);
      const p = g1(word(h, 0), word(h, 1));
      result = out(k === 0n || curve.G1.isZero(p) ? curve.G1.zero : curve.G1.timesScalar(p, k));
    } else if (op === "pairing") {
      if (v.Input.length % 384 !== 0) throw new Error("length not a multiple of 192 bytes");
      const args = [];
      for (let i = 0; i < v.Input.length / 384; i++) {
        const h = v.Input.slice(384 * i, 384 * i + 384);
        const a = g1(word(h, 0), word(h, 1));
        const b = g2(word(h, 2), word(h, 3), word(h, 4), word(h, 5));
        if (curve.G1.isZero(a) || curve.G2.isZero(b)) continue; // e(0, Q) = e(P, 0) = 1
        args.push(a, b);
      }
      const ok = args.length === 0 ? true : await curve.pairingEq(...args);
      result = hex(ok ? 1n : 0n);
    } else {
      throw new Error("unknown op " + op);
    }
  } catch (e) {
    result = "error";
  }
  console.log(v.Name + " " + result);
}
await curve.terminate();
