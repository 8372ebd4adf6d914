package dev.channels.app.bench;

import dev.channels.Channel;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Put-to-take latency of phase 5. Items are their own send time ({@code System.nanoTime()} when
 * the producer called put; one JVM, so comparable across threads); a consumer records {@code now
 * - sendTime} on take, into its own histogram, for items sent inside the timed window only.
 */
final class LatencyRecorder {

  private final Histogram histogram = new Histogram(3); // auto-resizing, 3 significant digits, ns
  private final Window window;

  LatencyRecorder(Window window) {
    this.window = window;
  }

  /**
   * Takes items with {@code takes} loops of one acknowledged take at a time (phase 2's consumer is
   * one such loop), recording each item, until the channel ends; call on the consumer's event loop.
   */
  Future<Void> consume(Channel<Number> channel, ConsumerTally tally, int takes) {
    List<Future<Void>> loops = new ArrayList<>(takes);
    for (int i = 0; i < takes; i++) {
      loops.add(AsyncLoop.repeat(() -> false, () -> channel.take().onSuccess(item -> {
        took(item);
        tally.counted(1);
      }), ChannelPhase.CLOSED, ChannelPhase.TIMED_OUT));
    }
    return Future.all(loops).mapEmpty();
  }

  private void took(Object item) {
    long sentAt = ((Number) item).longValue();
    long now = System.nanoTime();
    if (window.contains(sentAt)) {
      histogram.recordValue(Math.max(0, now - sentAt));
    }
  }

  /** Merges the consumers' histograms; call once they have ended. */
  static Histogram merged(List<LatencyRecorder> recorders) {
    Histogram all = new Histogram(3);
    recorders.forEach(recorder -> all.add(recorder.histogram));
    return all;
  }

  /** The send times that count: set by the bench's thread when the timed window opens and closes. */
  static final class Window {

    private volatile long opensAt = Long.MAX_VALUE;
    private volatile long closesAt = Long.MAX_VALUE;

    void open(long nanoTime) {
      opensAt = nanoTime;
    }

    void close(long nanoTime) {
      closesAt = nanoTime;
    }

    boolean contains(long sentAt) {
      return sentAt - opensAt >= 0 && sentAt - closesAt < 0;
    }
  }
}
