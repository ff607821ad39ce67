/**
 * CUDA leaf of the accelerator SPI (JCuda 12.6.0, driver API). The kernels in {@code
 * kernels/cuda/agentledger_kernels.cu} include the same shared headers as the OpenCL kernels (FIPS
 * 180-4 SHA-256/512, RFC 6962 nodes, ZIP-215 Ed25519 over GF(2^255 - 19) in radix 2^25.5), compiled
 * by nvcc at build time into a fatbin for sm_80/sm_90 plus PTX. Nothing in this package has run on
 * a real GPU in this repository's CI: correctness of the shared arithmetic is proved on PoCL and by
 * the host build of the headers (FFM test); launches need the gpu lane.
 */
package dev.agentledger.accel.cuda;
