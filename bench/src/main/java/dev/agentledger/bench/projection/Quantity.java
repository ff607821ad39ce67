package dev.agentledger.bench.projection;

import java.util.Locale;

/**
 * A number with its unit and where it came from. Nothing in a projection is printed without one of
 * these labels, so a reader can always tell a measurement from an assumption.
 */
public record Quantity(double value, String unit, Provenance provenance, String source) {
  /** Where a number comes from. */
  public enum Provenance {
    /** Measured by this project on real hardware (a report names the run). */
    MEASURED,
    /** Taken from a vendor's or paper's published figure (source says which). */
    PUBLISHED,
    /** Chosen by a person; replace with a measurement when one exists. */
    ASSUMED,
    /** Computed by the projection from the labelled inputs. */
    DERIVED
  }

  public Quantity {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("quantity is NaN: " + source);
    }
  }

  public static Quantity derived(double value, String unit, String how) {
    return new Quantity(value, unit, Provenance.DERIVED, how);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s %s [%s: %s]",
        format(value),
        unit,
        provenance.name().toLowerCase(Locale.ROOT),
        source);
  }

  static String format(double v) {
    if (Double.isInfinite(v)) {
      return "unbounded";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.3g", v);
  }
}
