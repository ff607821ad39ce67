/**
 * Cluster generation. {@link dev.agentledger.deploy.cluster.HostSpec} is one entry of a hosts file;
 * {@link dev.agentledger.deploy.cluster.ClusterLayout} plans which validator runs on which host
 * with which ports (peer = base port, client = base + 100, query = base + 200, metrics = base +
 * 300, plus the validator's slot on its host), data directory, signature backend and CPUs, as a
 * pure function; {@link dev.agentledger.deploy.cluster.ClusterInit} writes the plan out (validator
 * keys, genesis, one node configuration per validator, Ansible inventory, optional load-agent seed
 * and systemd files) and never overwrites; {@link dev.agentledger.deploy.cluster.SystemdUnit}
 * renders a hardened unit per validator with its sysusers.d and tmpfiles.d lines. The files it
 * writes are node's configuration model ({@code dev.agentledger.node.config}).
 */
package dev.agentledger.deploy.cluster;
