package dev.channels.impl.protocol;

/**
 * The value of a delivery's {@link Protocol#DELIVERIES} header: how many times each of its items
 * has been handed out, in the order of the items, comma-separated ({@code 1,1,2}). Both halves: the
 * host writes it item by item ({@link #append}), the client reads it ({@link #read}).
 */
public final class DeliveriesHeader {

  private static final char SEPARATOR = ',';

  private DeliveriesHeader() {
  }

  /** Appends the deliveries of the next item to {@code header} (empty before the first item). */
  public static StringBuilder append(StringBuilder header, int deliveries) {
    if (!header.isEmpty()) {
      header.append(SEPARATOR);
    }
    return header.append(deliveries);
  }

  /**
   * The deliveries of each of the {@code size} items of a delivery, from its header; at least 1
   * each (an item the header does not count, or a header absent, counts as a first delivery).
   */
  public static int[] read(String header, int size) {
    int[] counts = new int[size];
    int at = 0;
    for (int i = 0; i < size; i++) {
      int count = 0;
      while (header != null && at < header.length() && header.charAt(at) != SEPARATOR) {
        count = count * 10 + header.charAt(at++) - '0';
      }
      at++;
      counts[i] = Math.max(1, count);
    }
    return counts;
  }
}
