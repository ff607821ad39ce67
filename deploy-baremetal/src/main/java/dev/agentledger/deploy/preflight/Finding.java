package dev.agentledger.deploy.preflight;

/**
 * One result of a preflight check.
 *
 * @param level PASS (ready), WARN (works, but slower or riskier; or the check could not tell), FAIL
 *     (the node must not start like this)
 * @param check stable identifier, e.g. {@code cpu.avx2}, {@code disk.fsync}
 * @param detail what was found, with numbers
 * @param impact what it enables or costs the node
 * @param fix what to do about it; empty when nothing is needed
 */
public record Finding(Level level, String check, String detail, String impact, String fix) {
  /** Severity, ordered. */
  public enum Level {
    PASS,
    WARN,
    FAIL
  }

  public static Finding pass(String check, String detail, String impact) {
    return new Finding(Level.PASS, check, detail, impact, "");
  }

  public static Finding warn(String check, String detail, String impact, String fix) {
    return new Finding(Level.WARN, check, detail, impact, fix);
  }

  public static Finding fail(String check, String detail, String impact, String fix) {
    return new Finding(Level.FAIL, check, detail, impact, fix);
  }

  /** One human-readable line: {@code WARN limits.memlock: 8 MiB; io_uring ... -- fix: ...}. */
  public String line() {
    StringBuilder text = new StringBuilder();
    text.append(level).append(' ').append(check).append(": ").append(detail);
    if (!impact.isEmpty()) {
      text.append("; ").append(impact);
    }
    if (!fix.isEmpty()) {
      text.append(" -- fix: ").append(fix);
    }
    return text.toString();
  }
}
