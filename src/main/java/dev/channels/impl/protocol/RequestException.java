package dev.channels.impl.protocol;

/** A request the host refuses before touching any channel: its failure code and detail. */
public final class RequestException extends RuntimeException {

  private final Failure failure;

  public RequestException(Failure failure, String detail) {
    super(detail, null, false, false);
    this.failure = failure;
  }

  /**
   * The refusal another host sent ({@code "NAME: detail"} with its code), to be relayed as it came:
   * a code this host does not know is {@link Failure#INTERNAL}.
   */
  public static RequestException relayed(int code, String message) {
    Failure failure = Failure.ofCode(code);
    if (failure == null) {
      return new RequestException(Failure.INTERNAL, "code " + code + ": " + message);
    }
    String prefix = failure.name() + ": ";
    return new RequestException(failure, message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message);
  }

  public Failure failure() {
    return failure;
  }

  public String detail() {
    return getMessage();
  }
}
