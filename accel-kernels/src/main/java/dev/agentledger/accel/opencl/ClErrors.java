package dev.agentledger.accel.opencl;

import org.jocl.CL;

/** Symbolic names of OpenCL status codes ({@code CL_OUT_OF_RESOURCES (-5)}). */
final class ClErrors {
  private ClErrors() {}

  static String name(int status) {
    String name;
    try {
      name = CL.stringFor_errorCode(status);
    } catch (LinkageError e) {
      name = "CL status";
    }
    return name + " (" + status + ")";
  }
}
