package dev.agentledger.bench.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts child processes (the validators), and guarantees they stop: {@link #close()} sends SIGTERM
 * to every child and its descendants, waits a grace period, then SIGKILLs whatever is left; a JVM
 * shutdown hook does the same on Ctrl-C or any other exit path. Only processes this supervisor
 * started are ever signalled.
 */
public final class ProcessSupervisor implements AutoCloseable {
  /** One started child. */
  public record Child(String name, Process process, Path log) {}

  private final List<Child> children = new ArrayList<>();
  private final Duration grace;
  private final Thread hook;
  private boolean closed;

  public ProcessSupervisor(Duration grace) {
    this.grace = grace;
    this.hook = new Thread(this::stopAll, "agentledger-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts {@code command} in {@code dir}, stdout and stderr appended to {@code log}. */
  public synchronized Child start(String name, List<String> command, Path dir, Path log)
      throws IOException {
    return start(name, command, Map.of(), dir, log);
  }

  /**
   * Starts {@code command} in {@code dir} with this process's environment plus {@code environment},
   * stdout and stderr appended to {@code log}.
   */
  public synchronized Child start(
      String name, List<String> command, Map<String, String> environment, Path dir, Path log)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("supervisor closed");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    Process process = builder.start();
    Child child = new Child(name, process, log);
    children.add(child);
    return child;
  }

  public synchronized List<Child> children() {
    return List.copyOf(children);
  }

  /** Children that exited already (a validator that died is an error the demo reports). */
  public synchronized List<Child> exited() {
    return children.stream().filter(c -> !c.process().isAlive()).toList();
  }

  /**
   * Stops the child named {@code name} with SIGKILL ({@code kill -9}: no shutdown hook, no flush)
   * if it still runs, waits for it, and forgets it, so that a child of the same name can be started
   * again; returns its exit status (137 when killed here), or -1 when no child has that name.
   */
  public synchronized int kill(String name) throws InterruptedException {
    for (Child child : children) {
      if (!child.name().equals(name)) {
        continue;
      }
      ProcessHandle handle = child.process().toHandle();
      handle.descendants().forEach(ProcessHandle::destroyForcibly);
      handle.destroyForcibly();
      int status = child.process().waitFor();
      children.remove(child);
      return status;
    }
    return -1;
  }

  /** The running or exited child named {@code name}, or null. */
  public synchronized Child child(String name) {
    return children.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * SIGTERM the child {@code name}, wait up to {@code grace} for it to exit, then SIGKILL it and
   * every process it started; returns its exit status (-1 when there is no such child).
   */
  public synchronized int stop(String name, Duration grace) throws InterruptedException {
    Child child = child(name);
    if (child == null) {
      return -1;
    }
    Process process = child.process();
    process.destroy();
    if (!process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    return process.waitFor();
  }

  /** SIGTERM everything, wait up to the grace period, SIGKILL leftovers; idempotent. */
  public synchronized void stopAll() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Child child : children) {
      ProcessHandle handle = child.process().toHandle();
      handle.descendants().forEach(all::add);
      all.add(handle);
    }
    for (ProcessHandle handle : all) {
      handle.destroy();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : all) {
      long remaining = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // still alive after the grace period, or interrupted: killed below
      }
    }
    for (ProcessHandle handle : all) {
      if (handle.isAlive()) {
        handle.destroyForcibly();
      }
    }
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // reported by the caller through exited()/isAlive
      }
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs (and finds nothing left)
    }
  }
}
