/**
 * The accelerator SPI ({@code Backend}) and its backends: cpu-simd, OpenCL (JOCL, PoCL in CI) and
 * CUDA (JCuda). See DESIGN.md section 4; the SPI arrives with the accel-kernels issue.
 */
package dev.agentledger.accel;
