package dev.channels.app.bench;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** The facts a figure needs beside it: JVM, collector, cores, heap, Vert.x. */
final class Machine {

  private Machine() {
  }

  static String describe() {
    Runtime runtime = Runtime.getRuntime();
    String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
    return String.format("%s %s (%s), %d cores, max heap %d MB, %s %s, Vert.x %s",
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), collectors,
        runtime.availableProcessors(), runtime.maxMemory() >> 20,
        System.getProperty("os.name"), System.getProperty("os.arch"), vertxVersion());
  }

  /** The system's 1-minute load average (other processes included), or -1 where unknown. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String vertxVersion() {
    try (InputStream version = Vertx.class.getClassLoader().getResourceAsStream("META-INF/vertx/vertx-version.txt")) {
      return version == null ? "unknown" : new String(version.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException unreadable) {
      return "unknown";
    }
  }
}
