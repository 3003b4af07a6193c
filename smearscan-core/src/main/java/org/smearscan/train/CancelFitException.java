package org.smearscan.train;

/** Thrown by a callback to end the current fit early (early stopping, the learning-rate finder). */
public class CancelFitException extends RuntimeException {
    public CancelFitException(String reason) {
        super(reason, null, false, false);
    }
}
