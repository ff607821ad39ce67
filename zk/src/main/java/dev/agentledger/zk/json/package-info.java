/** A minimal JSON reader and a writer in snarkjs's layout, so that zk needs no JSON library. */
package dev.agentledger.zk.json;
