/**
 * The node's accelerators (DESIGN.md section 4): which backend verifies the node's Ed25519 batches.
 * {@link dev.agentledger.node.accel.NodeAccelerators} turns the configured {@code sig_backend}
 * ({@code cpu | opencl | cuda | auto}) into an accel-kernels {@link dev.agentledger.accel.Router}
 * over sig-verify's CPU batch verifier and at most one device backend, calibrates the crossover in
 * the background once the node serves (the smallest batch size from which the device measured
 * faster than the CPU; until then a configured device takes every batch), and hands out per-thread
 * {@link dev.agentledger.sig.accel.RoutedBatchVerifier}s: batches below the crossover stay on the
 * CPU, larger ones go to the device, a failed device batch is verified on the CPU (counted; a
 * device that keeps failing leaves the rotation). A configured device that is unavailable at start
 * is an {@link dev.agentledger.accel.AccelException} with one line saying why; only {@code auto}
 * falls back to the CPU, and says which backend it chose. {@code auto} chooses the device only when
 * {@link dev.agentledger.accel.AutoPolicy} finds it clearly cheaper per signature than the CPU (the
 * CPU's cost in thread-CPU time, an OpenCL CPU device's at least in process-CPU time, several
 * interleaved rounds per size), then keeps checking it on live batches (one device-bound batch in
 * 16 verified on the CPU as a sample) and switches it off when it is dearer there, logging the
 * numbers; a later calibration (1 min after a switch, doubling; 30 min after a lost one) may bring
 * it back. It also publishes the router's per-backend counters on {@code /metrics} and names the
 * serving backend for the status JSON.
 */
package dev.agentledger.node.accel;
