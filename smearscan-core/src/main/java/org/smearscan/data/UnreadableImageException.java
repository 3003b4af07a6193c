package org.smearscan.data;

/** An image file that cannot be decoded; the message starts with the file's name. */
public class UnreadableImageException extends Exception {
    private final String name;
    private final String problem;

    public UnreadableImageException(String name, String problem) {
        super(name + " " + problem);
        this.name = name;
        this.problem = problem;
    }

    public String name() {
        return name;
    }

    public String problem() {
        return problem;
    }
}
