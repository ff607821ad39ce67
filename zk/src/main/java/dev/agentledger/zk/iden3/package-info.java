/**
 * Readers of iden3's binary formats (github.com/iden3/binfileutils): the sectioned container and
 * the {@code .zkey} (Groth16 proving key), {@code .wtns} (witness) files. Every size and element is
 * checked: sections must fit the file exactly, elements must be below their modulus, header points
 * must be in their groups.
 */
package dev.agentledger.zk.iden3;
