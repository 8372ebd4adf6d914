package dev.channels.impl.protocol;

/**
 * A put's automatic idempotency key ({@link Protocol#SEQUENCE}): its producer and its number.
 *
 * @param producer the producer's id: 1 to {@link Protocol#MAX_KEY_LENGTH} characters, no {@code :}
 * @param n the put's number, {@code >= 0}
 */
public record Sequence(String producer, long n) {

  /** The header's value: {@code <producer>:<n>}. */
  public String header() {
    return producer + ':' + n;
  }

  /** The sequence a header's value says, or {@code null} if it is malformed. */
  static Sequence parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 1 || colon > Protocol.MAX_KEY_LENGTH || colon == text.length() - 1 || text.length() - colon > 19) {
      return null;
    }
    long n = 0;
    for (int i = colon + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      n = n * 10 + (c - '0');
    }
    String producer = text.substring(0, colon);
    return producer.indexOf(':') >= 0 ? null : new Sequence(producer, n);
  }
}
