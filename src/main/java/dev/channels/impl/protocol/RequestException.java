package dev.channels.impl.protocol;

/** A request the host refuses before touching any channel: its failure code and detail. */
public final class RequestException extends RuntimeException {

  private final Failure failure;

  public RequestException(Failure failure, String detail) {
    super(detail, null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }

  public String detail() {
    return getMessage();
  }
}
