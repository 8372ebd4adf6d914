package dev.channels.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;

/**
 * CPU time during a timed window: of the whole process, and of the one thread that serves the
 * requests (the host's event loop, or the echo verticle's in phase 1). A server thread near 100 %
 * busy is the bottleneck; a process using fewer cores than the machine has, with no thread near
 * 100 %, is waiting: on wake-ups of idle event loops, or for a CPU that other processes hold.
 */
final class CpuMeter {

  /** CPU used over a window, in cores (1.0 = one core all the time); negative when not measurable. */
  public record Usage(double processCores, double serverBusy) {
  }

  /** Cumulative CPU nanoseconds at one moment; negative when not measurable. */
  record Reading(long processNanos, long serverNanos) {

    Usage until(Reading later, long elapsedNanos) {
      return new Usage(share(processNanos, later.processNanos, elapsedNanos),
          share(serverNanos, later.serverNanos, elapsedNanos));
    }

    private static double share(long before, long after, long elapsedNanos) {
      return before < 0 || after < 0 ? -1 : (double) (after - before) / elapsedNanos;
    }
  }

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

  Reading read(Thread server) {
    long process = os instanceof com.sun.management.OperatingSystemMXBean hotspot ? hotspot.getProcessCpuTime() : -1;
    long serverThread = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(server.getId()) : -1;
    return new Reading(process, serverThread);
  }
}
