/**
 * Radix-2 NTT over Fr (2-adicity 28), with roots of unity chosen exactly as ffjavascript chooses
 * them so that evaluations on snarkjs's coset line up with the H points of its zkeys.
 */
package dev.agentledger.zk.ntt;
