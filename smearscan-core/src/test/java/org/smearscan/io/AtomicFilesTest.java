package org.smearscan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("sub/report.json");
        AtomicFiles.writeString(file, "first");
        AtomicFiles.write(file, "second".getBytes());
        assertThat(Files.readString(file)).isEqualTo("second");
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void aWriterMayCloseItsStream() throws IOException {
        Path file = dir.resolve("closed.bin");
        AtomicFiles.write(file, out -> {
            try (java.io.DataOutputStream data = new java.io.DataOutputStream(out)) {
                data.writeInt(42);
            }
        });
        assertThat(Files.readAllBytes(file)).containsExactly(0, 0, 0, 42);
    }

    @Test
    void aFailedWriteKeepsThePreviousFile() throws IOException {
        Path file = dir.resolve("model.smear");
        AtomicFiles.writeString(file, "old");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(file)).isEqualTo("old");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void filesGetTheDefaultPermissionsNotPrivateOnes() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written");
        AtomicFiles.writeString(written, "x");
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(written);
        // The same mode as a file created the ordinary way (the umask's), and so readable by others where the
        // umask allows it: Files.createTempFile would have made it owner-only (0600).
        assertThat(mode).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(mode).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if (Files.getPosixFilePermissions(plain).contains(PosixFilePermission.OTHERS_READ)) {
            assertThat(mode).contains(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        }
    }
}
