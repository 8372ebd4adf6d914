package dev.channels.app.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which event-loop thread each part of the bench runs on. Vert.x gives each deployed verticle the
 * next event loop of its pool, round robin; the bench sizes the pool so that every verticle gets
 * its own, and checks it: a requester sharing the host's (or the echo's) event loop would measure
 * something else.
 */
record EventLoops(int poolSize, String host, String echo, List<String> producers, List<String> consumers) {

  /** Throws if a producer or consumer shares the event loop of the host or of the echo verticle. */
  EventLoops check() {
    for (String requester : requesters()) {
      if (requester.equals(host) || requester.equals(echo)) {
        throw new IllegalStateException("a producer or consumer shares the event loop of the host or the echo verticle: "
            + describe());
      }
    }
    return this;
  }

  /** Whether every verticle has an event loop of its own. */
  boolean allDistinct() {
    Set<String> threads = new HashSet<>(requesters());
    threads.add(host);
    threads.add(echo);
    return threads.size() == 2 + producers.size() + consumers.size();
  }

  String describe() {
    return "host " + host + ", echo " + echo + ", producers " + String.join(" ", producers)
        + ", consumers " + String.join(" ", consumers) + " (pool of " + poolSize + "; "
        + (allDistinct() ? "each on its own" : "SOME SHARED") + ")";
  }

  private List<String> requesters() {
    return java.util.stream.Stream.concat(producers.stream(), consumers.stream()).toList();
  }
}
