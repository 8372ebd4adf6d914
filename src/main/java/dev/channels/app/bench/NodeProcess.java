package dev.channels.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The child JVM of {@code bench --cluster}: a {@link BenchNode} started with this JVM's java and
 * classpath, its output passed on line by line. It ends when {@link #close()} closes its standard
 * input, and is killed if it has not ended soon after, or when this JVM exits (a shutdown hook).
 */
final class NodeProcess implements AutoCloseable {

  /** A system property of the bench's JVM: options for the node's JVM, split on spaces (e.g. a JFR recording). */
  static final String JVM_OPTIONS_PROPERTY = "bench.node.jvmOptions";
  private static final long READY_TIMEOUT_SECONDS = 90;
  private static final long EXIT_TIMEOUT_SECONDS = 10;

  private final Process process;
  private final Thread killer;
  private final CompletableFuture<String> ready = new CompletableFuture<>();

  private NodeProcess(Process process, Consumer<String> out) {
    this.process = process;
    this.killer = new Thread(process::destroyForcibly, "bench-node-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    Thread reader = new Thread(() -> passOn(out), "bench-node-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a node that joins {@code clusterName} through {@code member}, its own Hazelcast member on {@code port}. */
  static NodeProcess start(String clusterName, int port, String member, Consumer<String> out) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    // Hazelcast's internal access, which it asks for at start (the bench's own JVM has what its command line gave it)
    command.addAll(List.of("--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
    String extra = System.getProperty(JVM_OPTIONS_PROPERTY, "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchNode.class.getName());
    command.add(clusterName);
    command.add(String.valueOf(port));
    command.add(member);
    try {
      return new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), out);
    } catch (IOException cannotStart) {
      throw new UncheckedIOException("cannot start the bench node: " + command, cannotStart);
    }
  }

  /** Waits for the node's ready line; returns what follows {@link BenchNode#READY} on it. */
  String awaitReady() {
    try {
      return ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException slow) {
      throw new IllegalStateException("the bench node was not ready within " + READY_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException ended) {
      throw new IllegalStateException(ended.getCause().getMessage(), ended.getCause());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the bench node started", interrupted);
    }
  }

  long pid() {
    return process.pid();
  }

  private void passOn(Consumer<String> out) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!ready.isDone() && line.startsWith(BenchNode.READY)) {
          ready.complete(line.substring(BenchNode.READY.length()).trim());
        } else {
          out.accept("  node: " + line);
        }
      }
    } catch (IOException closed) {
      // the node's output ends with the node
    }
    ready.completeExceptionally(new IllegalStateException("the bench node ended before it was ready"));
  }

  /** Closes the node's standard input (it leaves the cluster and exits), and kills it if it has not exited soon after. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException notCleanly) {
      process.destroyForcibly();
      if (notCleanly instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }
}
