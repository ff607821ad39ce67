// ffjavascript's BN254 G1 MSM (snarkjs's engine) on the points and scalars of a file written by
// dev.agentledger.zk.bench.MsmSpeed, for `agentledger speed msm`.
//   node ffjs-msm.mjs FILE THREADS [RUNS]
// FILE: u32 n, then n affine points (x, y: 32-byte little-endian Montgomery form each), then n
// scalars (32-byte little-endian). THREADS 1 runs single-threaded; otherwise ffjavascript uses
// its worker pool (one worker per CPU). RUNS (default 1) timed runs; ms and cpu_ms are their
// medians. Prints one JSON line: {"ms", "cpu_ms", "runs", "threads", "x", "y"} (cpu_ms: CPU time of
// the node process, its worker threads included).
import { buildBn128, Scalar } from "ffjavascript";
import { readFileSync } from "node:fs";

const [file, threadsArg, runsArg] = process.argv.slice(2);
const runs = Math.max(1, parseInt(runsArg ?? "1", 10) || 1);
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const single = threadsArg === "1";
const buf = readFileSync(file);
const n = buf.readUInt32LE(0);
const points = new Uint8Array(buf.buffer, buf.byteOffset + 4, n * 64);
const scalars = new Uint8Array(buf.buffer, buf.byteOffset + 4 + n * 64, n * 32);
const curve = await buildBn128(single);
// warm-up on a few points (wasm compilation, worker start)
const m = Math.min(n, 16);
await curve.G1.multiExpAffine(points.slice(0, m * 64), scalars.slice(0, m * 32));
const walls = [], cpus = [];
let r;
for (let k = 0; k < runs; k++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  r = await curve.G1.multiExpAffine(points, scalars);
  walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const cpu = process.cpuUsage(c0);
  cpus.push((cpu.user + cpu.system) / 1000);
}
const ms = median(walls);
const cpuMs = median(cpus);
const a = curve.G1.toObject(curve.G1.toAffine(r));
console.log(JSON.stringify({ ms, cpu_ms: cpuMs, runs, threads: single ? 1 : curve.tm.concurrency, x: a[0].toString(), y: a[1].toString() }));
await curve.terminate();
