/**
 * The host backend of the SPI: SHA-256 (FIPS 180-4) through the JDK's MessageDigest and RFC 6962
 * section 2.1 tree levels and heads built on it. It is the router's fallback and the reference the
 * device backends are compared with (next to an independent recursive RFC 6962 root in the tests).
 */
package dev.agentledger.accel.cpu;
