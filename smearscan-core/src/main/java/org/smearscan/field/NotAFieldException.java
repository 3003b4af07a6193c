package org.smearscan.field;

/** An image that cannot be a smear field for the model at hand (a single-cell crop, a thumbnail). */
public final class NotAFieldException extends Exception {
    public NotAFieldException(String message) {
        super(message);
    }
}
