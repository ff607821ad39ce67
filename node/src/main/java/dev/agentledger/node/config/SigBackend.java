package dev.agentledger.node.config;

import java.util.Locale;

/** Where a node verifies signature batches (DESIGN.md section 4). */
public enum SigBackend {
  /** Vector API batch verification on the CPU cores. */
  CPU,
  /** OpenCL kernels (any GPU vendor; PoCL on CPUs). */
  OPENCL,
  /** CUDA kernels on an NVIDIA GPU. */
  CUDA,
  /**
   * The first available of cuda and opencl when calibration finds it faster than the CPU from some
   * batch size on, else the CPU; the node logs which it chose.
   */
  AUTO;

  /**
   * The name used in configuration files: {@code cpu}, {@code opencl}, {@code cuda}, {@code auto}.
   */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a configuration name; null when it names no backend. */
  public static SigBackend fromConfigName(String name) {
    for (SigBackend backend : values()) {
      if (backend.configName().equals(name)) {
        return backend;
      }
    }
    return null;
  }
}
