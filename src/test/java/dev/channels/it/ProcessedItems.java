package dev.channels.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * What the {@link WorkerNode}s reported processing, received in the test's JVM at {@value
 * WorkerNode#DONE}: each item, how many times, and whether a second report was of an item handed
 * out again (marked: allowed at least once) or not (a duplicate nobody was told of).
 */
final class ProcessedItems {

  private final Map<Integer, Integer> done = new ConcurrentHashMap<>();
  private final BitSet duplicatesMarked;
  private final AtomicInteger unmarkedDuplicates = new AtomicInteger();

  private ProcessedItems(int items) {
    this.duplicatesMarked = new BitSet(items);
  }

  /** Starts receiving the reports on {@code vertx}; returns once the consumer is registered. */
  static ProcessedItems receive(Vertx vertx, int items) throws Exception {
    ProcessedItems processed = new ProcessedItems(items);
    vertx.eventBus().<JsonObject>consumer(WorkerNode.DONE, report -> {
      int item = report.body().getInteger("item");
      if (processed.done.merge(item, 1, Integer::sum) > 1) {
        if (report.body().getInteger("deliveries") > 1) {
          synchronized (processed.duplicatesMarked) {
            processed.duplicatesMarked.set(item);
          }
        } else {
          processed.unmarkedDuplicates.incrementAndGet();
        }
      }
      report.reply(null);
    }).completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return processed;
  }

  /** Each item processed, with how many times. */
  Map<Integer, Integer> done() {
    return done;
  }

  /**
   * The items from 0 to {@code items} never processed, in order (a linear scan: AssertJ's {@code
   * containsAll} on 200,000 items compares every pair, for minutes).
   */
  List<Integer> missing(int items) {
    return IntStream.range(0, items).filter(item -> !done.containsKey(item)).boxed().toList();
  }

  /** Items processed twice though never handed out again: none may be. */
  int unmarkedDuplicates() {
    return unmarkedDuplicates.get();
  }

  /** Items processed twice, the second time handed out again (marked redelivered). */
  int duplicatesMarked() {
    synchronized (duplicatesMarked) {
      return duplicatesMarked.cardinality();
    }
  }
}
