/**
 * The hashing engine of the appliance: SHA-256 (FIPS 180-4) single-stream through the JDK
 * intrinsic. Merkle trees (RFC 6962 / RFC 9162), the sparse Merkle state tree, multi-buffer SIMD
 * hashing and content addresses come with the hash-pipeline issue.
 */
package dev.agentledger.hash;
