/**
 * Preflight: checks a host before a validator runs on it and explains every finding (what was
 * found, what it enables or costs, how to fix it), in the spirit of Firedancer's {@code fdctl
 * configure check}.
 *
 * <p>{@link dev.agentledger.deploy.preflight.Preflight} holds the checks as pure functions of what
 * a {@link dev.agentledger.deploy.preflight.HostProbe} reports (files under /proc and /sys, a few
 * programs, the data directory's disk, adjtimex(2)); {@link
 * dev.agentledger.deploy.preflight.SystemHostProbe} is the real host, tests use a fake one.
 * Sources: proc(5) for cpuinfo, meminfo and limits; the kernel's sysctl documentation for {@code
 * kernel.io_uring_disabled} (Linux 6.6+); adjtimex(2) for clock state; sysfs-class-net for link
 * speed; NVIDIA's CUDA compatibility guide for cubin/compute-capability rules.
 */
package dev.agentledger.deploy.preflight;
