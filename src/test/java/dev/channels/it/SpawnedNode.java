package dev.channels.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node of the service in a JVM of its own: {@code dev.channels.app.Main} with the given arguments
 * on this JVM's class path, ready when it prints its {@code ready:} line. Always closed by the test
 * (close kills it); a JVM shutdown hook kills any node a test left alive, so no JVM outlives the run.
 */
final class SpawnedNode implements AutoCloseable {

  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  /** The ready line of {@code serve --cluster}. */
  static final Pattern READY = Pattern.compile(
      "ready: node (\\S+) serving channels at '([^']*)' in cluster '([^']*)' \\((\\d+) members\\)");

  /** Small JVMs that start fast: several run at once on a CI machine of two cores. */
  static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-Xshare:auto");

  private static final Set<SpawnedNode> ALIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(node -> node.process.destroyForcibly()),
        "spawned-nodes-killer"));
  }

  private final String name;
  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Matcher> ready = new CompletableFuture<>();

  private SpawnedNode(String name, Process process) {
    this.name = name;
    this.process = process;
    reader(process.getInputStream(), true).start();
    reader(process.getErrorStream(), false).start();
  }

  /**
   * Starts {@code java ... dev.channels.app.Main args} and waits (at most {@link #READY_TIMEOUT})
   * for its ready line; fails with the node's output if it exits or does not get ready.
   */
  static SpawnedNode serve(String name, List<String> args) throws IOException, InterruptedException {
    return start(name, "dev.channels.app.Main", args);
  }

  /** Starts a {@link WorkerNode}: a host that also consumes {@code channel}; waits for its ready line. */
  static SpawnedNode work(String name, List<String> args) throws IOException, InterruptedException {
    return start(name, WorkerNode.class.getName(), args);
  }

  /** Starts a {@link ProducerNode}: a host that attaches to {@code channel} and puts into it; waits for its ready line. */
  static SpawnedNode produce(String name, List<String> args) throws IOException, InterruptedException {
    return start(name, ProducerNode.class.getName(), args);
  }

  private static SpawnedNode start(String name, String mainClass, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    SpawnedNode node = new SpawnedNode(name, new ProcessBuilder(command).start());
    ALIVE.add(node);
    try {
      node.ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException notReady) {
      node.kill();
      throw new AssertionError("node " + name + " did not print its ready line within " + READY_TIMEOUT.toSeconds()
          + " s (" + (notReady instanceof TimeoutException ? "still running" : notReady.getCause().getMessage())
          + "); command " + String.join(" ", args) + "; its output:\n" + node.output(), notReady);
    }
    return node;
  }

  String name() {
    return name;
  }

  /** The ready line's node id: the node's id in the cluster manager. */
  String nodeId() {
    return ready.join().group(1);
  }

  /** The ready line's address. */
  String address() {
    return ready.join().group(2);
  }

  String clusterName() {
    return ready.join().group(3);
  }

  /** The members the node counted when it got ready. */
  int membersAtReady() {
    return Integer.parseInt(ready.join().group(4));
  }

  /** What the node printed on standard output so far. */
  List<String> stdout() {
    return List.copyOf(stdout);
  }

  /** Both of its streams so far, for a failure's message. */
  String output() {
    return String.join("\n", output);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the node vanishes without leaving the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM: the node leaves the cluster and exits; answers its exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    return awaitExit();
  }

  private int awaitExit() throws InterruptedException {
    if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("node " + name + " did not exit within " + EXIT_TIMEOUT.toSeconds() + " s; killed");
    }
    ALIVE.remove(this);
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    ALIVE.remove(this);
  }

  private Thread reader(InputStream stream, boolean isStdout) {
    Thread thread = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          output.add((isStdout ? "[out] " : "[err] ") + line);
          if (isStdout) {
            stdout.add(line);
            Matcher matcher = READY.matcher(line);
            if (matcher.matches()) {
              ready.complete(matcher);
            }
          }
        }
      } catch (IOException closed) {
        // the process is gone
      }
      if (isStdout) {
        ready.completeExceptionally(new IllegalStateException("the node closed its output"));
      }
    }, "node-" + name + (isStdout ? "-stdout" : "-stderr"));
    thread.setDaemon(true);
    return thread;
  }
}
