package dev.channels;

import dev.channels.impl.protocol.Protocol;
import java.util.Objects;

/**
 * How a host creates a channel ({@link ChannelClient#create(String, ChannelOptions)}). Every setter
 * validates its value and throws {@link IllegalArgumentException} naming the option. An option not
 * set takes the host's default for a new channel and is not compared with an existing one's.
 */
public class ChannelOptions {

  private int capacity = Channel.UNBOUNDED;
  private Integer maxDeliveries;
  private String deadLetter;
  private Boolean replicated;
  private Boolean closeWhenDetached;

  public ChannelOptions() {
  }

  public ChannelOptions(ChannelOptions other) {
    this.capacity = other.capacity;
    this.maxDeliveries = other.maxDeliveries;
    this.deadLetter = other.deadLetter;
    this.replicated = other.replicated;
    this.closeWhenDetached = other.closeWhenDetached;
  }

  public int getCapacity() {
    return capacity;
  }

  /** A bound {@code > 0}, {@code 0} for rendezvous, or {@link Channel#UNBOUNDED} (the default). */
  public ChannelOptions setCapacity(int capacity) {
    if (capacity < 0) {
      throw invalid("capacity", "0 (rendezvous), a positive bound, or Channel.UNBOUNDED", capacity);
    }
    this.capacity = capacity;
    return this;
  }

  /** The delivery limit asked for, or {@code null} for the host's default ({@code maxDeliveries}, 20). */
  public Integer getMaxDeliveries() {
    return maxDeliveries;
  }

  /**
   * How many deliveries an item may fail (given back, or never answered) before it goes to the
   * dead-letter channel; {@code 0} for no limit.
   */
  public ChannelOptions setMaxDeliveries(int maxDeliveries) {
    if (maxDeliveries < 0) {
      throw invalid("maxDeliveries", "an integer from 0 (unlimited) to " + Integer.MAX_VALUE, maxDeliveries);
    }
    this.maxDeliveries = maxDeliveries;
    return this;
  }

  /** The dead-letter channel asked for, or {@code null} for the default, {@code <name>-dead}. */
  public String getDeadLetter() {
    return deadLetter;
  }

  /**
   * The channel that receives the items this one dead-letters (rejected, or past {@code
   * maxDeliveries}); the host creates it, unbounded, when the first item goes there. A valid channel
   * name other than the channel's own.
   */
  public ChannelOptions setDeadLetter(String deadLetter) {
    if (!Protocol.isValidName(deadLetter)) {
      throw invalid("deadLetter", "a channel name (" + Protocol.NAME.pattern() + ")", deadLetter);
    }
    this.deadLetter = deadLetter;
    return this;
  }

  /** Whether the channel is asked to be replicated, or {@code null} if not asked (a new channel is not). */
  public Boolean getReplicated() {
    return replicated;
  }

  /**
   * Keeps the channel's whole state (items in order, items in flight with their delivery counts,
   * the closed flag, the counts, the dead-letter settings, the idempotency keys) in the cluster's
   * data grid with a synchronous backup, so that it survives its owner's death: another node takes
   * it over within seconds, nothing acknowledged is lost, and what was in flight is delivered again,
   * marked {@code redelivered}. Each change costs a write to the grid, batched with the changes made
   * meanwhile (docs/benchmarks.md). Needs a clustered host on Hazelcast; a host without a cluster
   * refuses it (400). Its dead-letter channel, created by the host, is replicated too.
   */
  public ChannelOptions setReplicated(boolean replicated) {
    this.replicated = replicated;
    return this;
  }

  /** Whether the channel is to close when detached, or {@code null} if not set ({@code false} for a new channel). */
  public Boolean getCloseWhenDetached() {
    return closeWhenDetached;
  }

  /**
   * Whether the channel closes by itself, exactly as by {@link Channel#close()}, when its last
   * attached producer ({@link Channel#attach()}) detaches, or loses its lease (it was not renewed
   * in time, or its cluster node left). A channel nobody ever attached to never closes by itself.
   * Default {@code false}. In process ({@link Channel#create(io.vertx.core.Vertx, String,
   * ChannelOptions)}) this and the capacity are the options that apply.
   */
  public ChannelOptions setCloseWhenDetached(boolean closeWhenDetached) {
    this.closeWhenDetached = closeWhenDetached;
    return this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChannelOptions that && capacity == that.capacity
        && Objects.equals(maxDeliveries, that.maxDeliveries) && Objects.equals(deadLetter, that.deadLetter)
        && Objects.equals(replicated, that.replicated) && Objects.equals(closeWhenDetached, that.closeWhenDetached);
  }

  @Override
  public int hashCode() {
    return Objects.hash(capacity, maxDeliveries, deadLetter, replicated, closeWhenDetached);
  }

  @Override
  public String toString() {
    return "ChannelOptions{capacity=" + capacity + ", maxDeliveries=" + maxDeliveries + ", deadLetter=" + deadLetter
        + ", replicated=" + replicated + ", closeWhenDetached=" + closeWhenDetached + "}";
  }

  private static IllegalArgumentException invalid(String option, String expected, Object value) {
    return new IllegalArgumentException("invalid ChannelOptions: '" + option + "' must be " + expected + ", not " + value);
  }
}
