/**
 * OpenCL leaf of the accelerator SPI (JOCL 2.0.6). Kernels: SHA-256 of fixed-size messages (FIPS
 * 180-4), one RFC 6962 section 2.1 tree level and a whole-tree reduction that keeps the levels on
 * the device, and ZIP-215 Ed25519 batch verification (RFC 8032 section 5.1.7 with the cofactored
 * equation), either one signature per work-item or, with {@code
 * -Dagentledger.opencl.ed25519=grouped}, eight per work-item checked by one random linear
 * combination and item by item when that fails. The arithmetic lives in the shared headers under
 * {@code kernels/common/}, compiled unchanged by the CUDA backend and, on the host, by gcc for the
 * FFM test. In CI the device is PoCL's CPU device: its timings are CPU timings.
 */
package dev.agentledger.accel.opencl;
