package org.smearscan.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** State as bytes (a {@link Stateful} callback's, the optimizer's), written and read with data streams. */
public final class StateBytes {
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    public interface Reader {
        void read(DataInputStream in) throws IOException;
    }

    private StateBytes() {}

    public static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static void read(byte[] state, Reader reader) {
        read(state, reader, "damaged callback state");
    }

    /** Reads {@code state}; a failure is an IllegalArgumentException that starts with {@code problem}. */
    public static void read(byte[] state, Reader reader, String problem) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            reader.read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(problem + ": " + e.getMessage(), e);
        }
    }
}
