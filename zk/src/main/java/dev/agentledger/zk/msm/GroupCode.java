package dev.agentledger.zk.msm;

import dev.agentledger.zk.curve.CurveOps;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Each group's own copy of the scalar MSM code: {@link BucketAccumulator} and the {@link CurveOps}
 * it calls, defined once more from the same class files by a class loader per group. The JIT
 * profiles and compiles per class, so the copy of G1 (over {@code FpOps}) and that of G2 (over
 * {@code Fp2Ops}) each see one receiver type at every field call and keep their compiled code; with
 * one shared copy, the code compiled for the first group was thrown away (a class check failing)
 * when the other arrived and was compiled again for both.
 *
 * <p>The system property {@code agentledger.zk.msm.sharedCode=true} uses the one shared copy (for
 * comparisons), as does a class path whose class files cannot be read as resources.
 */
final class GroupCode {
  /** Classes each group loads for itself; the rest come from this class's loader. */
  private static final String[] OWN = {CurveOps.class.getName(), BucketAccumulator.class.getName()};

  private static final Method G1 = factory("g1");
  private static final Method G2 = factory("g2");

  private GroupCode() {}

  /** A new accumulator (owned by one thread) of the group's own code. */
  static WindowAccumulator accumulator(Msm.Group group, int bucketCount, int maxBatch) {
    Method m = group == Msm.Group.G1 ? G1 : G2;
    if (m == null) {
      return new BucketAccumulator(group.ops(), bucketCount, maxBatch);
    }
    try {
      return (WindowAccumulator) m.invoke(null, group == Msm.Group.G2, bucketCount, maxBatch);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Whether the groups run copies of their own (false: the shared classes). */
  static boolean separate() {
    return G1 != null && G2 != null;
  }

  private static Method factory(String name) {
    if (Boolean.getBoolean("agentledger.zk.msm.sharedCode")) {
      return null;
    }
    try {
      Class<?> c = Class.forName(BucketAccumulator.class.getName(), true, new Loader(name));
      if (c == BucketAccumulator.class) {
        return null;
      }
      Method m = c.getDeclaredMethod("create", boolean.class, int.class, int.class);
      m.setAccessible(true);
      return m;
    } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
      return null;
    }
  }

  /** Defines {@link #OWN} from this class's loader's class files; delegates everything else. */
  private static final class Loader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    Loader(String group) {
      super("zk-msm-" + group, GroupCode.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!own(name)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String file = name.replace('.', '/') + ".class";
          try (InputStream in = getParent().getResourceAsStream(file)) {
            if (in == null) {
              return super.loadClass(name, resolve);
            }
            byte[] b = in.readAllBytes();
            c = defineClass(name, b, 0, b.length, GroupCode.class.getProtectionDomain());
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    private static boolean own(String name) {
      for (String o : OWN) {
        if (o.equals(name)) {
          return true;
        }
      }
      return false;
    }
  }
}
