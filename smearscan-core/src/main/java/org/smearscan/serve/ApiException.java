package org.smearscan.serve;

/**
 * A request the service refuses, answered as {@code {"error": message}} with {@code status}; {@code type}
 * labels it in the error metric (a short fixed word, never user text).
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;

    public ApiException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
