/**
 * iden3's binary formats (github.com/iden3/binfileutils): the sectioned container, read ({@code
 * BinFile}) and written ({@code BinFileWriter}), and the {@code .zkey} (Groth16 proving key),
 * {@code .wtns} (witness) and {@code .r1cs} (circom constraint system) files. Every size and
 * element is checked: sections must fit the file exactly, elements must be below their modulus,
 * header points must be in their groups, constraint terms must name existing wires.
 */
package dev.agentledger.zk.iden3;
