package org.smearscan.serve;

/** The batcher's queue has no room: the caller should try again shortly (HTTP 503 with Retry-After). */
public class OverloadedException extends Exception {
    public OverloadedException(String message) {
        super(message);
    }
}
