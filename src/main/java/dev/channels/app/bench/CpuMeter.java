package dev.channels.app.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * What a timed window cost: CPU of the whole process, CPU of the one thread that serves the
 * requests (the host's event loop, or the echo verticle's in phase 1), and bytes allocated by the
 * bench's event loops (host, echo, producers, consumers). A server thread near 100 % busy is the
 * bottleneck; a process using fewer cores than the machine has, with no thread near 100 %, is
 * waiting: on wake-ups of idle event loops, or for a CPU that other processes hold. Allocation is
 * exact where time is noisy.
 */
final class CpuMeter {

  /**
   * What a window cost; negative values when not measurable.
   *
   * @param processCores CPU of the process over the window, in cores (1.0 = one core all the time)
   * @param serverBusy share of the window the serving event loop was on a CPU
   * @param allocatedBytes bytes allocated by the bench's event loops during the window
   * @param gcMillis time the collectors report for the window (pauses and concurrent work)
   */
  public record Usage(double processCores, double serverBusy, long allocatedBytes, long gcMillis) {

    /** Bytes allocated per item (phase 1: per request and reply), or -1. */
    public double bytesPer(long items) {
      return allocatedBytes < 0 || items == 0 ? -1 : (double) allocatedBytes / items;
    }
  }

  /** Cumulative counters at one moment; negative when not measurable. */
  record Reading(long processNanos, long serverNanos, long allocatedBytes, long gcMillis) {

    Usage until(Reading later, long elapsedNanos) {
      return new Usage(share(processNanos, later.processNanos, elapsedNanos),
          share(serverNanos, later.serverNanos, elapsedNanos),
          allocatedBytes < 0 || later.allocatedBytes < 0 ? -1 : later.allocatedBytes - allocatedBytes,
          gcMillis < 0 || later.gcMillis < 0 ? -1 : later.gcMillis - gcMillis);
    }

    private static double share(long before, long after, long elapsedNanos) {
      return before < 0 || after < 0 ? -1 : (double) (after - before) / elapsedNanos;
    }
  }

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final long[] eventLoops;

  CpuMeter(List<Thread> eventLoops) {
    this.eventLoops = eventLoops.stream().mapToLong(Thread::getId).toArray();
  }

  Reading read(Thread server) {
    long process = os instanceof com.sun.management.OperatingSystemMXBean hotspot ? hotspot.getProcessCpuTime() : -1;
    long serverThread = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(server.getId()) : -1;
    return new Reading(process, serverThread, allocatedBytes(), gcMillis());
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      long millis = collector.getCollectionTime();
      if (millis < 0) {
        return -1;
      }
      total += millis;
    }
    return total;
  }

  private long allocatedBytes() {
    if (!(threads instanceof com.sun.management.ThreadMXBean hotspot) || !hotspot.isThreadAllocatedMemorySupported()) {
      return -1;
    }
    long total = 0;
    for (long bytes : hotspot.getThreadAllocatedBytes(eventLoops)) {
      if (bytes < 0) {
        return -1;
      }
      total += bytes;
    }
    return total;
  }
}
